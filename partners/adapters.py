from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core import ratelimit
from allauth.core.exceptions import ImmediateHttpResponse
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError

from outbox.services import mail_queue
from partners import services
from partners.models import User
from partners.selectors import partner_for_email


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Open to addresses on a member partner's domains (SignupForm checks the domain); the
        # office adds anyone else in the admin.
        return True

    def save_user(self, request, user, form, commit=True):
        """A new person is staff of the partner their address belongs to. They cannot sign in
        before they have confirmed the address (ACCOUNT_EMAIL_VERIFICATION = "mandatory"), and
        the digest goes to confirmed addresses only (kooperation.digest.recipients)."""
        user = super().save_user(request, user, form, commit=False)
        user.name = form.cleaned_data["name"]
        user.partner = partner_for_email(user.email)
        user.role = User.Role.STAFF
        if commit:
            user.save()
            if services.address_claim(person=user):
                # The confirmation link sent for a squatter's copy works no more: the owner's
                # own link goes out now, not after allauth's cooldown for the address.
                ratelimit.clear(request, action="confirm_email", key=user.email)
        return user

    def pre_authenticate(self, request, **credentials):
        """Too many failed sign-ins answer 429 ("Zu viele Versuche"), not a form error: a
        client, a proxy and monitoring can all tell a lockout from a wrong password."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:  # allauth raises it only for the login_failed limit
            raise ImmediateHttpResponse(ratelimit.respond_429(request)) from error

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        """No warning "Ihr Passwort wurde zurückgesetzt" to someone who has just set their
        first password through an invitation: they have never signed in."""
        if template_prefix == "account/email/password_reset" and user.last_login is None:
            return
        super().send_notification_mail(template_prefix, user, context=context, email=email)

    def send_mail(self, template_prefix, email, context):
        """allauth's e-mails (confirmation, password reset, security notifications) go through
        the outbox like every other: rendered now, sent after commit, never lost to a broker
        outage. allauth renders them; only the sending differs from DefaultAccountAdapter."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        alternatives = getattr(message, "alternatives", [])
        html = next((content for content, kind in alternatives if kind == "text/html"), None)
        mail_queue(
            to=message.to,
            subject=message.subject,
            body=message.body,
            html=html,
            headers=message.extra_headers,
            kind=template_prefix.rsplit("/", 1)[-1],
        )
