"""Second factor at sign-in (allauth.mfa): who must use one, and how its secrets are stored."""

import base64
import logging
import secrets

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from allauth.mfa.base.forms import ReauthenticateForm as AllauthReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm as AllauthActivateTOTPForm
from allauth.mfa.totp.internal import auth as totp
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from partners.models import User
from partners.permissions import mfa_required

__all__ = [
    "ActivateTOTPForm",
    "AuthenticateForm",
    "MFAAdapter",
    "ReauthenticateForm",
    "cipher",
    "mfa_required",
    "reset",
    "rotate_keys",
]

logger = logging.getLogger(__name__)
# The stored values of allauth's authenticators that encrypt() wrote.
ENCRYPTED_FIELDS = ("secret", "seed")


def cipher() -> MultiFernet:
    """Keyed by SECRET_KEY; after a key rotation, the keys in SECRET_KEY_FALLBACKS still
    decrypt until `manage.py mfa_rotate_keys` has encrypted everything with the new one."""
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return MultiFernet([_fernet(key) for key in keys])


def rotate_keys() -> int:
    """Encrypts every stored secret with the current SECRET_KEY; returns how many."""
    from allauth.mfa.models import Authenticator

    rotated = 0
    current = cipher()
    for authenticator in Authenticator.objects.all().iterator():
        data = dict(authenticator.data)
        for field in ENCRYPTED_FIELDS:
            if field in data:
                data[field] = current.rotate(data[field].encode()).decode()
        if data != authenticator.data:
            Authenticator.objects.filter(pk=authenticator.pk).update(data=data)
            rotated += 1
    return rotated


def reset(person: User) -> int:
    """Removes the person's second factor – authenticator app and recovery codes together, so
    codes kept with a lost phone stop working – and ends their sessions: at the next sign-in
    they set up a new app (when it is required) and get new codes."""
    from allauth.mfa.models import Authenticator

    from partners import services

    deleted, _ = Authenticator.objects.filter(user=person).delete()
    services.sessions_end(person=person)
    return deleted


def _fernet(secret_key: str) -> Fernet:
    key = salted_hmac(
        "kooperation.mfa", "authenticator-secrets", secret=secret_key, algorithm="sha256"
    )
    return Fernet(base64.urlsafe_b64encode(key.digest()))


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "code_used": _(
            "Dieser Code wurde bereits verwendet. Jeder Code gilt nur einmal: Bitte warten "
            "Sie, bis die App einen neuen Code anzeigt (höchstens 30 Sekunden), und geben Sie "
            "diesen ein."
        ),
        "cannot_delete_authenticator": _(
            "Für Ihre Rolle ist die Zwei-Faktor-Anmeldung vorgeschrieben; Sie können sie nicht "
            "abschalten. Für ein neues Telefon setzt die Geschäftsstelle die App zurück; bis "
            "dahin melden Sie sich mit einem Wiederherstellungscode an."
        ),
    }

    def encrypt(self, text: str) -> str:
        """TOTP secrets and the recovery-code seed are stored encrypted, so a copy of the
        database alone does not let anyone compute a person's codes."""
        return cipher().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        try:
            return cipher().decrypt(encrypted_text.encode()).decode()
        except InvalidToken:
            # SECRET_KEY changed without the old one in SECRET_KEY_FALLBACKS: no code can be
            # right (a random secret), and the sign-in says so instead of failing with a 500.
            logger.error(
                "Ein gespeicherter zweiter Faktor lässt sich nicht entschlüsseln: SECRET_KEY "
                "wurde geändert, ohne den alten in SECRET_KEY_FALLBACKS zu setzen."
            )
            return base64.b32encode(secrets.token_bytes(20)).decode()

    def can_delete_authenticator(self, authenticator) -> bool:
        return not mfa_required(authenticator.user)


# allauth accepts each TOTP code once at sign-in: it notes the code in the cache `default`
# (allauth.mfa.totp.internal.auth.TOTP._mark_code_used; here the database, see the README)
# until its window has passed. The code that activates the app is checked without that note,
# so it would sign in a second time within the same 30 seconds; these forms close that gap and
# tell a reused code from a wrong one.


def _totp_of(user):
    from allauth.mfa.models import Authenticator

    return totp.TOTP(Authenticator(user=user, type=Authenticator.Type.TOTP))


class ActivateTOTPForm(AllauthActivateTOTPForm):
    def clean_code(self) -> str:
        code = super().clean_code()
        _totp_of(self.user)._mark_code_used(code)
        return code


class _RefusesUsedCodes:
    def clean_code(self) -> str:
        try:
            return super().clean_code()
        except ValidationError:
            if self._was_used(self.cleaned_data.get("code", "")):
                raise MFAAdapter().validation_error("code_used") from None
            raise

    def _was_used(self, code: str) -> bool:
        """The app's current code, already accepted once in this window."""
        from allauth.mfa.models import Authenticator

        authenticator = Authenticator.objects.filter(
            user=self.user, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None or not code:
            return False
        secret = MFAAdapter().decrypt(authenticator.data["secret"])
        if not totp.validate_totp_code(secret, code):
            return False
        return cache.get(totp.TOTP(authenticator)._get_used_cache_key(code)) is not None


class AuthenticateForm(_RefusesUsedCodes, AllauthAuthenticateForm):
    pass


class ReauthenticateForm(_RefusesUsedCodes, AllauthReauthenticateForm):
    pass
