from allauth.account.signals import email_confirmed, password_reset, user_logged_in
from django.dispatch import receiver

from partners import services


@receiver(password_reset, dispatch_uid="partners.address_confirm_by_password_link")
def confirm_address_on_password_link(sender, request, user, **kwargs):
    # An invited person sets the first password through the link in the invitation.
    services.address_confirm_by_password_link(person=user)


@receiver(user_logged_in, dispatch_uid="partners.sign_in_counts_as_confirmation")
def sign_in_counts_as_confirmation(sender, request, user, **kwargs):
    """allauth asks for the password again before changes to the second factor unless it was
    confirmed in the last ACCOUNT_REAUTHENTICATION_TIMEOUT seconds (five minutes), and counts
    only a confirmation, not the sign-in itself. A sign-in proves as much (the password, and
    the second factor where there is one): for five minutes after it, nobody is asked again –
    a head led to the set-up of their app right after signing in, or anyone who goes there."""
    from allauth.account.authentication import get_authentication_records

    records = get_authentication_records(request, user)
    if records and records[-1].get("method") in ("password", "mfa"):
        records[-1]["reauthenticated"] = True
        request.session.modified = True


@receiver(email_confirmed, dispatch_uid="partners.address_claim_on_confirmation")
def claim_confirmed_address(sender, request, email_address, **kwargs):
    # Whoever confirms an address owns it; others who only typed it in lose their copy.
    services.address_claim(person=email_address.user, email=email_address.email)
