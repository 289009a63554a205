"""`manage.py check --deploy` findings of our own settings."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def mfa_required_in_production(app_configs, **kwargs):
    if settings.MFA_REQUIRED:
        return []
    return [
        Warning(
            "MFA_REQUIRED ist aus: Dezernent:innen und die Geschäftsstelle können sich ohne "
            "zweiten Faktor anmelden.",
            hint="MFA_REQUIRED nur für die eingebettete Demo ausschalten.",
            id="kooperation.W001",
        )
    ]
