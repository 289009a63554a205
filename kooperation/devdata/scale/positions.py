"""The positions app's tables of the national data set: addressees, positions with versions,
co-signatures, steps, answers, comments and follows, and the stored letters of those sent.

Its own random source (the tables before stay as they were seeded). Every sent position stores
a real letter, rendered once and shared (20 KB each: the list and the detail page must not read
them); the first position – DETAIL_POSITION_TITLE, answered and published, led by the first
partner – has its own five-page letter, the benchmark's PDF download, and DETAIL_POSITION_COMMENTS
comments."""

import datetime
import hashlib
import random

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from kooperation.devdata.scale.words import COMMENTS, SENTENCES, SERVICES
from kooperation.devdata.scale.world import World, bulk
from partners.markdown import render_markdown
from positions.letter import Letter, Signer, render_letter
from positions.models import (
    Addressee,
    Answer,
    CoSignature,
    Position,
    PositionComment,
    PositionEvent,
    PositionFollow,
    PositionVersion,
)

DETAIL_POSITION_TITLE = "Stellungnahme zum Entwurf des Digitalisierungsgesetzes des Landes"
DETAIL_POSITION_COMMENTS = 60
LAENDER = [
    "Baden-Württemberg", "Bayern", "Berlin", "Brandenburg", "Bremen", "Hamburg", "Hessen",
    "Mecklenburg-Vorpommern", "Niedersachsen", "Nordrhein-Westfalen", "Rheinland-Pfalz",
    "Saarland", "Sachsen", "Sachsen-Anhalt", "Schleswig-Holstein", "Thüringen",
]  # fmt: skip
PROVIDERS = ["Nord", "Süd", "West", "Ost", "Mitte", "Rhein", "Elbe", "Weser", "Main", "Donau"]
STATUSES = (
    [Position.Status.DRAFT] * 25
    + [Position.Status.COSIGNING] * 15
    + [Position.Status.SENT] * 25
    + [Position.Status.ANSWERED] * 25
    + [Position.Status.WITHDRAWN] * 10
)
Kind, Decision, Status = PositionEvent.Kind, CoSignature.Decision, Position.Status
SECTION = (
    "## {number}. {service}\n\n{sentences}\n\n- Übergangsfristen von mindestens sechs Monaten\n"
    "- Testumgebungen für alle Partner\n- gemeinsame Abstimmung der Releasetermine\n\n"
)


def seed_addressees() -> list[Addressee]:
    rows = [
        Addressee(
            name=f"Ministerium für Digitalisierung des Landes {land}",
            kind=Addressee.Kind.LAND,
            postal_address="Referat Digitale Verwaltung\nPostfach 1000\n10000 Landeshauptstadt",
            email=f"digitales@{number}.land.example",
        )
        for number, land in enumerate(LAENDER)
    ]
    rows += [
        Addressee(
            name=f"Kommunaler IT-Dienstleister {region}",
            kind=Addressee.Kind.IT_PROVIDER,
            postal_address="Kundenservice\nServerweg 1\n20000 Rechenstadt",
            email=f"kontakt@{region.lower().replace('ü', 'ue')}.it.example",
        )
        for region in PROVIDERS
    ]
    rows.append(
        Addressee(
            name="Bundesministerium des Innern (Skala)",
            kind=Addressee.Kind.BUND,
            postal_address="Alt-Moabit 140\n10557 Berlin",
        )
    )
    return bulk(Addressee, rows)


def _text(rng, sections: int) -> str:
    return "".join(
        SECTION.format(
            number=n + 1, service=rng.choice(SERVICES), sentences=" ".join(rng.sample(SENTENCES, 4))
        )
        for n in range(sections)
    )


def _letter(addressee: Addressee, signers, text: str, title: str) -> bytes:
    return render_letter(
        Letter(
            addressee_lines=addressee.address_lines,
            place="Musterstadt",
            date=timezone.localdate(),
            subject=title,
            body_html=str(render_markdown(text)),
            signers=[Signer(p.name, h.name if h else "", "Dezernent:in") for p, h in signers],
            title=title,
        )
    )


def seed_positions(world: World, count: int) -> None:
    if count < 1:
        return
    rng = random.Random(43)  # noqa: S311 - repeatable data, not security
    addressees = seed_addressees()
    first = world.partners[0]
    positions, texts = [], []
    for number in range(count):
        lead = first if number == 0 else world.some_partner()
        status = Status.ANSWERED if number == 0 else rng.choice(STATUSES)
        created = world.moment()
        sent = status in Position.SENT_STATUSES
        text = _text(rng, 11 if number == 0 else rng.randint(1, 3))
        service = rng.choice(SERVICES)
        title = DETAIL_POSITION_TITLE if number == 0 else f"Stellungnahme: {service}"
        positions.append(
            Position(
                title=title,
                occasion=f"Anhörung zum Entwurf „{service}“, Frist {rng.randint(1, 28)}.06.",
                text=text,
                lead_partner=lead,
                proposer=rng.choice(world.people_of.get(lead.pk) or world.people),
                status=status,
                deadline=(created + datetime.timedelta(days=rng.randint(7, 40))).date()
                if status != Status.DRAFT
                else None,
                is_published=sent and (number == 0 or rng.random() < 0.6),
                sent_via=Position.SentVia.POST if sent else "",
                sent_on=world.moment(created).date() if sent else None,
                created_at=created,
                last_activity_at=world.moment(created),
            )
        )
        texts.append(text)
    positions = bulk(Position, positions)
    Through = Position.addressees.through
    bulk(
        Through,
        [
            Through(position_id=p.pk, addressee_id=addressees[i % len(addressees)].pk)
            for i, p in enumerate(positions)
        ],
    )
    versions = _seed_versions(world, rng, positions)
    cosignatures = _seed_cosignatures(world, rng, positions, versions)
    _seed_letters(positions, cosignatures, addressees)
    _seed_steps(rng, world, positions, versions, cosignatures)
    _seed_discussion(world, rng, positions)


def _seed_versions(world, rng, positions) -> dict[int, PositionVersion]:
    """1–3 versions each (the first position five); the position points to its last."""
    versions = []
    for position in positions:
        for number in range(
            1, (5 if position.title == DETAIL_POSITION_TITLE else rng.randint(1, 3)) + 1
        ):
            versions.append(
                PositionVersion(
                    position=position,
                    number=number,
                    title=position.title,
                    text=position.text if number > 1 else f"Entwurf: {position.text}",
                    author=position.proposer,
                    created_at=world.moment(position.created_at),
                )
            )
    versions = bulk(PositionVersion, versions)
    last = {version.position_id: version for version in versions}  # ordered: the last wins
    for position in positions:
        position.current_version = last[position.pk]
    # One UPDATE for all (bulk_update's CASE over thousands of rows takes minutes).
    newest = PositionVersion.objects.filter(position=OuterRef("pk")).order_by("-number")
    Position.objects.filter(pk__in=[p.pk for p in positions]).update(
        current_version=Subquery(newest.values("pk")[:1])
    )
    return last


def _seed_cosignatures(world, rng, positions, versions) -> dict[int, list[CoSignature]]:
    """In Mitzeichnung and after: the lead co-signs, one to five others decide (most co-sign);
    for those in Mitzeichnung some decisions are still open."""
    rows, by_position = [], {}
    for position in positions:
        if position.status in (Status.DRAFT, Status.WITHDRAWN):
            continue
        others = {
            world.some_partner()
            for _ in range(6 if position.title == DETAIL_POSITION_TITLE else rng.randint(1, 5))
        }
        others.discard(position.lead_partner)
        sent = position.is_sent
        mine = [(position.lead_partner, Decision.SIGNS)]
        for number, partner in enumerate(others):
            if sent and number == 0:
                decision = Decision.SIGNS  # sent: at least two co-sign
            else:
                decision = rng.choice(
                    [Decision.SIGNS] * 4
                    + [Decision.DECLINES]
                    + ([Decision.OPEN] if not sent else [])
                )
            mine.append((partner, decision))
        by_position[position.pk] = []
        for partner, decision in mine:
            decided = decision != Decision.OPEN
            row = CoSignature(
                position=position,
                partner=partner,
                decision=decision,
                reason="Wir tragen die Forderung nicht mit."
                if decision == Decision.DECLINES
                else "",
                version=versions[position.pk] if decided else None,
                decided_by=world.heads.get(partner.pk) if decided else None,
                decided_at=world.moment(position.created_at) if decided else None,
            )
            rows.append(row)
            by_position[position.pk].append(row)
    bulk(CoSignature, rows)
    return by_position


def _seed_letters(positions, cosignatures, addressees) -> None:
    """The sent positions' stored letters: one rendered for all, the first its own."""
    sent = [p for p in positions if p.is_sent]
    if not sent:
        return

    def signing(position):
        rows = cosignatures[position.pk]
        return [(c.partner, c.decided_by) for c in rows if c.decision == Decision.SIGNS]

    shared = _letter(
        addressees[0], signing(sent[-1]), "Die Partner nehmen Stellung.", "Stellungnahme"
    )
    detail = [p for p in sent if p.title == DETAIL_POSITION_TITLE]
    own = (
        _letter(addressees[0], signing(detail[0]), detail[0].text, detail[0].title)
        if detail
        else None
    )
    for position in sent:
        position.letter_pdf = own if position in detail else shared
        position.letter_sha256 = hashlib.sha256(position.letter_pdf).hexdigest()
    # The shared letter in one UPDATE, with its bytes sent once.
    Position.objects.filter(pk__in=[p.pk for p in sent if p not in detail]).update(
        letter_pdf=shared, letter_sha256=hashlib.sha256(shared).hexdigest()
    )
    for position in detail:
        Position.objects.filter(pk=position.pk).update(
            letter_pdf=own, letter_sha256=position.letter_sha256
        )


def _seed_steps(rng, world, positions, versions, cosignatures) -> None:
    events, answers = [], []

    def step(position, kind, partner, actor, at):
        events.append(
            PositionEvent(
                position=position,
                kind=kind,
                partner=partner,
                actor=actor,
                version=versions[position.pk],
                created_at=at,
            )
        )

    for position in positions:
        lead, head = position.lead_partner, world.heads.get(position.lead_partner_id)
        step(position, Kind.PROPOSED, lead, position.proposer, position.created_at)
        if position.status == Status.WITHDRAWN:
            step(position, Kind.WITHDRAWN, lead, head, position.last_activity_at)
        for row in cosignatures.get(position.pk, []):
            if row.decision != Decision.OPEN:
                kind = Kind.SIGNED if row.decision == Decision.SIGNS else Kind.DECLINED
                step(position, kind, row.partner, row.decided_by, row.decided_at)
        if position.pk in cosignatures:
            step(position, Kind.OPENED, lead, head, position.created_at)
        if position.is_sent:
            sent_at = datetime.datetime.combine(
                position.sent_on, datetime.time(12), tzinfo=datetime.UTC
            )
            step(position, Kind.SENT, lead, head, sent_at)
            if position.is_published:
                step(position, Kind.PUBLISHED, lead, head, sent_at)
        if position.status == Status.ANSWERED:
            answers.append(
                Answer(
                    position=position,
                    received_on=position.sent_on,
                    reference=f"Az. {rng.randint(100, 999)}-{rng.randint(1, 99)}",
                    summary=" ".join(rng.sample(SENTENCES, 2)),
                    recorded_by=head,
                )
            )
            step(position, Kind.ANSWERED, lead, head, position.last_activity_at)
    bulk(PositionEvent, events)
    bulk(Answer, answers)


def _seed_discussion(world, rng, positions) -> None:
    """Proposers follow; a third of the positions are discussed; the first one at length."""
    comments = []
    for position in positions:
        many = DETAIL_POSITION_COMMENTS if position.title == DETAIL_POSITION_TITLE else 0
        for _ in range(many or (rng.randint(1, 4) if rng.random() < 0.33 else 0)):
            author = rng.choice(world.people)
            comments.append(
                PositionComment(
                    position=position,
                    author=author,
                    partner_id=author.partner_id,
                    body=rng.choice(COMMENTS),
                    created_at=world.moment(position.created_at),
                )
            )
    bulk(PositionComment, comments)
    bulk(
        PositionFollow,
        [PositionFollow(position=p, user=p.proposer) for p in positions if p.proposer_id],
        ignore_conflicts=True,
    )
