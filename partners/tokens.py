"""Signed links for applicants, who have no account: withdrawing their application."""

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
