import difflib

from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.activity import Activity, Newest, Reader, Section, with_total
from partners.models import (
    AgreementVersion,
    Application,
    ApplicationEvent,
    EmailDomain,
    Partner,
    User,
    Vote,
)


def address_owners(email: str):
    """The accounts an address belongs to: the one whose own address it is (set at sign-up or
    by the office) and any that confirmed it. An address someone merely typed into their
    account and never confirmed belongs to nobody: it blocks no invitation, no sign-up and
    receives no password reset for that account."""
    confirmed = EmailAddress.objects.filter(user=OuterRef("pk"), email__iexact=email, verified=True)
    return User.objects.filter(Q(email__iexact=email) | Exists(confirmed))


def agreement_in_force() -> AgreementVersion | None:
    return AgreementVersion.objects.in_force().first()


def agreement_changes(version: AgreementVersion) -> list[tuple[str, str]]:
    """The lines of `version` against the one before it: ('same'|'added'|'removed', line)."""
    before = (version.previous.text if version.previous else "").splitlines()
    return changes_between(before, version.text.splitlines())


def changes_between(before: list[str], after: list[str]) -> list[tuple[str, str]]:
    """`after` against `before`, item by item (lines of the agreement, words of a position):
    ('same'|'added'|'removed', item)."""
    changes = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if operation == "equal":
            changes.extend(("same", item) for item in after[b_start:b_end])
            continue
        changes.extend(("removed", item) for item in before[a_start:a_end])
        changes.extend(("added", item) for item in after[b_start:b_end])
    return changes


def partner_directory(*, query: str = ""):
    partners = Partner.objects.with_department_heads().order_by("-status", "name")
    if query:
        partners = partners.filter(Q(name__icontains=query) | Q(official_key__startswith=query))
    return partners


APPLICATION_KINDS = [
    ApplicationEvent.Kind.SUBMITTED,
    ApplicationEvent.Kind.ADMITTED,
    ApplicationEvent.Kind.REJECTED,
]


def application_item(event) -> Activity:
    texts = {
        ApplicationEvent.Kind.SUBMITTED: _("{name} hat den Beitritt zur Kooperation beantragt."),
        ApplicationEvent.Kind.ADMITTED: _("{name} ist in die Kooperation aufgenommen."),
        ApplicationEvent.Kind.REJECTED: _("Der Beitrittsantrag von {name} ist abgelehnt."),
    }
    # Who applies, and who was refused, is for those who vote; who was admitted is public
    # (the directory shows the new partner).
    admitted = event.application.admitted_partner
    if event.kind == ApplicationEvent.Kind.ADMITTED and admitted:
        path = reverse("partners:partner_detail", args=[admitted.slug])
    else:
        path = reverse("partners:application_detail", args=[event.application_id])
    return Activity(
        section=Section.COOPERATION,
        at=event.created_at,
        text=texts[event.kind].format(name=event.application.name),
        path=path,
        actor_id=event.actor_id,
        restricted=event.kind != ApplicationEvent.Kind.ADMITTED,
    )


def version_item(version) -> Activity:
    return Activity(
        section=Section.COOPERATION,
        at=version.in_force_at,
        text=_("„{title}“ ist in Kraft: alle Parteien haben unterzeichnet.").format(
            title=version.title
        ),
        path=reverse("partners:agreement_version", args=[version.pk]),
    )


def activity(*, since, until) -> list[Activity]:
    """Applications to join, their decisions and agreement versions put into force in the
    window (since, until]: what the digest tells the partners about the cooperation itself.
    Applications and refusals are `restricted` to those who may see applications."""
    events = (
        ApplicationEvent.objects.filter(
            created_at__gt=since, created_at__lte=until, kind__in=APPLICATION_KINDS
        )
        .select_related("application__admitted_partner")
        .order_by("created_at", "pk")
    )
    items = [application_item(event) for event in events]
    versions = AgreementVersion.objects.filter(
        in_force_at__gt=since, in_force_at__lte=until
    ).order_by("in_force_at", "pk")
    items += [version_item(version) for version in versions.only("pk", "title", "in_force_at")]
    return items


def newest_activity(*, reader: Reader, since, until, limit: int) -> list[Newest]:
    """One person's share of `activity`, filtered in SQL (see `Reader`): these items belong to
    no partner and no field, so a filter by either leaves none."""
    if not reader.wants(Section.COOPERATION) or (reader.partner, reader.area) != (None, None):
        return []
    kinds = APPLICATION_KINDS if reader.insider else [ApplicationEvent.Kind.ADMITTED]
    events = (
        ApplicationEvent.objects.filter(created_at__gt=since, created_at__lte=until, kind__in=kinds)
        .exclude(actor_id=reader.user_id)
        .select_related("application__admitted_partner")
        .order_by("-created_at", "-pk")
    )
    versions = (
        AgreementVersion.objects.filter(in_force_at__gt=since, in_force_at__lte=until)
        .only("pk", "title", "in_force_at")
        .order_by("-in_force_at", "-pk")
    )
    return [
        Newest.of(with_total(events)[:limit], application_item),
        Newest.of(with_total(versions)[:limit], version_item),
    ]


VOTE_CHOICES = (
    ("approve", "yes", gettext_lazy("Zustimmen")),
    ("approve", "no", gettext_lazy("Ablehnen")),
)


def awaiting_votes(partner_ids, *, limit: int) -> dict[int, tuple[list[Activity], int]]:
    """For each of these partners, the oldest `limit` pending applications its department head
    has not voted on yet, and how many there are (the digest's "Wartet auf Ihre Entscheidung")."""
    waiting = {partner_id: ([], 0) for partner_id in partner_ids}
    if not waiting:
        return waiting
    electorate = Application.electorate.through.objects.filter(
        partner_id__in=waiting, application__status=Application.Status.PENDING
    ).exclude(
        Exists(
            Vote.objects.filter(
                application_id=OuterRef("application_id"), partner_id=OuterRef("partner_id")
            )
        )
    )
    rows = electorate.values_list(
        "partner_id", "application_id", "application__name", "application__submitted_at"
    ).order_by("application__submitted_at", "application_id")
    for partner_id, application_id, name, submitted_at in rows:
        shown, total = waiting[partner_id]
        if len(shown) < limit:
            shown.append(
                Activity(
                    section=Section.WAITING,
                    at=submitted_at,
                    text=_("Beitrittsantrag von {name}: Ihre Stimme fehlt noch.").format(name=name),
                    path=reverse("partners:application_detail", args=[application_id]),
                    action=reverse("partners:application_vote", args=[application_id]),
                    choices=VOTE_CHOICES,
                )
            )
        waiting[partner_id] = (shown, total + 1)
    return waiting


def partner_for_email(email: str) -> Partner | None:
    """The member partner whose e-mail domains include the address's domain (case-insensitive,
    exact: a subdomain needs its own entry)."""
    domain = email.rpartition("@")[2].strip().lower()
    found = (
        EmailDomain.objects.filter(domain=domain, partner__status=Partner.Status.MEMBER)
        .select_related("partner")
        .first()
    )
    return found.partner if found else None
