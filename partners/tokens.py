"""Signed links for applicants, who have no account: confirming their address and
withdrawing their application."""

from django.core import signing

_SALT = "partners.application.withdraw"
WITHDRAW_LINK_DAYS = 180


def withdraw_token(application) -> str:
    return signing.dumps(application.pk, salt=_SALT)


def application_id_from_withdraw_token(token: str) -> int | None:
    try:
        return signing.loads(token, salt=_SALT, max_age=WITHDRAW_LINK_DAYS * 24 * 3600)
    except signing.BadSignature:
        return None


_CONFIRM_SALT = "partners.application.confirm"
# An application whose address is not confirmed within this time is deleted.
CONFIRM_LINK_DAYS = 7


def confirm_token(application) -> str:
    return signing.dumps(application.pk, salt=_CONFIRM_SALT)


def application_id_from_confirm_token(token: str) -> int | None:
    try:
        return signing.loads(token, salt=_CONFIRM_SALT, max_age=CONFIRM_LINK_DAYS * 24 * 3600)
    except signing.BadSignature:
        return None
