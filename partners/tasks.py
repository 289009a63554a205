"""E-mails about applications to join, sent by Celery after the transaction commits."""

from smtplib import SMTPException

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

MAIL_ERRORS = (SMTPException, ConnectionError, TimeoutError)
RETRY = {"autoretry_for": MAIL_ERRORS, "retry_backoff": 30, "retry_kwargs": {"max_retries": 8}}


def absolute_url(path: str) -> str:
    """A portal path as a link for e-mails (SITE_URL)."""
    return f"{settings.SITE_URL}{path}"


def _send(template: str, context: dict, recipients: list[str]) -> None:
    context = {**context, "PORTAL_NAME": settings.PORTAL_NAME, "SITE_URL": settings.SITE_URL}
    subject = render_to_string(f"partners/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"partners/email/{template}.txt", context)
    send_mail(f"[{settings.PORTAL_NAME}] {subject}", body, None, recipients)


@shared_task(**RETRY)
def send_application_received(application_id: int) -> None:
    from partners.models import Application
    from partners.tokens import CONFIRM_LINK_DAYS, confirm_token, withdraw_token

    application = Application.objects.get(pk=application_id)
    links = {
        "confirm_url": reverse("partners:application_confirm", args=[confirm_token(application)]),
        "withdraw_url": reverse(
            "partners:application_withdraw", args=[withdraw_token(application)]
        ),
    }
    _send(
        "application_received",
        {
            "application": application,
            "confirm_days": CONFIRM_LINK_DAYS,
            **{name: absolute_url(path) for name, path in links.items()},
        },
        [application.contact_email],
    )


@shared_task(**RETRY)
def send_vote_request(application_id: int, head_id: int) -> None:
    """Tells a voting department head at once, not in the next digest."""
    from partners.models import Application, User

    application = Application.objects.get(pk=application_id)
    head = User.objects.get(pk=head_id)
    url = absolute_url(reverse("partners:application_detail", args=[application.pk]))
    _send("application_awaits_vote", {"application": application, "url": url}, [head.email])


@shared_task(**RETRY)
def send_application_decided(application_id: int) -> None:
    from partners.models import Application

    application = Application.objects.select_related("admitted_partner").get(pk=application_id)
    _send("application_decided", {"application": application}, [application.contact_email])


@shared_task(**RETRY)
def send_invitation(user_id: int, template: str = "invitation") -> None:
    """A link to set the first password (allauth's password reset link, valid for
    PASSWORD_RESET_TIMEOUT): for the contact of an admitted partner and for people the office
    invites."""
    from partners.models import User

    user = User.objects.select_related("partner").get(pk=user_id)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    context = {
        "person": user,
        "url": absolute_url(path),
        "valid_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60),
    }
    _send(template, context, [user.email])


@shared_task
def expire_unconfirmed_applications() -> int:
    from partners import services

    return services.applications_unconfirmed_expire()
