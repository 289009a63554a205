"""Who may do what with initiatives, comments and the inventory. Used by views, templates and
services alike; hiding a button is never the check."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

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


# What the 403 page says when a predicate says no: why, and what the person can do instead.
# Services and views raise PermissionDenied with these, so a refusal reads the same everywhere.
JOIN_OR_ASK_OFFICE = _(
    "Arbeiten Sie für einen Mitgliedspartner, bitten Sie die Geschäftsstelle, Ihr Konto ihm "
    "zuzuordnen; möchte Ihre Kommune mitmachen, kann sie den Beitritt beantragen."
)
REFUSED_BROWSE = format_lazy(
    "{} {}",
    _("Initiativen und Lösungen sehen die Personen der Mitgliedspartner und die Geschäftsstelle."),
    JOIN_OR_ASK_OFFICE,
)
REFUSED_PROPOSE = format_lazy(
    "{} {}", _("Initiativen schlagen Personen eines Mitgliedspartners vor."), JOIN_OR_ASK_OFFICE
)
REFUSED_EDIT = _(
    "Nur wer die Initiative vorgeschlagen hat, bearbeitet sie – solange sie ein Vorschlag ist. "
    "Ihre Änderungswünsche schreiben Sie bitte als Kommentar zur Initiative."
)
REFUSED_WITHDRAW = _(
    "Nur wer die Initiative vorgeschlagen hat, zieht sie zurück – solange sie ein Vorschlag ist. "
    "Bitten Sie diese Person in einem Kommentar darum."
)
REFUSED_STEER = _(
    "Ob eine Initiative pausiert, fortgesetzt oder abgeschlossen wird, entscheidet die "
    "Dezernentin oder der Dezernent des federführenden Partners. Schlagen Sie es bitte in "
    "einem Kommentar zur Initiative vor."
)
REFUSED_SET_STAGE = _(
    "Zusagen, Absagen, Nachnutzung und das Zurücknehmen einer Absage erklärt die Dezernentin "
    "oder der Dezernent, jeweils für den eigenen Partner. Bitten Sie die Dezernentin oder den "
    "Dezernenten Ihres Partners darum."
)
REFUSED_CHANGE_COMMENT = _(
    "Einen Kommentar bearbeitet oder löscht nur, wer ihn geschrieben hat. Möchten Sie etwas "
    "ergänzen oder widersprechen, schreiben Sie bitte einen eigenen Kommentar."
)
REFUSED_RECORD_SOLUTION = format_lazy(
    "{} {}",
    _("Lösungen erfassen Personen eines Mitgliedspartners, jeweils für den eigenen Partner."),
    JOIN_OR_ASK_OFFICE,
)
REFUSED_CHANGE_SOLUTION = _(
    "Eine Lösung ändern oder löschen nur Personen des Partners, der sie einsetzt. Setzt Ihr "
    "Partner dasselbe Produkt ein, erfassen Sie es bitte als eigene Lösung."
)
