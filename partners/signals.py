from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.signals import password_reset, user_logged_in
from django.dispatch import receiver

from partners import services


@receiver(password_reset, dispatch_uid="partners.address_confirm_by_password_link")
def confirm_address_on_password_link(sender, request, user, **kwargs):
    # An invited person sets the first password through the link in the invitation.
    services.address_confirm_by_password_link(person=user)


@receiver(user_logged_in, dispatch_uid="partners.sign_in_counts_as_confirmation")
def sign_in_counts_as_confirmation(sender, request, user, **kwargs):
    """allauth asks for the password again before sensitive steps (a second factor, recovery
    codes, e-mail addresses) unless it was confirmed in the last ACCOUNT_REAUTHENTICATION_TIMEOUT
    seconds. Signing in confirms it too: a head led to the set-up of the authenticator app right
    after signing in is not asked for the password twice in a row."""
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY)
    if records:
        records[-1]["reauthenticated"] = True
        request.session.modified = True
