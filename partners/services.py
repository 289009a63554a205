"""Writes of the partners app: applications to join, the votes on them, and the agreement.

One function per business rule, keyword-only, atomic. Rows that decide a race (an application
being voted on, an agreement version being signed) are locked with SELECT … FOR UPDATE.
"""

import datetime

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from partners import emails, official_keys, permissions
from partners.models import (
    AdmissionRule,
    AgreementParty,
    AgreementVersion,
    Application,
    ApplicationEvent,
    EmailDomain,
    Partner,
    User,
    Vote,
)
from partners.selectors import agreement_in_force, vote_outcome
from partners.tokens import CONFIRM_LINK_DAYS
from partners.validators import normalize_email_domains


def official_key_taken(official_key: str) -> str:
    """Why the key cannot be used for a new application, or '' if it can: compared as the one
    identity of the Kommune (official_keys.canonical), whichever form was written. A former
    partner may apply again (admission reactivates its record)."""
    official_key = official_keys.canonical(official_key)
    if Partner.objects.members().filter(official_key=official_key).exists():
        return _("Zu diesem amtlichen Schlüssel gibt es bereits einen Partner der Kooperation.")
    if Application.objects.pending().filter(official_key=official_key).exists():
        return _("Zu diesem amtlichen Schlüssel liegt bereits ein offener Beitrittsantrag vor.")
    return ""


def partner_name_taken(name: str, official_key: str) -> str:
    """Why an applicant cannot become a partner under this name, or '' if it can: partner
    names are unique, so admission would fail after all the votes. A former partner keeps
    its own name when it rejoins."""
    official_key = official_keys.canonical(official_key)
    others = Partner.objects.filter(name__iexact=name.strip()).exclude(official_key=official_key)
    if others.exists():
        return _(
            "Unter diesem Namen gibt es bereits einen Partner der Kooperation. Bitte geben Sie "
            "den amtlichen Namen Ihrer Kommune an, z. B. mit „Stadt“ oder „Landkreis“."
        )
    pending = Application.objects.pending().filter(name__iexact=name.strip())
    if pending.exclude(official_key=official_key).exists():
        return _("Unter diesem Namen liegt bereits ein offener Beitrittsantrag vor.")
    return ""


@transaction.atomic
def application_submit(
    *,
    name: str,
    kind: str,
    official_key: str,
    website: str,
    contact_name: str,
    contact_email: str,
    motivation: str,
    email_domains: str = "",
) -> Application:
    official_key = official_keys.canonical(official_key)
    reasons = {
        "official_key": official_key_taken(official_key),
        "name": partner_name_taken(name, official_key),
    }
    if any(reasons.values()):
        raise ValidationError({field: reason for field, reason in reasons.items() if reason})
    application = Application(
        name=name,
        kind=kind,
        official_key=official_key,
        website=website,
        contact_name=contact_name,
        contact_email=contact_email.lower(),
        motivation=motivation,
        email_domains=normalize_email_domains(email_domains),
        status=Application.Status.UNCONFIRMED,
    )
    application.full_clean()
    application.save()
    # The receipt carries the link that confirms the address; only then are the partners asked.
    emails.application_received(application)
    return application


@transaction.atomic
def application_confirm(*, application: Application) -> Application:
    """The contact confirmed their address: the application goes to the partners' vote. The
    partners that are members now form the electorate, under the agreement's rule in force
    now. Confirming twice changes nothing."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.UNCONFIRMED:
        if application.confirmed_at:
            return application
        raise ValidationError(_("Über diesen Antrag ist bereits entschieden."))
    reasons = [
        official_key_taken(application.official_key),
        partner_name_taken(application.name, application.official_key),
    ]
    if any(reasons):
        raise ValidationError(" ".join(reason for reason in reasons if reason))
    agreement = agreement_in_force()
    application.status = Application.Status.PENDING
    application.confirmed_at = timezone.now()
    application.admission_rule = agreement.admission_rule if agreement else AdmissionRule.UNANIMITY
    application.save(update_fields=["status", "confirmed_at", "admission_rule"])
    application.electorate.set(Partner.objects.members())
    ApplicationEvent.objects.create(application=application, kind=ApplicationEvent.Kind.SUBMITTED)
    # One e-mail job per department head: a failed address delays no one else's e-mail.
    heads = User.objects.filter(
        role=User.Role.DEPARTMENT_HEAD, is_active=True, partner__status=Partner.Status.MEMBER
    )
    for head in heads:
        emails.vote_request(application, head)
    return application


def applications_unconfirmed_expire(*, now=None) -> int:
    """Deletes applications whose address was not confirmed within CONFIRM_LINK_DAYS: nobody
    voted on them, and their data may belong to someone who never applied."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=CONFIRM_LINK_DAYS)
    expired = Application.objects.filter(
        status=Application.Status.UNCONFIRMED, submitted_at__lt=cutoff
    )
    deleted, _details = expired.delete()
    return deleted


@transaction.atomic
def application_vote(
    *,
    application: Application,
    voter: User,
    approve: bool,
    comment: str = "",
    decision_confirmed: bool = True,
) -> Vote:
    """Casts or changes the voter's partner's vote; decides the application once it can. A
    vote that decides needs `decision_confirmed` (the form asks; checked here, under the lock,
    for another vote may have come in since the form was shown)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not application.is_pending:
        raise ValidationError(_("Über diesen Antrag ist bereits entschieden."))
    if not permissions.can_vote_on(voter, application):
        raise PermissionDenied(
            _(
                "Über Beitritte stimmt die Dezernentin oder der Dezernent jedes "
                "stimmberechtigten Partners ab, für den eigenen Partner. Ist Ihre Rolle falsch "
                "eingetragen, wenden Sie sich bitte an die Geschäftsstelle."
            )
        )
    # The application's row lock orders votes on it: the same vote again (a double click, a
    # second tab) changes nothing and records nothing.
    cast = Vote.objects.filter(application=application, partner=voter.partner).first()
    if cast is not None and cast.approve == approve and cast.comment == comment:
        return cast
    outcome = vote_outcome(application, partner_id=voter.partner_id, approve=approve)
    if outcome and not decision_confirmed:
        raise ValidationError(
            _("Ihre Stimme entscheidet über den Antrag. Bitte bestätigen Sie das."),
            code="decision_unconfirmed",
        )
    vote, _created = Vote.objects.update_or_create(
        application=application,
        partner=voter.partner,
        defaults={
            "voter": voter,
            "approve": approve,
            "comment": comment,
            "cast_at": timezone.now(),
        },
    )
    ApplicationEvent.objects.create(
        application=application,
        kind=ApplicationEvent.Kind.APPROVED if approve else ApplicationEvent.Kind.REJECTED_VOTE,
        partner=voter.partner,
        actor=voter,
        comment=comment,
    )
    _decide_if_possible(application)
    return vote


def _decide_if_possible(application: Application) -> None:
    outcome = vote_outcome(application)
    if outcome == Application.Status.ADMITTED:
        _admit(application)
    elif outcome == Application.Status.REJECTED:
        _close(application, Application.Status.REJECTED, ApplicationEvent.Kind.REJECTED)


def _close(application: Application, status: str, event_kind: str, actor=None) -> None:
    application.status = status
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at"])
    ApplicationEvent.objects.create(application=application, kind=event_kind, actor=actor)
    if status != Application.Status.WITHDRAWN:
        emails.application_decided(application)


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "partner"
    slug, number = base, 2
    while Partner.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _admit(application: Application) -> None:
    """The applicant becomes a member: a new partner, or a former one whose record – with its
    initiatives, solutions and people – is active again."""
    partner = Partner.objects.filter(official_key=application.official_key).first()
    if partner is None:
        partner = Partner(
            name=application.name, slug=_unique_slug(application.name), kind=application.kind
        )
    partner.official_key = application.official_key
    partner.website = application.website or partner.website
    partner.status = Partner.Status.MEMBER
    partner.joined_on = timezone.localdate()
    partner.left_on = None
    try:
        partner.full_clean()
    except ValidationError as error:
        # Submission checks name and key; this is what changed since (a partner renamed).
        raise ValidationError(
            _(
                "%(name)s kann so nicht aufgenommen werden: %(reason)s Bitte wenden Sie sich "
                "an die Geschäftsstelle."
            )
            % {"name": application.name, "reason": " ".join(error.messages)}
        ) from error
    partner.save()
    application.admitted_partner = partner
    application.save(update_fields=["admitted_partner"])
    _close(application, Application.Status.ADMITTED, ApplicationEvent.Kind.ADMITTED)

    contact = User.objects.filter(email__iexact=application.contact_email).first()
    if contact is None:
        contact = User(
            email=application.contact_email,
            name=application.contact_name,
            partner=partner,
            role=User.Role.STAFF,
            requested_role=User.Role.DEPARTMENT_HEAD,
        )
        contact.set_unusable_password()
        contact.full_clean()
        contact.save()
        person_invite(person=contact, template="admission_invitation")

    domains = _record_email_domains(partner, application.email_domain_list)
    draft = agreement_draft_for_new_partner(partner=partner)
    emails.admission_to_office(application, partner, domains=domains, draft=draft)


def _record_email_domains(partner: Partner, domains: list[str]) -> list[EmailDomain]:
    """The applicant's domains, unconfirmed: only the office's check lets anyone sign up with
    them (an applicant could name any domain). One another partner has already stays its."""
    taken = set(
        EmailDomain.objects.annotate(lower=Lower("domain"))
        .filter(lower__in=domains)
        .values_list("lower", flat=True)
    )
    return EmailDomain.objects.bulk_create(
        EmailDomain(partner=partner, domain=domain, confirmed=False)
        for domain in domains
        if domain not in taken
    )


@transaction.atomic
def email_domains_confirm(*, partners) -> int:
    """The office has checked the partners' unconfirmed domains: their staff may sign up."""
    return EmailDomain.objects.filter(partner__in=partners, confirmed=False).update(confirmed=True)


def agreement_draft_for_new_partner(*, partner: Partner) -> AgreementVersion:
    current = agreement_in_force()
    parties = list(Partner.objects.members())
    version = AgreementVersion.objects.create(
        # Not the previous title with "– mit …" appended: titles would grow with each admission.
        title=_("Kooperationsvereinbarung, Fassung mit Beitritt %(partner)s")
        % {"partner": partner},
        text=current.text if current else "",
        admission_rule=current.admission_rule if current else AdmissionRule.UNANIMITY,
        previous=current,
    )
    AgreementParty.objects.bulk_create(AgreementParty(version=version, partner=p) for p in parties)
    return version


@transaction.atomic
def application_withdraw(*, application: Application) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in (Application.Status.UNCONFIRMED, Application.Status.PENDING):
        raise ValidationError(_("Über diesen Antrag ist bereits entschieden."))
    _close(application, Application.Status.WITHDRAWN, ApplicationEvent.Kind.WITHDRAWN)
    return application


@transaction.atomic
def agreement_send_for_signature(*, version: AgreementVersion) -> AgreementVersion:
    version = AgreementVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != AgreementVersion.Status.DRAFT:
        raise ValidationError(_("Nur ein Entwurf kann zur Unterzeichnung gegeben werden."))
    if not version.parties.exists():
        raise ValidationError(_("Eine Fassung ohne Vertragsparteien kann niemand unterzeichnen."))
    version.status = AgreementVersion.Status.IN_SIGNATURE
    version.save(update_fields=["status"])
    return version


@transaction.atomic
def agreement_sign(
    *,
    version: AgreementVersion,
    partner: Partner,
    signatory_name: str,
    signatory_role: str,
    signed_on: datetime.date,
    recorded_by: User | None,
) -> AgreementParty:
    """Records a party's signature; the last one puts the version into force."""
    version = AgreementVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != AgreementVersion.Status.IN_SIGNATURE:
        raise ValidationError(_("Diese Fassung ist nicht in Unterzeichnung."))
    party = version.parties.filter(partner=partner).first()
    if party is None:
        raise ValidationError(_("Dieser Partner ist keine Vertragspartei dieser Fassung."))
    if party.has_signed:
        raise ValidationError(_("Dieser Partner hat bereits unterzeichnet."))
    if not signatory_name.strip() or not signatory_role.strip():
        raise ValidationError(_("Name und Funktion der unterzeichnenden Person fehlen."))
    party.signatory_name = signatory_name.strip()
    party.signatory_role = signatory_role.strip()
    party.signed_on = signed_on
    party.recorded_by = recorded_by
    party.full_clean()
    party.save(update_fields=["signatory_name", "signatory_role", "signed_on", "recorded_by"])
    if not version.parties.filter(signed_on__isnull=True).exists():
        _put_into_force(version)
    return party


def _put_into_force(version: AgreementVersion) -> None:
    now = timezone.now()
    AgreementVersion.objects.in_force().update(
        status=AgreementVersion.Status.SUPERSEDED, superseded_at=now
    )
    version.status = AgreementVersion.Status.IN_FORCE
    version.in_force_at = now
    if version.effective_on is None:
        version.effective_on = max(version.parties.values_list("signed_on", flat=True))
    version.save(update_fields=["status", "in_force_at", "effective_on"])


@transaction.atomic
def person_invite(*, person: User, template: str = "invitation") -> None:
    """Sends a saved person, who has no password yet, a link to set one (an outbox job, sent
    after the transaction commits). The address counts as confirmed once they have set it
    through that link (address_confirm_by_password_link): only its owner can."""
    if person.has_usable_password():
        raise ValidationError(_("%(person)s hat schon ein Passwort.") % {"person": person})
    if not EmailAddress.objects.filter(user=person, email__iexact=person.email).exists():
        person_address_replace(person=person)
    address_claim(person=person)
    emails.invitation(person, template)


def person_address_replace(*, person: User) -> None:
    """After the office changed a person's address: it is their only one, not yet confirmed,
    and every session ends. An old address – a typo, a former employer's – must not stay a way
    into the account (through "Passwort vergessen", say)."""
    EmailAddress.objects.filter(user=person).delete()
    EmailAddress.objects.create(user=person, email=person.email, primary=True, verified=False)
    address_claim(person=person)
    sessions_end(person=person)


def address_claim(*, person: User, email: str | None = None) -> int:
    """The address is `person`'s now (their own, or confirmed by them): other accounts'
    unconfirmed copies of it go, with the confirmation links sent for them. They never
    belonged to those accounts (see selectors.address_owners)."""
    copies = EmailAddress.objects.filter(
        email__iexact=email or person.email, verified=False, primary=False
    ).exclude(user=person)
    deleted, _details = copies.delete()
    return deleted


def address_confirm_by_password_link(*, person: User) -> None:
    """Setting the first password through the link sent to the only address proves that the
    person reads it, just as the confirmation link would."""
    addresses = list(EmailAddress.objects.filter(user=person))
    only = addresses[0] if len(addresses) == 1 else None
    if only and only.email.lower() == person.email.lower() and not only.verified:
        only.verified = only.primary = True
        only.save(update_fields=["verified", "primary"])


def sessions_end(*, person: User) -> int:
    """Ends every session of the person on the server (for example when the office
    deactivates them): their next request is anonymous."""
    from allauth.usersessions.adapter import get_adapter
    from allauth.usersessions.models import UserSession

    # Not purge_and_list(): it drops the records of an inactive person's sessions (their user
    # no longer resolves) without deleting the sessions themselves.
    sessions = list(UserSession.objects.filter(user=person))
    get_adapter().end_sessions(sessions)
    return len(sessions)
