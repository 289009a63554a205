"""Joint positions in the digest (positions.activity): opened for co-signing, sent and answered
reach the other partners; comments reach their followers; department heads see first what
awaits their partner's co-signature."""

import datetime

from django.utils import timezone

from initiatives import discussion
from kooperation.models import Frequency
from positions import services
from positions.discussion import POSITIONS
from tests.factories import AdminFactory, DepartmentHeadFactory, PartnerFactory, draft_position
from tests.kooperation.digests import apply_to_join, digest_of, texts


def in_days(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def opened(coop, title, deadline_days=7):
    position = draft_position(coop.staff_b, title=title)
    return services.position_open(
        position=position, actor=coop.head_b, deadline=in_days(deadline_days)
    )


def test_positions_opened_sent_and_answered_reach_the_other_partners(coop):
    position = opened(coop, "Stellungnahme zum NDIG")
    services.cosignature_decide(position=position, actor=coop.head_b, signs=True)
    services.cosignature_decide(position=position, actor=coop.head_a, signs=True)
    services.position_send(
        position=position, actor=coop.head_b, via="post", sent_on=timezone.localdate()
    )
    services.answer_record(
        position=position,
        actor=AdminFactory(),
        received_on=timezone.localdate(),
        reference="Az. 7",
        summary="Danke.",
    )
    deadline = in_days(7).strftime("%d.%m.%Y")

    assert texts(digest_of(coop.staff_a), "positions") == [
        f"Stadt Bedorf bittet um Mitzeichnung von „Stellungnahme zum NDIG“ (Frist {deadline}).",
        "Stadt Bedorf hat „Stellungnahme zum NDIG“ im Namen der Mitzeichnenden versandt.",
        "Auf „Stellungnahme zum NDIG“ ist eine Antwort eingegangen.",
    ]
    # The lead's own steps stay out of its people's digests; the answer concerns them too.
    assert texts(digest_of(coop.staff_b), "positions") == [
        "Auf „Stellungnahme zum NDIG“ ist eine Antwort eingegangen."
    ]


def test_comments_on_positions_reach_their_followers_only(coop):
    position = draft_position(coop.staff_b, title="Brief an den Dienstleister")
    discussion.follow(discussion=POSITIONS, subject=position, user=coop.staff_a)
    discussion.comment_add(
        discussion=POSITIONS, subject=position, author=coop.staff_b, body="Bitte lesen."
    )

    assert texts(digest_of(coop.staff_a), "discussion") == [
        "Berta Bedorf (Stadt Bedorf) hat die Position „Brief an den Dienstleister“ kommentiert."
    ]
    assert texts(digest_of(coop.head_a, Frequency.DAILY), "discussion") == []  # follows none


def test_department_heads_first_see_positions_awaiting_their_cosignature(coop):
    later = opened(coop, "Später fällig", deadline_days=20)
    sooner = opened(coop, "Bald fällig", deadline_days=3)
    decided = opened(coop, "Schon entschieden")
    services.cosignature_decide(position=decided, actor=coop.head_a, signs=False)
    apply_to_join("Gemeinde Cedorf", "03151009")

    built = digest_of(coop.head_a, Frequency.DAILY)

    assert built.sections[0][0] == "waiting"
    waits = "Wartet auf Ihre Mitzeichnung"
    assert texts(built, "waiting") == [
        f"{waits}: „Bald fällig“ (Stadt Bedorf), Frist {in_days(3):%d.%m.%Y}.",
        f"{waits}: „Später fällig“ (Stadt Bedorf), Frist {in_days(20):%d.%m.%Y}.",
        "Beitrittsantrag von Gemeinde Cedorf: Ihre Stimme fehlt noch.",
    ]
    assert built.waiting == 3
    # A text change resets the decision: it waits again.
    services.position_update(
        position=decided,
        editor=coop.staff_b,
        title=decided.title,
        occasion=decided.occasion,
        text="Ein neuer Text.",
        addressees=list(decided.addressees.all()),
    )
    assert digest_of(coop.head_a, Frequency.DAILY).waiting == 4
    # The lead's head must co-sign, too; staff see no such section.
    assert len(texts(digest_of(coop.head_b, Frequency.DAILY), "waiting")) == 4
    assert texts(digest_of(coop.staff_a), "waiting") == []
    assert later.status == sooner.status == "cosigning"


def test_each_head_waits_on_its_own_undecided_positions_within_the_limit(coop):
    positions = [opened(coop, f"Position {n:02d}", deadline_days=n + 1) for n in range(12)]
    for position in positions[:5]:
        services.cosignature_decide(position=position, actor=coop.head_a, signs=True)
    other_head = DepartmentHeadFactory(partner=PartnerFactory(name="Stadt Cedorf"))

    shown = texts(digest_of(coop.head_a, Frequency.DAILY), "waiting")
    assert [text.split("„")[1].split("“")[0] for text in shown] == [
        f"Position {n:02d}" for n in range(5, 12)
    ]
    built = digest_of(other_head, Frequency.DAILY)
    assert len(texts(built, "waiting")) == 10
    assert built.waiting == 12
