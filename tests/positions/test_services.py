"""The rules of joint positions, service by service, against the real database."""

import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from outbox.models import EmailJob
from positions import services
from positions.models import PositionEvent
from tests.factories import DepartmentHeadFactory, draft_position
from tests.positions.helpers import Decision, Status, cosigned, fresh, in_a_week, snapshot

pytestmark = pytest.mark.django_db
Kind = PositionEvent.Kind


def test_a_draft_starts_with_its_first_version_and_a_timeline(world):
    draft = fresh(world.draft)
    assert draft.status == Status.DRAFT
    assert draft.lead_partner == world.partner_a
    assert draft.current_version.number == 1
    assert "<strong>grundsätzlich</strong>" in draft.text_html
    assert list(draft.events.values_list("kind", flat=True)) == [Kind.PROPOSED]


def test_people_of_former_partners_and_the_office_propose_nothing(world):
    for person in (world.people["former"], world.people["admin"]):
        with pytest.raises(PermissionDenied):
            draft_position(person, [world.land])


def test_each_saved_text_change_is_a_new_version_and_an_unchanged_text_none(world):
    data = {"occasion": "Anhörung", "addressees": [world.land]}
    staff = world.people["staff_a"]
    services.position_update(
        position=world.draft, editor=staff, title="Entwurf zur Anhörung", text="Neu.", **data
    )
    services.position_update(
        position=world.draft, editor=staff, title="Entwurf zur Anhörung", text="Neu.", **data
    )
    draft = fresh(world.draft)
    assert list(draft.versions.values_list("number", "text")) == [
        (1, world.draft.text),
        (2, "Neu."),
    ]
    assert draft.current_version.number == 2
    with pytest.raises(PermissionDenied):
        services.position_update(
            position=world.draft, editor=world.people["staff_b"], title="X", text="Y", **data
        )


def test_only_the_lead_head_opens_it_and_not_twice(world):
    for person in (world.people["staff_a"], world.people["head_b"]):
        with pytest.raises(PermissionDenied):
            services.position_open(position=world.draft, actor=person, deadline=in_a_week())
    services.position_open(position=world.draft, actor=world.people["head_a"], deadline=in_a_week())
    with pytest.raises(ValidationError, match="„In Mitzeichnung“ kann nicht „In Mitzeichnung“"):
        services.position_open(
            position=world.draft, actor=world.people["head_a"], deadline=in_a_week()
        )
    assert fresh(world.draft).deadline == in_a_week()


def test_a_deadline_in_the_past_is_refused(world):
    with pytest.raises(ValidationError, match="Vergangenheit"):
        services.position_open(
            position=world.draft,
            actor=world.people["head_a"],
            deadline=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert fresh(world.draft).status == Status.DRAFT


def test_a_head_decides_for_the_exact_version_and_may_change_it(world):
    head_b = world.people["head_b"]
    row = services.cosignature_decide(
        position=world.cosigning, actor=head_b, signs=False, reason="Zu früh."
    )
    assert (row.decision, row.reason, row.version) == (
        Decision.DECLINES,
        "Zu früh.",
        fresh(world.cosigning).current_version,
    )
    assert world.cosigning.cosignatures.filter(partner=world.partner_b).count() == 1


def test_staff_decide_nothing_and_a_draft_takes_no_decision(world):
    with pytest.raises(PermissionDenied):
        services.cosignature_decide(
            position=world.cosigning, actor=world.people["staff_b"], signs=True
        )
    with pytest.raises(ValidationError, match="solange eine Position in Mitzeichnung"):
        services.cosignature_decide(position=world.draft, actor=world.people["head_b"], signs=True)


def test_a_text_change_during_cosigning_resets_decisions_and_tells_the_heads(world, sent_mail):
    services.position_update(
        position=world.cosigning,
        editor=world.people["staff_a"],
        title="Registermodernisierung",
        text="Ganz anderer Text.",
        occasion="Anhörung",
        addressees=[world.land],
    )
    position = fresh(world.cosigning)
    assert set(position.cosignatures.values_list("decision", flat=True)) == {Decision.OPEN}
    assert position.events.filter(kind=Kind.RESET).count() == 1
    resets = [message for message in sent_mail() if "Bitte erneut entscheiden" in message.subject]
    told = sorted(address for message in resets for address in message.to)
    assert told == sorted([world.people["head_a"].email, world.people["head_b"].email])
    assert "erneut" in resets[0].body


def test_sending_needs_two_cosigners_with_the_lead(world):
    head_a, head_b = world.people["head_a"], world.people["head_b"]
    position = draft_position(world.people["staff_a"], [world.land])
    services.position_open(position=position, actor=head_a, deadline=in_a_week())
    services.cosignature_decide(position=position, actor=head_b, signs=True)
    services.cosignature_decide(position=position, actor=world.head_c, signs=True)
    before = snapshot()
    with pytest.raises(ValidationError, match="federführende Partner hat noch nicht"):
        services.position_send(position=position, actor=head_a, via="email")
    assert snapshot() == before


def test_sending_waits_for_the_deadline_while_partners_are_undecided(world):
    with pytest.raises(ValidationError, match="Frist läuft noch"):
        services.position_send(position=world.cosigning, actor=world.people["head_a"], via="email")
    world.cosigning.deadline = timezone.localdate() - datetime.timedelta(days=1)
    world.cosigning.save(update_fields=["deadline"])
    services.position_send(position=world.cosigning, actor=world.people["head_a"], via="email")
    assert fresh(world.cosigning).status == Status.SENT


def test_sending_by_email_stores_the_letter_and_attaches_it_once(world, sent_mail):
    services.cosignature_decide(position=world.cosigning, actor=world.head_c, signs=False)
    head_a = world.people["head_a"]
    services.position_send(position=world.cosigning, actor=head_a, via="email")
    with pytest.raises(ValidationError, match="„Versandt“ kann nicht „Versandt“"):
        services.position_send(position=world.cosigning, actor=head_a, via="email")

    position = fresh(world.cosigning)
    pdf = bytes(position.letter_pdf)
    assert position.letter_sha256 == hashlib.sha256(pdf).hexdigest()
    assert (position.sent_via, position.sent_on) == ("email", timezone.localdate())
    [letter] = [m for m in sent_mail() if m.to == [world.land.email]]
    assert letter.extra_headers["Reply-To"] == head_a.email
    assert letter.attachments == [("registermodernisierung.pdf", pdf, "application/pdf")]
    job = EmailJob.objects.get(kind="position_letter")
    assert not job.attachments.exists()  # sent: kept on the position only


def test_the_letter_names_only_the_cosigners(world):
    services.cosignature_decide(position=world.cosigning, actor=world.head_c, signs=False)
    letter = services.letter_for(fresh(world.cosigning), sent_on=timezone.localdate())
    assert [s.partner_name for s in letter.signers] == ["Stadt Aheim", "Stadt Behausen"]
    assert letter.signers[0].head_name == "Dr. Asta Amsel"
    assert letter.place == "Aheim"
    assert letter.addressee_lines[0] == world.land.name


def test_an_addressee_without_email_is_sent_by_hand_with_a_date(world):
    position = draft_position(world.people["staff_a"], [world.provider])
    head_a = world.people["head_a"]
    services.position_open(position=position, actor=head_a, deadline=in_a_week())
    cosigned(world, position, head_a, world.people["head_b"], world.head_c)
    with pytest.raises(ValidationError, match="Ohne E-Mail-Adresse"):
        services.position_send(position=position, actor=head_a, via="email")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        services.position_send(position=position, actor=head_a, via="fax", sent_on=tomorrow)
    services.position_send(
        position=position, actor=head_a, via="bebpo", sent_on=timezone.localdate()
    )
    assert fresh(position).sent_via == "bebpo"
    assert not EmailJob.objects.filter(kind="position_letter").exists()


def test_the_answer_is_recorded_once_by_the_office_or_the_lead(world):
    data = {"received_on": timezone.localdate(), "reference": "Az. 12-3", "summary": "Danke."}
    with pytest.raises(PermissionDenied):
        services.answer_record(position=world.sent, actor=world.people["staff_b"], **data)
    services.answer_record(position=world.sent, actor=world.people["admin"], **data)
    assert fresh(world.sent).status == Status.ANSWERED
    with pytest.raises(ValidationError, match="„Beantwortet“ kann nicht „Beantwortet“"):
        services.answer_record(position=world.sent, actor=world.people["staff_a"], **data)


def test_publishing_comes_after_sending_and_from_the_lead_head(world):
    with pytest.raises(ValidationError, match="erst nach dem Versand"):
        services.position_publish(position=world.cosigning, actor=world.people["head_a"])
    with pytest.raises(PermissionDenied):
        services.position_publish(position=world.sent, actor=world.people["head_b"])
    services.position_publish(position=world.sent, actor=world.people["head_a"])
    assert fresh(world.sent).is_published


def test_withdrawing_from_draft_or_cosigning_only(world):
    services.position_withdraw(position=world.draft, actor=world.people["staff_a"])
    with pytest.raises(PermissionDenied):
        services.position_withdraw(position=world.cosigning, actor=world.people["staff_a"])
    services.position_withdraw(position=world.cosigning, actor=world.people["head_a"])
    with pytest.raises(ValidationError, match="„Versandt“ kann nicht „Zurückgezogen“"):
        services.position_withdraw(position=world.sent, actor=world.people["head_a"])
    assert fresh(world.cosigning).status == Status.WITHDRAWN


def test_a_head_of_a_former_partner_decides_nothing(world):
    head = DepartmentHeadFactory(partner=world.former)
    with pytest.raises(PermissionDenied):
        services.cosignature_decide(position=world.cosigning, actor=head, signs=True)
