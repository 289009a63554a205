"""Who may do what with partners, applications and the agreement. Used by views and templates."""

from django.conf import settings

from partners.models import Application


def is_department_head_of_member(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.is_department_head
        and user.partner.is_member
    )


def can_see_applications(user) -> bool:
    return is_department_head_of_member(user) or (user.is_authenticated and user.is_staff)


def can_vote_on(user, application: Application) -> bool:
    return (
        application.is_pending
        and is_department_head_of_member(user)
        and application.electorate.filter(pk=user.partner_id).exists()
    )


def can_manage_agreement(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


def mfa_required(person) -> bool:
    """Department heads decide for their partner and the office's admins can change anything:
    they sign in with a second factor (unless MFA_REQUIRED is off, as in the demo)."""
    return settings.MFA_REQUIRED and (
        person.is_department_head or person.is_staff or person.is_superuser
    )
