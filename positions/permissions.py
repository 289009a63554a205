"""Who may do what with positions. Used by views, templates and services alike; hiding a
button is never the check."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from initiatives.permissions import JOIN_OR_ASK_OFFICE, can_browse, is_member_person
from partners.permissions import is_department_head_of_member
from positions import workflow
from positions.models import Position

Status = Position.Status

__all__ = ["JOIN_OR_ASK_OFFICE", "can_browse", "is_member_person"]


def can_read(user, position: Position) -> bool:
    """Members and the office read every position; visitors those published."""
    return position.is_published or can_browse(user)


def can_propose(user) -> bool:
    return is_member_person(user)


def _of_lead(user, position: Position) -> bool:
    return is_member_person(user) and user.partner_id == position.lead_partner_id


def _head_of_lead(user, position: Position) -> bool:
    return is_department_head_of_member(user) and user.partner_id == position.lead_partner_id


def can_edit(user, position: Position) -> bool:
    """The lead partner's people edit the text until it is sent."""
    return _of_lead(user, position) and position.status in workflow.EDITABLE


def can_open(user, position: Position) -> bool:
    return _head_of_lead(user, position) and position.status == Status.DRAFT


def can_decide(user, position: Position) -> bool:
    """Each member partner's department head co-signs or declines for their partner."""
    return is_department_head_of_member(user) and position.status == workflow.DECIDING


def can_send(user, position: Position) -> bool:
    return _head_of_lead(user, position) and position.status == Status.COSIGNING


def can_withdraw(user, position: Position) -> bool:
    """The lead's head, or the proposer while it is a draft."""
    if position.status not in (Status.DRAFT, Status.COSIGNING):
        return False
    proposer_of_draft = (
        position.status == Status.DRAFT
        and is_member_person(user)
        and position.proposer_id == user.pk
    )
    return _head_of_lead(user, position) or proposer_of_draft


def can_record_answer(user, position: Position) -> bool:
    """The office or the lead partner's people, once it is sent."""
    office = user.is_authenticated and user.is_active and user.is_staff
    return position.status == Status.SENT and (office or _of_lead(user, position))


def can_publish(user, position: Position) -> bool:
    return (
        _head_of_lead(user, position)
        and position.status in workflow.PUBLISHABLE
        and not position.is_published
    )


# What the 403 page says when a predicate says no: why, and what the person can do instead.
_ASK_LEAD = _(
    "Bitten Sie die Dezernentin oder den Dezernenten des federführenden Partners darum; wer "
    "das ist, steht auf der Seite der Position."
)
REFUSED_PROPOSE = format_lazy(
    "{} {}", _("Positionen schlagen Personen eines Mitgliedspartners vor."), JOIN_OR_ASK_OFFICE
)
REFUSED_EDIT = format_lazy(
    "{} {}",
    _("Den Text bearbeiten Personen des federführenden Partners, bis er versandt ist."),
    _(
        "Ihre Änderungswünsche richten Sie bitte an die Person, die die Position angelegt hat; "
        "sie steht auf der Seite der Position."
    ),
)
REFUSED_LEAD_HEADS_STEP = format_lazy(
    "{} {}",
    _("Diesen Schritt geht die Dezernentin oder der Dezernent des federführenden Partners."),
    _ASK_LEAD,
)
REFUSED_DECIDE = _(
    "Mitzeichnen oder ablehnen kann die Dezernentin oder der Dezernent eines Partners, jeweils "
    "für den eigenen Partner. Bitten Sie die Dezernentin oder den Dezernenten Ihres Partners "
    "um die Entscheidung."
)
REFUSED_RECORD_ANSWER = _(
    "Die Antwort erfassen die Geschäftsstelle oder der federführende Partner. Haben Sie eine "
    "Antwort erhalten, leiten Sie sie bitte an die Geschäftsstelle weiter."
)
REFUSED_WITHDRAW = format_lazy(
    "{} {}",
    _(
        "Zurückziehen kann die Dezernentin oder der Dezernent des federführenden Partners, "
        "einen Entwurf auch, wer ihn angelegt hat."
    ),
    _ASK_LEAD,
)
