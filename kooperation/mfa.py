"""Second factor at sign-in (allauth.mfa): who must use one, and how its secrets are stored."""

import base64

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from partners.models import User


def mfa_required(person: User) -> bool:
    """Department heads decide for their partner and the office's admins can change anything:
    they sign in with a second factor (unless MFA_REQUIRED is off, as in the demo)."""
    return settings.MFA_REQUIRED and (
        person.is_department_head or person.is_staff or person.is_superuser
    )


def _fernet(secret_key: str) -> Fernet:
    key = salted_hmac(
        "kooperation.mfa", "authenticator-secrets", secret=secret_key, algorithm="sha256"
    )
    return Fernet(base64.urlsafe_b64encode(key.digest()))


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Für Ihre Rolle ist die Zwei-Faktor-Anmeldung vorgeschrieben; Sie können sie nicht "
            "abschalten. Für ein neues Telefon setzt die Geschäftsstelle die App zurück; bis "
            "dahin melden Sie sich mit einem Wiederherstellungscode an."
        ),
    }

    def _cipher(self) -> MultiFernet:
        # Keyed by SECRET_KEY; after a key rotation, SECRET_KEY_FALLBACKS still decrypt.
        keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
        return MultiFernet([_fernet(key) for key in keys])

    def encrypt(self, text: str) -> str:
        """TOTP secrets and the recovery-code seed are stored encrypted, so a copy of the
        database alone does not let anyone compute a person's codes."""
        return self._cipher().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return self._cipher().decrypt(encrypted_text.encode()).decode()

    def can_delete_authenticator(self, authenticator) -> bool:
        return not mfa_required(authenticator.user)
