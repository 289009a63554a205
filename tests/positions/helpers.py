"""What the position tests share: the world of the initiatives tests with addressees and a
position in each state, and a snapshot of everything an action could change."""

import datetime

from django.urls import reverse
from django.utils import timezone

from initiatives import discussion
from outbox.models import EmailJob
from positions import services
from positions.discussion import POSITIONS
from positions.models import (
    Answer,
    CoSignature,
    Position,
    PositionComment,
    PositionEvent,
    PositionFollow,
    PositionVersion,
)
from tests.factories import AddresseeFactory, DepartmentHeadFactory, draft_position
from tests.initiatives.helpers import build_world

Status = Position.Status
Decision = CoSignature.Decision


def url(name, *args) -> str:
    return reverse(f"positions:{name}", args=args)


def fresh(position) -> Position:
    return Position.objects.get(pk=position.pk)


def snapshot():
    """Everything an action of the app could change."""
    return (
        list(
            Position.objects.order_by("pk").values_list(
                "pk", "title", "text", "status", "is_published", "letter_sha256", "deadline"
            )
        ),
        list(
            CoSignature.objects.order_by("pk").values_list("pk", "partner", "decision", "version")
        ),
        PositionVersion.objects.count(),
        PositionEvent.objects.count(),
        list(Answer.objects.values_list("pk", "summary")),
        EmailJob.objects.count(),
        list(PositionComment.objects.order_by("pk").values_list("pk", "body")),
        sorted(PositionFollow.objects.values_list("position", "user")),
    )


def in_a_week() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=7)


def cosigned(world, position, *heads):
    for head in heads:
        services.cosignature_decide(position=position, actor=head, signs=True)
    return fresh(position)


def build_position_world():
    """build_world (members A, B, C; heads of A and B; the office; a former partner) and: a draft
    of A's staff, a position of A in Mitzeichnung that A and B co-sign, one sent by A (by hand)
    and one sent and published."""
    world = build_world()
    people = world.people
    world.head_c = DepartmentHeadFactory(partner=world.partner_c, name="Carl Clausen")
    world.land = AddresseeFactory(name="Niedersächsisches Ministerium für Digitales")
    world.provider = AddresseeFactory(
        name="Kommunaler IT-Dienstleister Nord", kind="it_provider", email=""
    )
    world.draft = draft_position(people["staff_a"], [world.land], title="Entwurf zur Anhörung")
    world.cosigning = draft_position(
        people["staff_a"], [world.land], title="Registermodernisierung"
    )
    services.position_open(position=world.cosigning, actor=people["head_a"], deadline=in_a_week())
    cosigned(world, world.cosigning, people["head_a"], people["head_b"])

    def sent(title):
        position = draft_position(people["staff_a"], [world.provider], title=title)
        services.position_open(position=position, actor=people["head_a"], deadline=in_a_week())
        cosigned(world, position, people["head_a"], people["head_b"])
        services.cosignature_decide(position=position, actor=world.head_c, signs=False)
        return services.position_send(
            position=position, actor=people["head_a"], via="post", sent_on=timezone.localdate()
        )

    world.comment = discussion.comment_add(
        discussion=POSITIONS, subject=world.cosigning, author=people["staff_a"], body="Mein Beitrag"
    )
    world.sent = sent("Schnittstelle XMeld")
    world.published = services.position_publish(
        position=sent("Preise der Fachverfahren"), actor=people["head_a"]
    )
    return world
