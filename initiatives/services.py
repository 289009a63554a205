"""Writes of the initiatives app: proposing, deciding, participating, discussing, following,
and the inventory of solutions.

One function per business rule, keyword-only, atomic. The initiative row is locked with
SELECT … FOR UPDATE wherever two people deciding at once could race (the second commitment
that makes a proposal active).
"""

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from initiatives import discussion, permissions, workflow
from initiatives.discussion import INITIATIVES
from initiatives.models import (
    Area,
    Comment,
    Follow,
    Initiative,
    InitiativeEvent,
    Participation,
    Solution,
)
from initiatives.workflow import (
    STAGE_CHANGES,
    STAGE_EVENTS,
    STAGE_NEEDS_STATUS,
    STATUS_CHANGES,
)
from partners.models import User

Status = Initiative.Status
Stage = Participation.Stage

EDITABLE_FIELDS = ("title", "summary", "description", "area", "ozg_reference", "target_date")


def _record(initiative: Initiative, kind: str, actor: User | None, partner=None) -> None:
    now = timezone.now()
    InitiativeEvent.objects.create(
        initiative=initiative,
        kind=kind,
        actor=actor,
        partner=partner if partner is not None else getattr(actor, "partner", None),
        created_at=now,
    )
    initiative.last_activity_at = now
    initiative.save(update_fields=["last_activity_at"])


def _lock(initiative: Initiative) -> Initiative:
    return Initiative.objects.select_for_update().get(pk=initiative.pk)


def _follow_all(initiative: Initiative, users) -> None:
    discussion.follow_all(INITIATIVES, initiative, users)


@transaction.atomic
def initiative_propose(
    *,
    proposer: User,
    title: str,
    summary: str,
    description: str,
    area: Area,
    ozg_reference: str = "",
    target_date: datetime.date | None = None,
) -> Initiative:
    """A proposal led by the proposer's partner, which is thereby interested in it."""
    if not permissions.can_propose(proposer):
        raise PermissionDenied(permissions.REFUSED_PROPOSE)
    initiative = Initiative(
        title=title,
        summary=summary,
        description=description,
        area=area,
        lead_partner=proposer.partner,
        proposer=proposer,
        ozg_reference=ozg_reference,
        target_date=target_date,
    )
    initiative.full_clean()
    initiative.save()
    Participation.objects.create(
        initiative=initiative, partner=proposer.partner, stage=Stage.INTERESTED, changed_by=proposer
    )
    _record(initiative, InitiativeEvent.Kind.PROPOSED, proposer)
    _follow_all(initiative, [proposer])
    return initiative


@transaction.atomic
def initiative_update(*, initiative: Initiative, editor: User, **changes) -> Initiative:
    """The proposer edits their proposal while it is one."""
    initiative = _lock(initiative)
    if not permissions.can_edit(editor, initiative):
        raise PermissionDenied(permissions.REFUSED_EDIT)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    changed = [name for name, value in changes.items() if getattr(initiative, name) != value]
    if not changed:
        return initiative
    for name in changed:
        setattr(initiative, name, changes[name])
    initiative.full_clean()
    # The description's HTML is rendered from it when saved (partners.markdown).
    html = ["description_html"] if "description" in changed else []
    initiative.save(update_fields=[*changed, *html])
    _record(initiative, InitiativeEvent.Kind.EDITED, editor)
    return initiative


@transaction.atomic
def initiative_withdraw(*, initiative: Initiative, actor: User) -> Initiative:
    initiative = _lock(initiative)
    if initiative.status != Status.PROPOSED:
        raise ValidationError(_("Nur ein Vorschlag kann zurückgezogen werden."))
    if not permissions.can_withdraw(actor, initiative):
        raise PermissionDenied(permissions.REFUSED_WITHDRAW)
    initiative.status = Status.WITHDRAWN
    initiative.save(update_fields=["status"])
    _record(initiative, InitiativeEvent.Kind.WITHDRAWN, actor)
    return initiative


@transaction.atomic
def initiative_change_status(*, initiative: Initiative, actor: User, status: str) -> Initiative:
    """Pause, resume or complete an active initiative (the lead partner's department head)."""
    initiative = _lock(initiative)
    event = STATUS_CHANGES.get((initiative.status, status))
    if event is None:
        raise ValidationError(
            _("Eine Initiative im Status „%(current)s“ kann nicht „%(wanted)s“ werden.")
            % {
                "current": initiative.get_status_display(),
                "wanted": dict(Status.choices).get(status, status),
            }
        )
    if not permissions.can_steer(actor, initiative):
        raise PermissionDenied(permissions.REFUSED_STEER)
    initiative.status = status
    initiative.save(update_fields=["status"])
    _record(initiative, event, actor)
    return initiative


@transaction.atomic
def participation_set(*, initiative: Initiative, actor: User, stage: str) -> Participation:
    """Sets the actor's partner's stage; the second commitment makes a proposal active."""
    initiative = _lock(initiative)
    stage = Stage(stage)
    partner = actor.partner
    participation = Participation.objects.filter(initiative=initiative, partner=partner).first()
    current = Stage(participation.stage) if participation else None
    if not permissions.can_set_stage(actor, stage, current):
        raise PermissionDenied(permissions.REFUSED_SET_STAGE)
    if initiative.status not in STAGE_NEEDS_STATUS[stage]:
        raise ValidationError(
            _("Bei einer Initiative im Status „%(status)s“ ist „%(stage)s“ nicht möglich.")
            % {"status": initiative.get_status_display(), "stage": stage.label}
        )
    if stage not in STAGE_CHANGES[current]:
        raise ValidationError(
            _("Von „%(current)s“ führt kein Weg zu „%(stage)s“.")
            % {"current": current.label if current else _("keine Angabe"), "stage": stage.label}
        )
    if participation is None:
        participation = Participation(initiative=initiative, partner=partner)
    participation.stage = stage
    participation.changed_by = actor
    participation.changed_at = timezone.now()
    participation.full_clean(validate_unique=False)
    participation.save()
    _record(initiative, STAGE_EVENTS[stage], actor)

    if stage in Participation.TAKING_PART:
        heads = User.objects.filter(partner=partner, role=User.Role.DEPARTMENT_HEAD, is_active=True)
        _follow_all(initiative, [actor, *heads])
    if stage == Stage.COMMITTED and initiative.status == Status.PROPOSED:
        committed = initiative.participations.filter(
            stage__in=(Stage.COMMITTED, Stage.ADOPTED)
        ).count()
        if committed >= workflow.COMMITMENTS_TO_ACTIVATE:
            initiative.status = Status.ACTIVE
            initiative.save(update_fields=["status"])
            _record(
                initiative, InitiativeEvent.Kind.ACTIVATED, None, partner=initiative.lead_partner
            )
    return participation


# Discussion and following: as for every subject (initiatives.discussion)


def comment_add(
    *, initiative: Initiative, author: User, body: str, form_token: uuid.UUID | None = None
) -> Comment:
    return discussion.comment_add(
        discussion=INITIATIVES, subject=initiative, author=author, body=body, form_token=form_token
    )


comment_edit = discussion.comment_edit
comment_delete = discussion.comment_delete


def follow(*, initiative: Initiative, user: User) -> None:
    discussion.follow(discussion=INITIATIVES, subject=initiative, user=user)


def unfollow(*, initiative: Initiative, user: User) -> None:
    discussion.unfollow(discussion=INITIATIVES, subject=initiative, user=user)


def follow_seen(*, initiative: Initiative, user: User) -> bool:
    """Notes that `user` opened `initiative` now (comments until now are no longer new to them)
    and tells whether they follow it: one UPDATE, the query the page asked anyway."""
    if not user.is_authenticated:
        return False
    follows = Follow.objects.filter(initiative=initiative, user=user)
    return follows.update(last_seen_at=timezone.now()) > 0


# The inventory of solutions


def _save_solution(solution: Solution, update_fields=None) -> Solution:
    solution.full_clean(validate_unique=False)  # Solution.clean() refuses a duplicate
    try:
        with transaction.atomic():
            solution.save(update_fields=update_fields)
    except IntegrityError:  # the same entry saved at the same moment
        raise ValidationError(
            {"product": _("Dieser Partner hat dieses Produkt in diesem Arbeitsfeld schon erfasst.")}
        ) from None
    return solution


@transaction.atomic
def solution_record(
    *, recorded_by: User, area: Area, product: str, vendor: str = "", notes: str = ""
) -> Solution:
    """The person's partner runs `product` in `area`."""
    if not permissions.can_record_solutions(recorded_by):
        raise PermissionDenied(permissions.REFUSED_RECORD_SOLUTION)
    solution = Solution(
        partner=recorded_by.partner,
        area=area,
        product=product,
        vendor=vendor,
        notes=notes,
        recorded_by=recorded_by,
    )
    return _save_solution(solution)


@transaction.atomic
def solution_update(*, solution: Solution, editor: User, **changes) -> Solution:
    if not permissions.can_change_solution(editor, solution):
        raise PermissionDenied(permissions.REFUSED_CHANGE_SOLUTION)
    for name in ("area", "product", "vendor", "notes"):
        if name in changes:
            setattr(solution, name, changes[name])
    solution.recorded_by = editor
    solution.updated_at = timezone.now()
    return _save_solution(
        solution,
        update_fields=[
            "area",
            "product",
            "product_key",
            "vendor",
            "notes",
            "recorded_by",
            "updated_at",
        ],
    )


@transaction.atomic
def solution_delete(*, solution: Solution, actor: User) -> None:
    if not permissions.can_change_solution(actor, solution):
        raise PermissionDenied(permissions.REFUSED_CHANGE_SOLUTION)
    solution.delete()
