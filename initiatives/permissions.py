"""Who may do what with initiatives, comments and the inventory. Used by views, templates and
services alike; hiding a button is never the check."""

from initiatives.models import Comment, Initiative, Participation, Solution
from partners.permissions import is_department_head_of_member


def is_member_person(user) -> bool:
    """Signed in, active, and working for a member partner."""
    return (
        user.is_authenticated
        and user.is_active
        and user.partner_id is not None
        and user.partner.is_member
    )


def can_browse(user) -> bool:
    """Initiatives are the members' shared work: their people and the office read them."""
    return is_member_person(user) or (user.is_authenticated and user.is_active and user.is_staff)


def can_propose(user) -> bool:
    return is_member_person(user)


def can_edit(user, initiative: Initiative) -> bool:
    return (
        is_member_person(user)
        and initiative.status == Initiative.Status.PROPOSED
        and initiative.proposer_id == user.pk
    )


can_withdraw = can_edit


def can_steer(user, initiative: Initiative) -> bool:
    """Pause, resume and complete: the lead partner's department head."""
    return is_department_head_of_member(user) and initiative.lead_partner_id == user.partner_id


def can_set_stage(user, stage: str, current: str | None = None) -> bool:
    """Anyone of a member partner says their partner is interested – unless the partner has
    declined (`current`): only the department head leaves the head's decline. The rest is the
    head's."""
    Stage = Participation.Stage
    if stage == Stage.INTERESTED and current != Stage.DECLINED:
        return is_member_person(user)
    return is_department_head_of_member(user)


def can_change_comment(user, comment: Comment) -> bool:
    return user.is_authenticated and user.is_active and comment.author_id == user.pk


def can_record_solutions(user) -> bool:
    return is_member_person(user)


def can_change_solution(user, solution: Solution) -> bool:
    return is_member_person(user) and solution.partner_id == user.partner_id
