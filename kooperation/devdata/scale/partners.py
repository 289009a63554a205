"""The partners app's tables of the national data set: partners, people, applications."""

import itertools
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils.text import slugify

from kooperation.devdata.scale.words import ENDINGS, FIRST_NAMES, LAST_NAMES, PLACES, PREFIXES
from kooperation.devdata.scale.world import (
    SCALE_PASSWORD,
    SCALE_STAFF,
    TWO_YEARS,
    World,
    bulk,
)
from partners.models import Application, ApplicationEvent, Partner, User, Vote
from partners.official_keys import kreise

KREISE = sorted(kreise())


def seed_partners(world: World, count: int) -> None:
    world.partners = bulk(Partner, list(_partners(world.rng, count, world.now)))
    world.partner_weights = list(
        itertools.accumulate(1 / (rank + 10) for rank in range(len(world.partners)))
    )


def seed_people(world: World, count: int) -> None:
    """SCALE_STAFF, one department head per partner (as far as `count` goes), then staff."""
    rng, now, partners = world.rng, world.now, world.partners
    no_password = make_password(None)
    people = [
        User(
            email=SCALE_STAFF,
            name="Sina Skala",
            partner=partners[0],
            role=User.Role.STAFF,
            password=make_password(SCALE_PASSWORD),
            date_joined=now - TWO_YEARS,
        )
    ]
    for number, partner in enumerate(partners):
        if len(people) >= count:
            break
        people.append(_person(rng, number, partner, User.Role.DEPARTMENT_HEAD, no_password, now))
    staff_partners = rng.choices(
        partners, cum_weights=world.partner_weights, k=max(0, count - len(people))
    )
    for number, partner in enumerate(staff_partners, start=len(people)):
        people.append(_person(rng, number, partner, User.Role.STAFF, no_password, now))
    world.people = bulk(User, people)
    bulk(
        EmailAddress,
        [EmailAddress(user=p, email=p.email, verified=True, primary=True) for p in world.people],
    )
    for person in world.people:
        world.people_of.setdefault(person.partner_id, []).append(person)
    world.heads = {p.partner_id: p for p in world.people if p.role == User.Role.DEPARTMENT_HEAD}


def seed_applications(world: World, count: int) -> None:
    """Applications of the past (decided, each with the votes of its electorate of then)
    and a few pending ones, on which every member may vote."""
    rng, now, moment, heads = world.rng, world.now, world.moment, world.heads
    members = [p for p in world.partners if p.status == Partner.Status.MEMBER]
    used_keys = set(Partner.objects.values_list("official_key", flat=True))
    applications, electorates, votes, events = [], [], [], []
    pending = min(20, count)
    for number in range(count):
        is_pending = number < pending
        while True:
            key = f"{rng.choice(KREISE)}{rng.randint(1, 999):03d}"
            if key not in used_keys:
                used_keys.add(key)
                break
        submitted = moment(now - timedelta(days=20)) if is_pending else moment()
        status = (
            Application.Status.PENDING
            if is_pending
            else rng.choice([Application.Status.ADMITTED] * 3 + [Application.Status.REJECTED])
        )
        name = f"Gemeinde {rng.choice(PLACES)}{rng.choice(ENDINGS)} ({number})"
        application = Application(
            name=name,
            kind=Partner.Kind.GEMEINDE,
            official_key=key,
            contact_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            contact_email=f"antrag{number}@bewerbung.example",
            motivation="Wir möchten unsere Online-Dienste gemeinsam mit den Partnern entwickeln.",
            status=status,
            submitted_at=submitted,
            decided_at=None if is_pending else moment(submitted),
        )
        applications.append(application)
        electorate = rng.sample(members, min(len(members), 200 if is_pending else 30))
        electorates.append(electorate)
    applications = bulk(Application, applications)
    through = Application.electorate.through
    rows = []
    for application, electorate in zip(applications, electorates, strict=True):
        rows += [through(application=application, partner=p) for p in electorate]
        voters = electorate if not application.is_pending else electorate[: len(electorate) // 3]
        for partner in voters:
            votes.append(
                Vote(
                    application=application,
                    partner=partner,
                    voter=heads.get(partner.pk),
                    approve=application.status != Application.Status.REJECTED or rng.random() < 0.5,
                    cast_at=application.submitted_at + timedelta(days=rng.randint(0, 10)),
                )
            )
        events.append(
            ApplicationEvent(
                application=application,
                kind=ApplicationEvent.Kind.SUBMITTED,
                created_at=application.submitted_at,
            )
        )
    bulk(through, rows)
    bulk(Vote, votes)
    bulk(ApplicationEvent, events)


def _partners(rng, count, now):
    names = set()
    # Seeding into an existing database: its partners' keys are taken too.
    keys = set(Partner.objects.values_list("official_key", flat=True))
    kinds = [Partner.Kind.GEMEINDE] * 8 + [Partner.Kind.STADT] * 3
    kinds += [Partner.Kind.GEMEINDEVERBAND, Partner.Kind.LANDKREIS]
    for number in range(count):
        while True:
            name = rng.choice(PREFIXES) + rng.choice(PLACES) + rng.choice(ENDINGS)
            kind = rng.choice(kinds)
            label = {
                Partner.Kind.GEMEINDE: "Gemeinde",
                Partner.Kind.STADT: "Stadt",
                Partner.Kind.GEMEINDEVERBAND: "Samtgemeinde",
                Partner.Kind.LANDKREIS: "Landkreis",
            }[kind]
            full = f"{label} {name}"
            if full in names:
                full = f"{full} ({number})"
            # Canonical keys in real Kreise (official_keys): a Landkreis by its Kreisschlüssel
            # (once all 400 are taken, another kind is drawn), a Gemeinde by its AGS, a
            # Samtgemeinde by its ARS.
            kreis = rng.choice(KREISE)
            key = {
                Partner.Kind.LANDKREIS: kreis,
                Partner.Kind.GEMEINDEVERBAND: f"{kreis}5{rng.randint(1, 999):03d}000",
            }.get(kind, f"{kreis}{rng.randint(1, 999):03d}")
            if key not in keys:
                break
        names.add(full)
        keys.add(key)
        yield Partner(
            name=full,
            slug=f"{slugify(full)[:60]}-{number}",
            kind=kind,
            official_key=key,
            status=Partner.Status.MEMBER if rng.random() < 0.98 else Partner.Status.FORMER,
            joined_on=(now - timedelta(days=rng.randint(30, 2000))).date(),
        )


def _person(rng, number, partner, role, password, now):
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return User(
        email=f"{slugify(first)}.{slugify(last)}.{number}@{partner.slug}.example",
        name=f"{first} {last}",
        partner=partner,
        role=role,
        job_title="Dezernat Digitalisierung" if role == User.Role.DEPARTMENT_HEAD else "",
        password=password,
        date_joined=now - timedelta(days=rng.randint(1, 730)),
    )
