"""Writes of the positions app: drafting, co-signing, sending, answering, publishing. (Comments
and follows: initiatives.discussion with positions.discussion.POSITIONS; who proposes a position
or decides on it follows it.)

One function per business rule, keyword-only, atomic, the permission checked inside. Every
function locks the position row first (SELECT … FOR UPDATE): two decisions at once, a decision
racing a text change, or two clicks on "Versenden" come out one after the other.
"""

import datetime
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from initiatives.discussion import follow_all
from initiatives.models import Area, Initiative
from partners.models import User
from positions import emails, notices, permissions, selectors, workflow
from positions.discussion import POSITIONS
from positions.letter import Letter, Signer, render_letter
from positions.models import (
    Addressee,
    Answer,
    CoSignature,
    Position,
    PositionEvent,
    PositionVersion,
)

Status = Position.Status
Decision = CoSignature.Decision
Kind = PositionEvent.Kind


def _lock(position: Position) -> Position:
    return Position.objects.select_for_update().get(pk=position.pk)


def _record(position: Position, kind: str, actor: User | None, *, version=None) -> None:
    now = timezone.now()
    PositionEvent.objects.create(
        position=position,
        kind=kind,
        actor=actor,
        partner=getattr(actor, "partner", None),
        version=version,
        created_at=now,
    )
    position.last_activity_at = now
    position.save(update_fields=["last_activity_at"])


def _step(position: Position, wanted: str, actor: User) -> None:
    """Moves `position` to `wanted` if the workflow has that step, and records it."""
    event = workflow.step_event(position.status, wanted)
    if event is None:
        raise ValidationError(workflow.wrong_step_message(position.status, wanted))
    position.status = wanted
    position.save(update_fields=["status"])
    _record(position, event, actor, version=position.current_version)


def _new_version(position: Position, author: User) -> PositionVersion:
    number = (position.current_version.number + 1) if position.current_version else 1
    version = PositionVersion.objects.create(
        position=position, number=number, title=position.title, text=position.text, author=author
    )
    position.current_version = version
    position.save(update_fields=["current_version"])
    return version


@transaction.atomic
def position_propose(
    *,
    proposer: User,
    title: str,
    occasion: str,
    text: str,
    addressees: list[Addressee],
    areas: list[Area] = (),
    initiatives: list[Initiative] = (),
) -> Position:
    """A draft led by the proposer's partner; its text is the first version."""
    if not permissions.can_propose(proposer):
        raise PermissionDenied(permissions.REFUSED_PROPOSE)
    if not addressees:
        raise ValidationError({"addressees": _("Bitte wählen Sie mindestens einen Adressaten.")})
    position = Position(
        title=title,
        occasion=occasion,
        text=text,
        lead_partner=proposer.partner,
        proposer=proposer,
    )
    position.full_clean(exclude=["current_version"])
    position.save()
    position.addressees.set(addressees)
    position.areas.set(areas)
    position.initiatives.set(initiatives)
    version = _new_version(position, proposer)
    _record(position, Kind.PROPOSED, proposer, version=version)
    follow_all(POSITIONS, position, [proposer])
    return position


@transaction.atomic
def position_update(
    *,
    position: Position,
    editor: User,
    title: str,
    occasion: str,
    text: str,
    addressees: list[Addressee],
    areas: list[Area] = (),
    initiatives: list[Initiative] = (),
) -> Position:
    """A changed title or text is a new version; during Mitzeichnung it resets every decision
    made so far, and the heads who made them are told."""
    position = _lock(position)
    if not permissions.can_edit(editor, position):
        raise PermissionDenied(permissions.REFUSED_EDIT)
    if not addressees:
        raise ValidationError({"addressees": _("Bitte wählen Sie mindestens einen Adressaten.")})
    text_changed = (position.title, position.text) != (title, text)
    position.title, position.occasion, position.text = title, occasion, text
    position.full_clean()
    position.save(update_fields=["title", "occasion", "text", "text_html"])
    position.addressees.set(addressees)
    position.areas.set(areas)
    position.initiatives.set(initiatives)
    if not text_changed:
        return position
    version = _new_version(position, editor)
    _record(position, Kind.EDITED, editor, version=version)
    if position.status == Status.COSIGNING:
        _reset_cosignatures(position, editor)
    return position


def _reset_cosignatures(position: Position, editor: User) -> None:
    decided = position.cosignatures.exclude(decision=Decision.OPEN)
    heads = list(
        User.objects.filter(
            pk__in=decided.exclude(decided_by=editor).values("decided_by"), is_active=True
        ).select_related("partner")
    )
    if not decided.update(decision=Decision.OPEN, version=None, decided_at=None):
        return
    _record(position, Kind.RESET, editor, version=position.current_version)
    emails.cosignatures_reset(position, heads)


@transaction.atomic
def position_open(*, position: Position, actor: User, deadline: datetime.date) -> Position:
    """The lead's head opens the draft for co-signing until `deadline`."""
    position = _lock(position)
    if position.status != Status.DRAFT:
        raise ValidationError(workflow.wrong_step_message(position.status, Status.COSIGNING))
    if not permissions.can_open(actor, position):
        raise PermissionDenied(permissions.REFUSED_LEAD_HEADS_STEP)
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("Die Frist liegt in der Vergangenheit.")})
    position.deadline = deadline
    position.save(update_fields=["deadline"])
    _step(position, Status.COSIGNING, actor)
    notices.notify_opened(position)
    return position


@transaction.atomic
def cosignature_decide(
    *, position: Position, actor: User, signs: bool, reason: str = ""
) -> CoSignature:
    """The head decides for their partner, for the current version; changeable until sent."""
    position = _lock(position)
    if position.status != workflow.DECIDING:
        raise ValidationError(
            _("Mitgezeichnet wird nur, solange eine Position in Mitzeichnung ist.")
        )
    if not permissions.can_decide(actor, position):
        raise PermissionDenied(permissions.REFUSED_DECIDE)
    decision = Decision.SIGNS if signs else Decision.DECLINES
    cosignature, _created = CoSignature.objects.get_or_create(
        position=position, partner=actor.partner
    )
    cosignature.decision = decision
    cosignature.reason = reason.strip()
    cosignature.version = position.current_version
    cosignature.decided_by = actor
    cosignature.decided_at = timezone.now()
    cosignature.full_clean()
    cosignature.save()
    follow_all(POSITIONS, position, [actor])
    _record(
        position,
        Kind.SIGNED if signs else Kind.DECLINED,
        actor,
        version=position.current_version,
    )
    return cosignature


def place_of(partner) -> str:
    """The place in the letter's date line: the partner's name without its kind."""
    for prefix in ("Landkreis ", "Stadt ", "Gemeinde ", "Samtgemeinde ", "Region "):
        if partner.name.startswith(prefix):
            return partner.name.removeprefix(prefix)
    return partner.name


def letter_for(position: Position, *, sent_on: datetime.date) -> Letter:
    """The letter's data: only the partners that co-sign, with the heads who decided."""
    addressee_lines: list[str] = []
    for addressee in position.addressees.all():
        addressee_lines += [*([""] if addressee_lines else []), *addressee.address_lines]
    return Letter(
        addressee_lines=addressee_lines,
        place=place_of(position.lead_partner),
        date=sent_on,
        subject=position.title,
        body_html=str(position.text_html),
        signers=[
            Signer(
                partner_name=row.partner.name,
                head_name=row.decided_by.name if row.decided_by else "",
                head_function=(row.decided_by.job_title or _("Dezernent:in"))
                if row.decided_by
                else "",
            )
            for row in selectors.signers(position)
        ],
        title=position.title,
    )


@transaction.atomic
def position_send(
    *, position: Position, actor: User, via: str, sent_on: datetime.date | None = None
) -> Position:
    """Freezes the text, renders the letter once and stores it, and sends it by e-mail through
    the outbox or records that it went out by hand (post, beBPo, fax) on `sent_on`."""
    position = _lock(position)
    if position.status != Status.COSIGNING:
        raise ValidationError(workflow.wrong_step_message(position.status, Status.SENT))
    if not permissions.can_send(actor, position):
        raise PermissionDenied(permissions.REFUSED_LEAD_HEADS_STEP)
    refusal = selectors.send_refusal(position)
    if refusal:
        raise ValidationError(refusal)
    via = Position.SentVia(via)
    today = timezone.localdate()
    if via == Position.SentVia.EMAIL:
        sent_on = today
        without = [a.name for a in position.addressees.all() if not a.email]
        if without:
            raise ValidationError(
                _("Ohne E-Mail-Adresse: %(names)s. Bitte von Hand versenden und das erfassen.")
                % {"names": ", ".join(without)}
            )
    elif sent_on is None or sent_on > today:
        raise ValidationError(
            {"sent_on": _("Bitte geben Sie an, wann es versandt wurde (nicht in der Zukunft).")}
        )
    pdf = render_letter(letter_for(position, sent_on=sent_on))
    position.letter_pdf = pdf
    position.letter_sha256 = hashlib.sha256(pdf).hexdigest()
    position.sent_via, position.sent_on = via, sent_on
    position.save(update_fields=["letter_pdf", "letter_sha256", "sent_via", "sent_on"])
    _step(position, Status.SENT, actor)
    if via == Position.SentVia.EMAIL:
        emails.letter(position, signers=selectors.signers(position), reply_to=actor.email)
    return position


@transaction.atomic
def answer_record(
    *, position: Position, actor: User, received_on: datetime.date, reference: str, summary: str
) -> Answer:
    position = _lock(position)
    if position.status != Status.SENT:
        raise ValidationError(workflow.wrong_step_message(position.status, Status.ANSWERED))
    if not permissions.can_record_answer(actor, position):
        raise PermissionDenied(permissions.REFUSED_RECORD_ANSWER)
    if received_on < position.sent_on or received_on > timezone.localdate():
        raise ValidationError(
            {"received_on": _("Die Antwort kam nach dem Versand und nicht in der Zukunft.")}
        )
    answer = Answer(
        position=position,
        received_on=received_on,
        reference=reference,
        summary=summary,
        recorded_by=actor,
    )
    answer.full_clean()
    answer.save()
    _step(position, Status.ANSWERED, actor)
    return answer


@transaction.atomic
def position_publish(*, position: Position, actor: User) -> Position:
    position = _lock(position)
    if position.status not in workflow.PUBLISHABLE:
        raise ValidationError(_("Veröffentlicht wird eine Position erst nach dem Versand."))
    if position.is_published:
        return position
    if not permissions.can_publish(actor, position):
        raise PermissionDenied(permissions.REFUSED_LEAD_HEADS_STEP)
    position.is_published = True
    position.save(update_fields=["is_published"])
    _record(position, Kind.PUBLISHED, actor)
    return position


@transaction.atomic
def position_withdraw(*, position: Position, actor: User) -> Position:
    position = _lock(position)
    if workflow.step_event(position.status, Status.WITHDRAWN) is None:
        raise ValidationError(workflow.wrong_step_message(position.status, Status.WITHDRAWN))
    if not permissions.can_withdraw(actor, position):
        raise PermissionDenied(permissions.REFUSED_WITHDRAW)
    _step(position, Status.WITHDRAWN, actor)
    return position
