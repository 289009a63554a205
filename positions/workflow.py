"""The rules of the position workflow as tables: which status can follow which, and how many
co-signers sending needs. Services enforce them; views and templates ask them what to offer."""

from django.utils.translation import gettext_lazy as _

from positions.models import Position, PositionEvent

Status = Position.Status

# Partners, the lead among them, that must co-sign before the letter can be sent.
COSIGNERS_TO_SEND = 2

# (from, to) -> the event that records the step.
STATUS_CHANGES = {
    (Status.DRAFT, Status.COSIGNING): PositionEvent.Kind.OPENED,
    (Status.DRAFT, Status.WITHDRAWN): PositionEvent.Kind.WITHDRAWN,
    (Status.COSIGNING, Status.SENT): PositionEvent.Kind.SENT,
    (Status.COSIGNING, Status.WITHDRAWN): PositionEvent.Kind.WITHDRAWN,
    (Status.SENT, Status.ANSWERED): PositionEvent.Kind.ANSWERED,
}
# The text can change in these; a change during Mitzeichnung resets the co-signatures.
EDITABLE = (Status.DRAFT, Status.COSIGNING)
# Co-signatures are decided and changed in this status only.
DECIDING = Status.COSIGNING
# A sent position may be published.
PUBLISHABLE = Position.SENT_STATUSES

WRONG_STEP = _("Eine Position im Status „%(current)s“ kann nicht „%(wanted)s“ werden.")


def next_statuses(current: str) -> list[str]:
    return [to for (from_, to) in STATUS_CHANGES if from_ == current]


def step_event(current: str, wanted: str):
    """The event of the step from `current` to `wanted`, or None for a step that does not exist."""
    return STATUS_CHANGES.get((current, wanted))


def wrong_step_message(current: str, wanted: str) -> str:
    return WRONG_STEP % {"current": Status(current).label, "wanted": Status(wanted).label}
