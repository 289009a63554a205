"""Loads the demo initiatives and solutions (demo_initiatives.py).

Every initiative goes through the same services the pages use, as the demo people, so that
participation, timeline and follows are what the real workflow produces. Afterwards the demo
spreads each initiative's history over the weeks before loading, the last steps of several in
the past days, so that the list sorts sensibly and a weekly digest has something to tell.
Loading is idempotent: an initiative whose title exists is left alone, a solution the partner
has recorded is not recorded again.
"""

import datetime

from django.utils import timezone

from initiatives import services
from initiatives.models import (
    Area,
    Comment,
    Initiative,
    InitiativeEvent,
    Participation,
    Solution,
    product_key,
)
from kooperation.devdata.demo_initiatives import (
    INITIATIVES,
    RECENT_SOLUTIONS,
    SOLUTIONS,
    DemoInitiative,
    team,
)
from partners.models import User


def _take_step(initiative: Initiative, actor: User, step: tuple) -> None:
    kind = step[0]
    if kind == "stage":
        services.participation_set(initiative=initiative, actor=actor, stage=step[2])
    elif kind == "status":
        services.initiative_change_status(initiative=initiative, actor=actor, status=step[2])
    elif kind == "comment":
        services.comment_add(initiative=initiative, author=actor, body=step[2])
    elif kind == "follow":
        services.follow(initiative=initiative, user=actor)
    elif kind == "withdraw":
        services.initiative_withdraw(initiative=initiative, actor=actor)
    else:
        raise ValueError(f"Unknown demo step: {kind}")


def _redate(initiative: Initiative, since: dict, moment: datetime.datetime, staged_by=None) -> None:
    """Dates what the last step wrote (events, comments, the stage set by `staged_by`)."""
    events = InitiativeEvent.objects.filter(initiative=initiative, pk__gt=since["event"])
    comments = Comment.objects.filter(initiative=initiative, pk__gt=since["comment"])
    events.update(created_at=moment)
    comments.update(created_at=moment)
    if staged_by is not None:
        Participation.objects.filter(
            initiative=initiative, partner=staged_by.partner, changed_by=staged_by
        ).update(changed_at=moment)
    since["event"] = InitiativeEvent.objects.order_by("-pk").values_list("pk", flat=True)[0]
    since["comment"] = Comment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _ensure_initiative(demo: DemoInitiative, people: dict, areas: dict, now) -> None:
    if Initiative.objects.filter(title=demo.title).exists():
        return
    proposed_at = now - datetime.timedelta(days=demo.days_ago)
    since = {
        "event": InitiativeEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
        "comment": Comment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
    }
    proposer = people[demo.proposer]
    initiative = services.initiative_propose(
        proposer=proposer,
        title=demo.title,
        summary=demo.summary,
        description=demo.description,
        area=areas[demo.area],
        ozg_reference=demo.ozg_reference,
        target_date=demo.target_date,
    )
    _redate(initiative, since, proposed_at, proposer)
    span = datetime.timedelta(days=demo.days_ago - demo.last_step_days_ago)
    moment = proposed_at
    for number, step in enumerate(demo.steps, start=1):
        moment = proposed_at + span * number / len(demo.steps)
        actor = people[step[1]]
        _take_step(initiative, actor, step)
        _redate(initiative, since, moment, actor if step[0] == "stage" else None)
    Initiative.objects.filter(pk=initiative.pk).update(
        created_at=proposed_at, last_activity_at=moment
    )


def _ensure_solution(slug, area, product, vendor, notes, people, areas, recorded_at) -> None:
    person = people[team(slug)]
    if Solution.objects.filter(
        partner=person.partner, area=areas[area], product_key=product_key(product)
    ).exists():
        return
    solution = services.solution_record(
        recorded_by=person, area=areas[area], product=product, vendor=vendor, notes=notes
    )
    Solution.objects.filter(pk=solution.pk).update(created_at=recorded_at, updated_at=recorded_at)


def load_demo_initiatives() -> None:
    """Needs the demo partners, people and fields of work (kooperation.devdata.demo)."""
    people = {user.email: user for user in User.objects.select_related("partner")}
    areas = {area.slug: area for area in Area.objects.all()}
    now = timezone.now().replace(hour=9, minute=30, second=0, microsecond=0)
    for demo in INITIATIVES:
        _ensure_initiative(demo, people, areas, now)
    # The inventory was taken months ago; the last few entries are today's news.
    for number, (slug, area, product, vendor, notes) in enumerate(SOLUTIONS):
        recent = number >= len(SOLUTIONS) - RECENT_SOLUTIONS
        recorded_at = (
            timezone.now() - datetime.timedelta(hours=3)
            if recent
            else now - datetime.timedelta(days=120 - number)
        )
        _ensure_solution(slug, area, product, vendor, notes, people, areas, recorded_at)
