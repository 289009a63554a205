"""The rules of the initiative workflow as tables: which status and which participation stage can
follow which. Services enforce them; views and templates ask them which buttons to offer."""

from django.contrib.humanize.templatetags.humanize import apnumber
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative, InitiativeEvent, Participation

Status = Initiative.Status
Stage = Participation.Stage

# Partners that must commit before a proposal becomes an active initiative. Every sentence that
# states the rule says it with commitments_to_activate_in_words().
COMMITMENTS_TO_ACTIVATE = 2


def commitments_to_activate_in_words() -> str:
    """The rule's number as a word ("zwei"), as templates write it with |apnumber."""
    return apnumber(COMMITMENTS_TO_ACTIVATE)


# The lead partner's department head steers an active initiative: (from, to) -> event.
STATUS_CHANGES = {
    (Status.ACTIVE, Status.PAUSED): InitiativeEvent.Kind.PAUSED,
    (Status.PAUSED, Status.ACTIVE): InitiativeEvent.Kind.RESUMED,
    (Status.ACTIVE, Status.COMPLETED): InitiativeEvent.Kind.COMPLETED,
}
STATUS_ACTIONS = {
    Status.PAUSED: _("Pausieren"),
    Status.ACTIVE: _("Fortsetzen"),
    Status.COMPLETED: _("Abschließen"),
}

# A partner's way through an initiative. None: the partner has said nothing yet.
STAGE_CHANGES = {
    None: (Stage.INTERESTED, Stage.COMMITTED, Stage.DECLINED),
    Stage.INTERESTED: (Stage.COMMITTED, Stage.DECLINED),
    Stage.DECLINED: (Stage.INTERESTED, Stage.COMMITTED),
    Stage.COMMITTED: (Stage.ADOPTED,),
    Stage.ADOPTED: (),
}
# In which states of the initiative each stage can be reached.
STAGE_NEEDS_STATUS = {
    Stage.INTERESTED: Initiative.OPEN,
    Stage.COMMITTED: Initiative.OPEN,
    Stage.DECLINED: Initiative.OPEN,
    Stage.ADOPTED: (Status.ACTIVE, Status.COMPLETED),
}
STAGE_EVENTS = {
    Stage.INTERESTED: InitiativeEvent.Kind.INTERESTED,
    Stage.COMMITTED: InitiativeEvent.Kind.COMMITTED,
    Stage.DECLINED: InitiativeEvent.Kind.DECLINED,
    Stage.ADOPTED: InitiativeEvent.Kind.ADOPTED,
}
STAGE_ACTIONS = {
    Stage.INTERESTED: _("Interesse bekunden"),
    Stage.COMMITTED: _("Beteiligung zusagen"),
    Stage.DECLINED: _("Beteiligung absagen"),
    Stage.ADOPTED: _("Nachnutzung erklären"),
}


def next_statuses(current: str) -> list[str]:
    return [to for (from_, to) in STATUS_CHANGES if from_ == current]


def next_stages(initiative: Initiative, current: str | None) -> list[str]:
    """Stages the partner can move to from `current`, given the initiative's status."""
    current = Stage(current) if current else None
    return [
        stage for stage in STAGE_CHANGES[current] if initiative.status in STAGE_NEEDS_STATUS[stage]
    ]
