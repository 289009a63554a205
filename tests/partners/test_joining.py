"""The rules of joining: who votes, how the decision falls, what admission does."""

import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction

from partners import services
from partners.models import (
    AdmissionRule,
    AgreementVersion,
    Application,
    ApplicationEvent,
    Partner,
    User,
)
from tests.concurrency import at_the_same_moment
from tests.factories import (
    AgreementVersionFactory,
    DepartmentHeadFactory,
    PartnerFactory,
    UserFactory,
    confirmed_application,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def members():
    """Three member partners with a department head each."""
    return [DepartmentHeadFactory(partner=PartnerFactory()) for _ in range(3)]


def test_submission_fixes_the_electorate_and_mails_applicant_and_heads(members, outbox_with):
    PartnerFactory(status=Partner.Status.FORMER, left_on="2024-01-01")
    application = confirmed_application(contact_email="Maria.Neumann@wolfenbuettel.example")

    assert set(application.electorate.all()) == {head.partner for head in members}
    assert application.contact_email == "maria.neumann@wolfenbuettel.example"
    assert list(application.events.values_list("kind", flat=True)) == ["submitted"]
    recipients = sorted(message.to[0] for message in outbox_with(4))
    assert recipients == sorted([application.contact_email, *(head.email for head in members)])
    received = next(m for m in mail.outbox if m.to == [application.contact_email])
    assert "zurückziehen" in received.body
    assert "/beitritt/zurueckziehen/" in received.body


def test_a_rollback_sends_no_mail(members, django_capture_on_commit_callbacks):
    @transaction.atomic
    def submit_then_fail():
        confirmed_application()
        raise RuntimeError("abgebrochen")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        submit_then_fail()
    assert callbacks == []
    assert mail.outbox == []
    assert not Application.objects.exists()


def test_a_key_taken_by_a_partner_or_a_pending_application_is_refused(members):
    with pytest.raises(ValidationError) as caught:
        confirmed_application(official_key=members[0].partner.official_key)
    assert "bereits einen Partner" in str(caught.value)

    confirmed_application()
    with pytest.raises(ValidationError) as caught:
        confirmed_application(name="Noch einmal")
    assert "offener Beitrittsantrag" in str(caught.value)


def test_a_decided_application_frees_its_key(members):
    application = confirmed_application()
    services.application_withdraw(application=application)
    again = confirmed_application()
    assert again.is_pending


def test_unanimity_admits_when_every_member_approves(members, outbox_with):
    application = confirmed_application()
    for head in members[:-1]:
        services.application_vote(application=application, voter=head, approve=True)
        application.refresh_from_db()
        assert application.is_pending

    services.application_vote(application=application, voter=members[-1], approve=True)
    outbox = outbox_with(4 + 2)  # received, 3 heads notified; decided, invitation

    application.refresh_from_db()
    assert application.status == Application.Status.ADMITTED
    partner = application.admitted_partner
    assert partner.is_member
    assert partner.official_key == "03158037"
    assert partner.joined_on is not None
    contact = User.objects.get(email="maria.neumann@wolfenbuettel.example")
    assert contact.partner == partner
    assert contact.role == User.Role.STAFF
    assert contact.requested_role == User.Role.DEPARTMENT_HEAD
    assert not contact.has_usable_password()
    assert len(outbox) == 6
    subjects = [message.subject for message in outbox]
    assert any("Willkommen" in subject for subject in subjects)
    invitation = next(m for m in outbox if "Zugang" in m.subject)
    assert "/konto/password/reset/key/" in invitation.body


def test_admission_drafts_a_new_agreement_version_with_the_new_partner(members):
    current = AgreementVersionFactory(
        parties=[head.partner for head in members], status=AgreementVersion.Status.IN_FORCE
    )
    application = confirmed_application()
    for head in members:
        services.application_vote(application=application, voter=head, approve=True)

    draft = AgreementVersion.objects.get(status=AgreementVersion.Status.DRAFT)
    application.refresh_from_db()
    assert draft.previous == current
    assert draft.text == current.text
    # A title of its own, not the previous title with "– mit …" appended.
    assert draft.title == "Kooperationsvereinbarung, Fassung mit Beitritt Stadt Wolfenbüttel"
    assert set(draft.parties.values_list("partner", flat=True)) == {
        *(head.partner_id for head in members),
        application.admitted_partner_id,
    }


def test_one_rejection_rejects_under_unanimity(members, outbox_with):
    application = confirmed_application()
    services.application_vote(application=application, voter=members[0], approve=True)
    services.application_vote(
        application=application, voter=members[1], approve=False, comment="Zu früh."
    )
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert not Partner.objects.filter(official_key="03158037").exists()
    decided = [m for m in outbox_with(5) if "Entscheidung" in m.subject]
    assert [m.to for m in decided] == [[application.contact_email]]
    assert "abgelehnt" in decided[0].body


def test_two_thirds_quorum_from_the_agreement(members):
    AgreementVersionFactory(
        parties=[head.partner for head in members],
        status=AgreementVersion.Status.IN_FORCE,
        admission_rule=AdmissionRule.TWO_THIRDS,
    )
    application = confirmed_application()
    assert application.admission_rule == AdmissionRule.TWO_THIRDS
    services.application_vote(application=application, voter=members[0], approve=False)
    application.refresh_from_db()
    assert application.is_pending  # 2 of 3 can still approve
    services.application_vote(application=application, voter=members[1], approve=True)
    services.application_vote(application=application, voter=members[2], approve=True)
    application.refresh_from_db()
    assert application.status == Application.Status.ADMITTED


@pytest.mark.parametrize(
    ("rule", "electorate", "needed"),
    [
        (AdmissionRule.UNANIMITY, 4, 4),
        (AdmissionRule.TWO_THIRDS, 4, 3),
        (AdmissionRule.TWO_THIRDS, 3, 2),
        (AdmissionRule.TWO_THIRDS, 6, 4),
        (AdmissionRule.MAJORITY, 4, 3),
        (AdmissionRule.MAJORITY, 5, 3),
    ],
)
def test_approvals_needed(rule, electorate, needed):
    assert AdmissionRule.approvals_needed(rule, electorate) == needed


def test_a_vote_can_be_changed_until_the_decision(members):
    application = confirmed_application()
    services.application_vote(application=application, voter=members[0], approve=True)
    services.application_vote(
        application=application, voter=members[0], approve=True, comment="Ja."
    )
    assert application.votes.count() == 1
    assert application.votes.get().comment == "Ja."
    kinds = list(application.events.values_list("kind", flat=True))
    assert kinds == ["submitted", "approved", "approved"]


def test_nobody_else_votes(members):
    application = confirmed_application()
    newcomer_head = DepartmentHeadFactory(partner=PartnerFactory())  # joined after submission
    staff = UserFactory(partner=members[0].partner)
    former = DepartmentHeadFactory(partner=members[1].partner)
    former.partner.status = Partner.Status.FORMER
    former.partner.left_on = "2025-01-01"
    former.partner.save()
    for voter in (newcomer_head, staff, former):
        with pytest.raises(PermissionDenied):
            services.application_vote(application=application, voter=voter, approve=True)
    assert not application.votes.exists()


def test_no_vote_after_the_decision(members):
    application = confirmed_application()
    services.application_withdraw(application=application)
    with pytest.raises(ValidationError, match="bereits entschieden"):
        services.application_vote(application=application, voter=members[0], approve=True)
    with pytest.raises(ValidationError, match="bereits entschieden"):
        services.application_withdraw(application=application)


def test_timeline_records_every_step(members):
    application = confirmed_application()
    services.application_vote(application=application, voter=members[0], approve=True)
    services.application_vote(application=application, voter=members[1], approve=False)
    events = list(application.events.all())
    assert [event.kind for event in events] == [
        ApplicationEvent.Kind.SUBMITTED,
        ApplicationEvent.Kind.APPROVED,
        ApplicationEvent.Kind.REJECTED_VOTE,
        ApplicationEvent.Kind.REJECTED,
    ]
    assert events[1].actor == members[0]
    assert events[1].partner == members[0].partner
    assert all(event.created_at for event in events)


@pytest.mark.django_db(transaction=True)
def test_two_last_votes_at_the_same_moment_decide_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; CI always runs it")
    heads = [DepartmentHeadFactory(partner=PartnerFactory()) for _ in range(3)]
    application = confirmed_application()
    services.application_vote(application=application, voter=heads[0], approve=True)

    barrier = threading.Barrier(2)
    errors = []

    def vote(head):
        try:
            barrier.wait(timeout=10)
            services.application_vote(application=application, voter=head, approve=True)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(head,)) for head in heads[1:]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    application.refresh_from_db()
    assert application.status == Application.Status.ADMITTED
    assert application.events.filter(kind=ApplicationEvent.Kind.ADMITTED).count() == 1
    assert Partner.objects.filter(official_key="03158037").count() == 1


def test_the_same_vote_again_records_nothing(department_head):
    DepartmentHeadFactory(partner=PartnerFactory())
    application = confirmed_application()
    first = services.application_vote(application=application, voter=department_head, approve=True)
    again = services.application_vote(application=application, voter=department_head, approve=True)
    assert again == first
    assert application.events.filter(kind=ApplicationEvent.Kind.APPROVED).count() == 1
    changed = services.application_vote(
        application=application, voter=department_head, approve=True, comment="Gern."
    )
    assert changed.comment == "Gern."
    assert application.events.filter(kind=ApplicationEvent.Kind.APPROVED).count() == 2


@pytest.mark.django_db(transaction=True)
def test_twenty_identical_votes_at_the_same_moment_record_one_entry():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; CI always runs it")
    heads = [DepartmentHeadFactory(partner=PartnerFactory()) for _ in range(3)]
    application = confirmed_application()

    at_the_same_moment(
        lambda: services.application_vote(application=application, voter=heads[0], approve=True),
        times=20,
    )

    assert application.votes.count() == 1
    assert application.events.filter(kind=ApplicationEvent.Kind.APPROVED).count() == 1
