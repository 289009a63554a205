"""The signed token of the one-click unsubscribe link (RFC 8058) each digest carries."""

from django.conf import settings
from django.core import signing

from partners.models import User

UNSUBSCRIBE_SALT = "kooperation.digest.unsubscribe"


def unsubscribe_token(user: User) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT, compress=True)


def user_from_unsubscribe_token(token: str) -> User | None:
    """The person a token was made for; raises signing.SignatureExpired or BadSignature."""
    pk = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=settings.DIGEST_UNSUBSCRIBE_MAX_AGE)
    return User.objects.filter(pk=pk).first()
