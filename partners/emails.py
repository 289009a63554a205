"""E-mails about applications to join and invitations: rendered and written to the outbox in the
transaction of the change that causes them (outbox.services.mail_queue)."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.urls import reverse

from outbox.services import mail_queue, render_text


def absolute_url(path: str) -> str:
    """A portal path as a link for e-mails (SITE_URL)."""
    return f"{settings.SITE_URL}{path}"


def _queue(template: str, context: dict, recipients: list[str]) -> None:
    context = {**context, "PORTAL_NAME": settings.PORTAL_NAME, "SITE_URL": settings.SITE_URL}
    subject = render_text(f"partners/email/{template}_subject.txt", context)
    mail_queue(
        to=recipients,
        subject=f"[{settings.PORTAL_NAME}] {subject}",
        body=render_text(f"partners/email/{template}.txt", context),
        kind=template,
    )


def application_received(application) -> None:
    """The receipt, with the links that confirm the address and withdraw the application."""
    from partners.tokens import CONFIRM_LINK_DAYS, confirm_token, withdraw_token

    links = {
        "confirm_url": reverse("partners:application_confirm", args=[confirm_token(application)]),
        "withdraw_url": reverse(
            "partners:application_withdraw", args=[withdraw_token(application)]
        ),
    }
    _queue(
        "application_received",
        {
            "application": application,
            "confirm_days": CONFIRM_LINK_DAYS,
            **{name: absolute_url(path) for name, path in links.items()},
        },
        [application.contact_email],
    )


def vote_request(application, head) -> None:
    """Tells a voting department head at once, not in the next digest."""
    url = absolute_url(reverse("partners:application_detail", args=[application.pk]))
    _queue("application_awaits_vote", {"application": application, "url": url}, [head.email])


def application_decided(application) -> None:
    _queue("application_decided", {"application": application}, [application.contact_email])


def admission_to_office(application, partner, *, domains, draft) -> None:
    """What the office does after an admission: check and confirm the new partner's e-mail
    domains (until then nobody can sign up with them), confirm the contact's role, send the
    drafted agreement for signature."""
    office = [address for _name, address in settings.MANAGERS]
    if not office:
        return
    context = {
        "application": application,
        "partner": partner,
        "domains": domains,
        "partner_url": absolute_url(reverse("admin:partners_partner_change", args=[partner.pk])),
        "draft_url": absolute_url(reverse("partners:agreement_version", args=[draft.pk])),
    }
    _queue("admission_office", context, office)


def invitation(person, template: str = "invitation") -> None:
    """A link to set the first password (allauth's password reset link, valid for
    PASSWORD_RESET_TIMEOUT): for the contact of an admitted partner and for people the office
    invites."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(person),
            "key": default_token_generator.make_token(person),
        },
    )
    context = {
        "person": person,
        "url": absolute_url(path),
        "valid_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60),
    }
    _queue(template, context, [person.email])
