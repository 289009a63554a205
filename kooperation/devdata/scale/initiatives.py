"""The initiatives app's tables of the national data set: areas, initiatives, participations,
timeline, comments, follows, solutions."""

import datetime
import itertools

from initiatives.models import (
    Area,
    Comment,
    Follow,
    Initiative,
    InitiativeEvent,
    Participation,
    Solution,
)
from kooperation.devdata.demo import AREAS
from kooperation.devdata.scale.words import (
    COMMENTS,
    PATTERNS,
    PRODUCTS,
    SENTENCES,
    SERVICES,
    SUFFIXES,
)
from kooperation.devdata.scale.world import DETAIL_COMMENTS, DETAIL_TITLE, World, bulk


def seed_areas(world: World) -> None:
    for position, (slug, name, description) in enumerate(AREAS, start=1):
        area, _ = Area.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
        world.areas.append(area)


STATUSES = (
    [Initiative.Status.PROPOSED] * 30
    + [Initiative.Status.ACTIVE] * 35
    + [Initiative.Status.PAUSED] * 10
    + [Initiative.Status.COMPLETED] * 20
    + [Initiative.Status.WITHDRAWN] * 5
)


def seed_initiatives(world: World, count: int) -> None:
    """The first is DETAIL_TITLE, active, led by the first partner."""
    rng, areas = world.rng, world.areas
    initiatives = []
    for number in range(count):
        lead = world.partners[0] if number == 0 else world.some_partner()
        service = rng.choice(SERVICES)
        title = (
            DETAIL_TITLE
            if number == 0
            else rng.choice(PATTERNS).format(s=service) + rng.choice(SUFFIXES)
        )
        created = world.moment()
        initiatives.append(
            Initiative(
                title=title[:200],
                summary=f"{rng.choice(SENTENCES)} {rng.choice(SENTENCES)}",
                description="\n\n".join(" ".join(rng.sample(SENTENCES, 4)) for _ in range(3)),
                area=areas[number % len(areas)] if number else areas[1],
                lead_partner=lead,
                proposer=rng.choice(world.people_of.get(lead.pk) or world.people),
                status=Initiative.Status.ACTIVE if number == 0 else rng.choice(STATUSES),
                ozg_reference=service if rng.random() < 0.6 else "",
                created_at=created,
                last_activity_at=world.moment(created),
            )
        )
    world.initiatives = bulk(Initiative, initiatives)


STAGES = [Participation.Stage.INTERESTED] * 3 + [Participation.Stage.COMMITTED] * 5
STAGES += [Participation.Stage.ADOPTED, Participation.Stage.DECLINED]


def seed_participations(world: World, count: int) -> None:
    """The lead takes part in its own initiative; other partners join at random stages."""
    rng = world.rng
    taken = set()
    participations = []
    for i in world.initiatives:
        taken.add((i.pk, i.lead_partner_id))
        participations.append(
            Participation(
                initiative=i,
                partner_id=i.lead_partner_id,
                stage=Participation.Stage.COMMITTED,
                changed_by=world.heads.get(i.lead_partner_id),
                changed_at=i.created_at,
            )
        )
    while len(participations) < count:
        i = rng.choice(world.initiatives)
        partner = world.some_partner()
        if (i.pk, partner.pk) in taken:
            continue
        taken.add((i.pk, partner.pk))
        stage, when = rng.choice(STAGES), world.moment(i.created_at)
        participations.append(
            Participation(
                initiative=i,
                partner=partner,
                stage=stage,
                changed_by=world.heads.get(partner.pk),
                changed_at=when,
            )
        )
    world.participations = bulk(Participation, participations)


EVENT_OF_STAGE = {
    Participation.Stage.INTERESTED: InitiativeEvent.Kind.INTERESTED,
    Participation.Stage.COMMITTED: InitiativeEvent.Kind.COMMITTED,
    Participation.Stage.ADOPTED: InitiativeEvent.Kind.ADOPTED,
    Participation.Stage.DECLINED: InitiativeEvent.Kind.DECLINED,
}


def seed_timeline(world: World) -> None:
    """Each initiative's proposal, then each other partner's step in it."""
    events = [
        InitiativeEvent(
            initiative=i,
            kind=InitiativeEvent.Kind.PROPOSED,
            partner=i.lead_partner,
            actor=i.proposer,
            created_at=i.created_at,
        )
        for i in world.initiatives
    ]
    events += [
        InitiativeEvent(
            initiative=p.initiative,
            kind=EVENT_OF_STAGE[p.stage],
            partner=p.partner,
            actor=p.changed_by,
            created_at=p.changed_at,
        )
        for p in world.participations
        if p.partner_id != p.initiative.lead_partner_id
    ]
    bulk(InitiativeEvent, events)


def seed_comments(world: World, count: int) -> None:
    """DETAIL_COMMENTS on the first initiative, the rest on the others."""
    rng, people = world.rng, world.people
    first = world.initiatives[0]
    bulk(
        Comment,
        [
            _comment(rng, first, rng.choice(people), world.moment(first.created_at))
            for _ in range(min(DETAIL_COMMENTS, count))
        ],
    )
    others = world.initiatives[1:] or world.initiatives
    left = count - min(DETAIL_COMMENTS, count)
    while left > 0:  # in chunks: half a million model instances at once would need gigabytes
        chunk = min(left, 50_000)
        comments = []
        for _ in range(chunk):
            i = rng.choice(others)
            comments.append(_comment(rng, i, rng.choice(people), world.moment(i.created_at)))
        bulk(Comment, comments)
        left -= chunk


def seed_follows(world: World, count: int) -> None:
    """Proposers follow their initiatives; the rest are random pairs."""
    rng = world.rng
    follows = {(i.pk, i.proposer_id) for i in world.initiatives if i.proposer_id}
    while len(follows) < count:
        follows.add((rng.choice(world.initiatives).pk, rng.choice(world.people).pk))
    bulk(Follow, [Follow(initiative_id=i, user_id=u) for i, u in follows], ignore_conflicts=True)


def seed_solutions(
    world: World, count: int, *, recorded_after: datetime.datetime | None = None
) -> None:
    """Some products are everywhere, most in a few places: the common ground has overlaps."""
    rng = world.rng
    solutions = {}
    products = [(area, product) for area in world.areas for product in PRODUCTS[area.slug]]
    product_weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(products))))
    while len(solutions) < count:
        partner = rng.choice(world.partners)
        area, product = rng.choices(products, cum_weights=product_weights)[0]
        key = (partner.pk, area.pk, product.casefold())
        solutions[key] = Solution(
            partner=partner,
            area=area,
            product=product,
            product_key=product.casefold(),
            vendor="",
            recorded_by=world.heads.get(partner.pk),
            created_at=world.moment(recorded_after),
        )
    bulk(Solution, list(solutions.values()))


def _comment(rng, initiative, author, when):
    return Comment(
        initiative=initiative,
        author=author,
        partner_id=author.partner_id,
        body=rng.choice(COMMENTS),
        created_at=when,
    )
