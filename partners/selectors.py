import difflib
import re
from dataclasses import dataclass
from html import unescape

from allauth.account.models import EmailAddress
from django.db.models import CharField, Exists, IntegerField, OuterRef, Q, Value
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from partners.activity import Activity, CompiledOnce, Newest, Reader, Section, newest_of
from partners.models import (
    AdmissionRule,
    AgreementVersion,
    Application,
    ApplicationEvent,
    EmailDomain,
    Partner,
    User,
    Vote,
)
from partners.official_keys import canonical
from partners.validators import normalize_official_key


def address_owners(email: str):
    """The accounts an address belongs to: the one whose own address it is (set at sign-up or
    by the office) and any that confirmed it. An address someone merely typed into their
    account and never confirmed belongs to nobody: it blocks no invitation, no sign-up and
    receives no password reset for that account."""
    confirmed = EmailAddress.objects.filter(user=OuterRef("pk"), email__iexact=email, verified=True)
    return User.objects.filter(Q(email__iexact=email) | Exists(confirmed))


def agreement_in_force() -> AgreementVersion | None:
    return AgreementVersion.objects.in_force().first()


@dataclass
class AgreementChanges:
    """A version against the one before it: the rendered text as paragraphs of runs of
    ('same'|'added'|'removed', words), and the parties that joined or left."""

    paragraphs: list[list[tuple[str, str]]]
    parties_added: list[Partner]
    parties_removed: list[Partner]

    @property
    def text_changed(self) -> bool:
        return any(kind != "same" for runs in self.paragraphs for kind, _words in runs)


_WORDS = re.compile(r"\S+|\n")


def rendered_words(html: str) -> list[str]:
    """The rendered text as words; the end of a paragraph, item or heading, and a hard line
    break, as a word "\n"."""
    # A line break inside a paragraph (Markdown's soft break) is a space.
    text = re.sub(r"\s+", " ", str(html))
    text = re.sub(r"</(p|li|h\d|tr|blockquote)>|<br\s*/?>", "\n", text)
    return _WORDS.findall(unescape(strip_tags(text)))


def word_runs(changes: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Words of the same kind in a row joined: ('added', 'zwei neue Wörter')."""
    runs: list[tuple[str, str]] = []
    for kind, word in changes:
        if runs and runs[-1][0] == kind:
            runs[-1] = (kind, f"{runs[-1][1]} {word}")
        else:
            runs.append((kind, word))
    return runs


def agreement_changes(version: AgreementVersion) -> AgreementChanges | None:
    """What `version` changed against its previous version (None for the first): the words
    of the rendered text, paragraph by paragraph as the new text has them, and the parties."""
    previous = version.previous
    if previous is None:
        return None
    paragraphs, words = [], []
    changes = changes_between(rendered_words(previous.text_html), rendered_words(version.text_html))
    for kind, word in changes:
        if word != "\n":
            words.append((kind, word))
        elif kind != "removed" and words:  # a removed break joins two paragraphs
            paragraphs.append(word_runs(words))
            words = []
    if words:
        paragraphs.append(word_runs(words))
    before = {party.partner for party in previous.parties.select_related("partner")}
    after = {party.partner for party in version.parties.all()}
    return AgreementChanges(
        paragraphs=paragraphs,
        parties_added=sorted(after - before, key=lambda partner: partner.name),
        parties_removed=sorted(before - after, key=lambda partner: partner.name),
    )


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


def votes_to_decide(application: Application) -> tuple[int, int]:
    """(approvals that admit, rejections that reject) under the application's rule."""
    electorate = len(application.electorate.all())
    needed = AdmissionRule.approvals_needed(application.admission_rule, electorate)
    return needed, electorate - needed + 1


def vote_outcome(application: Application, *, partner_id=None, approve=None) -> str | None:
    """The status the application reaches with its votes – and, if given, `partner_id`'s vote
    `approve` in place of its present one: ADMITTED, REJECTED or None (still open)."""
    votes = {vote.partner_id: vote.approve for vote in application.votes.all()}
    if partner_id is not None:
        votes[partner_id] = approve
    admit_at, reject_at = votes_to_decide(application)
    approvals = sum(votes.values())
    if approvals >= admit_at:
        return Application.Status.ADMITTED
    if len(votes) - approvals >= reject_at:
        return Application.Status.REJECTED
    return None


def partner_directory(*, query: str = ""):
    partners = Partner.objects.with_department_heads().order_by("-status", "name")
    if query:
        # A whole key in any of its forms (03101000 for Braunschweig's 03101) or its start.
        key = normalize_official_key(query)
        key = canonical(key) if len(key) in (8, 12) else key
        partners = partners.filter(Q(name__icontains=query) | Q(official_key__startswith=key))
    return partners


_ACTIVITY_TEXTS = {
    ApplicationEvent.Kind.SUBMITTED: gettext_noop(
        "{name} hat den Beitritt zur Kooperation beantragt."
    ),
    ApplicationEvent.Kind.ADMITTED: gettext_noop("{name} ist in die Kooperation aufgenommen."),
    ApplicationEvent.Kind.REJECTED: gettext_noop("Der Beitrittsantrag von {name} ist abgelehnt."),
    ApplicationEvent.Kind.WITHDRAWN: gettext_noop("{name} hat den Beitrittsantrag zurückgezogen."),
}
APPLICATION_KINDS = list(_ACTIVITY_TEXTS)
# A withdrawal of an application whose address was never confirmed: nobody saw it.
UNSEEN_WITHDRAWAL = Q(kind=ApplicationEvent.Kind.WITHDRAWN, application__confirmed_at__isnull=True)


# A row of `_application_rows` or `_version_rows`: its time first, as newest_of wants it.
VERSION = "version"


def _application_rows(events):
    return events.values_list(
        "created_at",
        "pk",
        "kind",
        "actor_id",
        "application_id",
        "application__name",
        "application__admitted_partner__slug",
    )


def _version_rows(versions):
    """Rows of agreement versions in the shape of `_application_rows` (the title as the name)."""
    return versions.values_list(
        "in_force_at",
        "pk",
        Value(VERSION, output_field=CharField()),
        Value(None, output_field=IntegerField()),
        Value(None, output_field=IntegerField()),
        "title",
        Value("", output_field=CharField()),
    )


def _item(row) -> Activity:
    at, pk, kind, actor_id, application_id, name, admitted_slug = row[:7]
    if kind == VERSION:
        return Activity(
            section=Section.COOPERATION,
            at=at,
            text=_("„{title}“ ist in Kraft: alle Parteien haben unterzeichnet.").format(title=name),
            path=reverse("partners:agreement_version", args=[pk]),
        )
    # Who applies, and who was refused or withdrew, is for those who vote; who was admitted is
    # public (the directory shows the new partner).
    if kind == ApplicationEvent.Kind.ADMITTED and admitted_slug:
        path = reverse("partners:partner_detail", args=[admitted_slug])
    else:
        path = reverse("partners:application_detail", args=[application_id])
    return Activity(
        section=Section.COOPERATION,
        at=at,
        text=_(_ACTIVITY_TEXTS[kind]).format(name=name),
        path=path,
        actor_id=actor_id,
        restricted=kind != ApplicationEvent.Kind.ADMITTED,
    )


def activity(*, since, until) -> list[Activity]:
    """Applications to join, their decisions and withdrawals, and agreement versions put into
    force in the window (since, until]: what the digest tells the partners about the
    cooperation itself, in one query. All but admissions are `restricted` to those who may see
    applications."""
    events = ApplicationEvent.objects.filter(
        created_at__gt=since, created_at__lte=until, kind__in=APPLICATION_KINDS
    ).exclude(UNSEEN_WITHDRAWAL)
    versions = AgreementVersion.objects.filter(in_force_at__gt=since, in_force_at__lte=until)
    rows = _application_rows(events.order_by()).union(_version_rows(versions.order_by()), all=True)
    # Applications before versions, each in order of time (as the digest has always listed them).
    return [_item(row) for row in sorted(rows, key=lambda row: (row[2] == VERSION, row[0], row[1]))]


def newest_activity(*, reader: Reader, since, until, limit: int) -> list[Newest]:
    """One person's share of `activity`, filtered in SQL (see `Reader`), in one query: these
    items belong to no partner and no field, so a filter by either leaves none."""
    if not reader.wants(Section.COOPERATION) or (reader.partner, reader.area) != (None, None):
        return []
    kinds = APPLICATION_KINDS if reader.insider else [ApplicationEvent.Kind.ADMITTED]
    events = (
        ApplicationEvent.objects.filter(created_at__gt=since, created_at__lte=until, kind__in=kinds)
        .exclude(UNSEEN_WITHDRAWAL)
        .exclude(actor_id=reader.user_id)
        .order_by("-created_at", "-pk")
    )
    versions = AgreementVersion.objects.filter(
        in_force_at__gt=since, in_force_at__lte=until
    ).order_by("-in_force_at", "-pk")
    return newest_of(
        [(_application_rows, events), (_version_rows, versions)], limit=limit, make=_item
    )


VOTE_CHOICES = (
    ("approve", "yes", gettext_lazy("Zustimmen")),
    ("approve", "no", gettext_lazy("Ablehnen")),
)


def _unvoted_applications(_limit: int, *, partner_ids):
    """Rows (partner, application, name, submitted) of the pending applications on which these
    partners' department heads have not voted yet, oldest first (`_limit`: all of them)."""
    electorate = Application.electorate.through.objects.filter(
        partner_id__in=partner_ids, application__status=Application.Status.PENDING
    ).exclude(
        Exists(
            Vote.objects.filter(
                application_id=OuterRef("application_id"), partner_id=OuterRef("partner_id")
            )
        )
    )
    # An application of a municipality that is a member by now (admitted under another
    # application, or entered by the office) awaits nobody's vote.
    electorate = electorate.exclude(
        Exists(Partner.objects.members().filter(official_key=OuterRef("application__official_key")))
    )
    return electorate.values_list(
        "partner_id", "application_id", "application__name", "application__submitted_at"
    ).order_by("application__submitted_at", "application_id")


# Asked on every overview of a department head: built and compiled once per process.
UNVOTED_APPLICATIONS = CompiledOnce(
    lambda limit, *, partner_id: _unvoted_applications(limit, partner_ids=[partner_id]),
    partner_id=-730_019_003,
)


def awaiting_votes(partner_ids, *, limit: int) -> dict[int, tuple[list[Activity], int]]:
    """For each of these partners, the oldest `limit` pending applications its department head
    has not voted on yet, and how many there are (the digest's "Wartet auf Ihre Entscheidung")."""
    waiting = {partner_id: ([], 0) for partner_id in partner_ids}
    if not waiting:
        return waiting
    if len(waiting) == 1:  # one department head (the overview): compiled once per process
        [partner_id] = waiting
        rows = UNVOTED_APPLICATIONS.rows(limit=0, partner_id=partner_id)
    else:
        rows = _unvoted_applications(0, partner_ids=list(waiting))
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
    """The member partner whose confirmed e-mail domains include the address's domain
    (case-insensitive, exact: a subdomain needs its own entry). A domain an applicant named
    counts once the office has confirmed it."""
    domain = email.rpartition("@")[2].strip().lower()
    found = (
        EmailDomain.objects.filter(
            domain=domain, confirmed=True, partner__status=Partner.Status.MEMBER
        )
        .select_related("partner")
        .first()
    )
    return found.partner if found else None
