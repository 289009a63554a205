"""Who may do what in the positions app: every URL and action for every role, as a table,
with a snapshot proving that a refused action changed nothing."""

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.utils import timezone

from positions.models import Answer, Position, PositionComment, PositionFollow
from tests.initiatives.helpers import login_url
from tests.positions.helpers import Decision, Status, build_position_world, in_a_week, snapshot, url

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module's many cases, each test in a savepoint inside (as in the
    initiatives' matrix)."""
    with django_db_blocker.unblock():
        around_module = transaction.atomic()
        around_module.__enter__()
        world = build_position_world()
        # Nobody follows the published position yet: following it is seen to happen.
        PositionFollow.objects.filter(position=world.published).delete()
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        around_module.__exit__(None, None, None)


def position_data(world, title):
    return {
        "title": title,
        "addressees": [world.land.pk],
        "occasion": "Anhörung",
        "areas": [],
        "text": "Text aus dem Test.",
        "initiatives": "",
    }


def status_of(name):
    return lambda w: Position.objects.get(pk=getattr(w, name).pk).status


@dataclass(frozen=True)
class Case:
    url_name: str
    method: str
    target: str | None = None
    data: object = None
    effect: object = None


CASES = {
    "list": Case("position_list", "get"),
    "export_csv": Case("export_csv", "get"),
    "export_json": Case("export_json", "get"),
    "create": Case("position_create", "get"),
    "create_post": Case(
        "position_create",
        "post",
        data=lambda w: position_data(w, "Neue Position aus dem Test"),
        effect=lambda w: Position.objects.filter(title="Neue Position aus dem Test").exists(),
    ),
    "detail_draft": Case("position_detail", "get", "draft"),
    "detail_published": Case("position_detail", "get", "published"),
    "update": Case("position_update", "get", "draft"),
    "update_post": Case(
        "position_update",
        "post",
        "draft",
        data=lambda w: position_data(w, "Geänderter Titel"),
        effect=lambda w: Position.objects.get(pk=w.draft.pk).title == "Geänderter Titel",
    ),
    "versions": Case("versions", "get", "cosigning"),
    "letter_sent": Case("letter", "get", "sent"),
    "letter_published": Case("letter", "get", "published"),
    "open": Case("open", "get", "draft"),
    "open_post": Case(
        "open",
        "post",
        "draft",
        data=lambda w: {"deadline": in_a_week().isoformat()},
        effect=lambda w: status_of("draft")(w) == Status.COSIGNING,
    ),
    "decide": Case("decide", "get", "cosigning"),
    "decide_post": Case(
        "decide",
        "post",
        "cosigning",
        data=lambda w: {"signs": "0", "reason": "Aus dem Test"},
        effect=lambda w: w.cosigning.cosignatures.filter(reason="Aus dem Test").exists(),
    ),
    "send": Case("send", "get", "cosigning"),
    "send_post": Case(
        "send",
        "post",
        "cosigning",
        data=lambda w: {"via": "post", "sent_on": timezone.localdate().isoformat()},
        effect=lambda w: status_of("cosigning")(w) == Status.SENT,
    ),
    "answer": Case("answer", "get", "sent"),
    "answer_post": Case(
        "answer",
        "post",
        "sent",
        data=lambda w: {
            "received_on": timezone.localdate().isoformat(),
            "reference": "Az. 1",
            "summary": "Danke.",
        },
        effect=lambda w: Answer.objects.filter(position=w.sent).exists(),
    ),
    "publish": Case("publish", "get", "sent"),
    "publish_post": Case(
        "publish",
        "post",
        "sent",
        data=lambda w: {},
        effect=lambda w: Position.objects.get(pk=w.sent.pk).is_published,
    ),
    "withdraw": Case("withdraw", "get", "draft"),
    "withdraw_post": Case(
        "withdraw",
        "post",
        "draft",
        data=lambda w: {},
        effect=lambda w: status_of("draft")(w) == Status.WITHDRAWN,
    ),
    "follow": Case("follow", "get", "cosigning"),
    "follow_post": Case(
        "follow",
        "post",
        "published",
        data=lambda w: {"follow": "1"},
        effect=lambda w: PositionFollow.objects.filter(position=w.published).exists(),
    ),
    "comment_create": Case("comment_create", "get", "cosigning"),
    "comment_create_post": Case(
        "comment_create",
        "post",
        "published",
        data=lambda w: {"body": "Kommentar aus dem Test"},
        effect=lambda w: PositionComment.objects.filter(body="Kommentar aus dem Test").exists(),
    ),
    "comment_link": Case("comment_link", "get", "comment"),
    "comment_update": Case("comment_update", "get", "comment"),
    "comment_update_post": Case(
        "comment_update",
        "post",
        "comment",
        data=lambda w: {"body": "Geänderter Beitrag"},
        effect=lambda w: PositionComment.objects.get(pk=w.comment.pk).body == "Geänderter Beitrag",
    ),
    "comment_delete": Case("comment_delete", "get", "comment"),
    "comment_delete_post": Case(
        "comment_delete",
        "post",
        "comment",
        data=lambda w: {},
        effect=lambda w: not PositionComment.objects.filter(pk=w.comment.pk).exists(),
    ),
}

ROLES = ("anonymous", "staff_a", "staff_b", "head_a", "head_b", "admin", "former")

# The draft is staff_a's, every position is led by A. Visitors and former partners' people see
# the published positions only (an unpublished one: the login for visitors, 404 for the
# others). 405: a POST-only step asked with GET. 302 after a POST: done, or refused with a
# message (send_post by the lead head: the deadline runs and C has not decided – see effect).
# fmt: off
MATRIX = [
    # case                anonym staff_a staff_b head_a head_b admin former
    ("list",                200,   200,    200,    200,   200,   200,  200),
    ("export_csv",          200,   200,    200,    200,   200,   200,  200),
    ("export_json",         200,   200,    200,    200,   200,   200,  200),
    ("create",              302,   200,    200,    200,   200,   403,  403),
    ("create_post",         302,   302,    302,    302,   302,   403,  403),
    ("detail_draft",        302,   200,    200,    200,   200,   200,  404),
    ("detail_published",    200,   200,    200,    200,   200,   200,  200),
    ("update",              302,   200,    403,    200,   403,   403,  404),
    ("update_post",         302,   302,    403,    302,   403,   403,  404),
    ("versions",            302,   200,    200,    200,   200,   200,  404),
    ("letter_sent",         302,   200,    200,    200,   200,   200,  404),
    ("letter_published",    200,   200,    200,    200,   200,   200,  200),
    ("open",                302,   405,    405,    405,   405,   405,  404),
    ("open_post",           302,   403,    403,    302,   403,   403,  404),
    ("decide",              302,   405,    405,    405,   405,   405,  404),
    ("decide_post",         302,   403,    403,    302,   302,   403,  404),
    ("send",                302,   405,    405,    405,   405,   405,  404),
    ("send_post",           302,   403,    403,    302,   403,   403,  404),
    ("answer",              302,   405,    405,    405,   405,   405,  404),
    ("answer_post",         302,   302,    403,    302,   403,   302,  404),
    ("publish",             302,   405,    405,    405,   405,   405,  404),
    ("publish_post",        302,   403,    403,    302,   403,   403,  404),
    ("withdraw",            302,   405,    405,    405,   405,   405,  404),
    ("withdraw_post",       302,   302,    403,    302,   403,   403,  404),
    # The discussion: members and the office, also of a published position (not visitors, not
    # former partners' people); a comment is changed by its author (staff_a's) only.
    ("follow",              302,   405,    405,    405,   405,   405,  404),
    ("follow_post",         302,   302,    302,    302,   302,   302,  403),
    ("comment_create",      302,   405,    405,    405,   405,   405,  404),
    ("comment_create_post", 302,   302,    302,    302,   302,   302,  403),
    ("comment_link",        302,   302,    302,    302,   302,   302,  403),
    ("comment_update",      302,   200,    403,    403,   403,   403,  403),
    ("comment_update_post", 302,   302,    403,    403,   403,   403,  403),
    ("comment_delete",      302,   200,    403,    403,   403,   403,  403),
    ("comment_delete_post", 302,   302,    403,    403,   403,   403,  403),
]
# fmt: on
# Allowed, answered with a redirect, and yet refused by the workflow's rule: nothing changes.
REFUSED_BY_RULE = {("send_post", "head_a")}


def test_the_matrix_covers_every_url_of_the_app():
    from positions.urls import urlpatterns

    assert {pattern.name for pattern in urlpatterns} == {CASES[row[0]].url_name for row in MATRIX}
    assert {row[0] for row in MATRIX} == set(CASES)


@pytest.mark.parametrize(
    ("case", "role", "expected"),
    [
        pytest.param(case, role, status, id=f"{case}-{role}")
        for case, *statuses in MATRIX
        for role, status in zip(ROLES, statuses, strict=True)
    ],
)
def test_permission_matrix(client, world, case, role, expected):
    spec = CASES[case]
    args = [getattr(world, spec.target).pk] if spec.target else []
    if role != "anonymous":
        client.force_login(world.people[role])
    before = snapshot()

    response = getattr(client, spec.method)(
        url(spec.url_name, *args), spec.data(world) if spec.data else {}
    )

    assert response.status_code == expected
    to_login = response.status_code == 302 and response["Location"].startswith(login_url())
    assert to_login == (expected == 302 and role == "anonymous")
    refused = to_login or expected in (403, 404, 405) or (case, role) in REFUSED_BY_RULE
    if spec.method == "get" or refused:
        assert snapshot() == before
    if spec.method == "post":
        assert spec.effect(world) is not refused


def test_visitors_list_only_published_positions(client, world):
    response = client.get(url("position_list"))
    assert [p.title for p in response.context["positions"]] == ["Preise der Fachverfahren"]
    client.force_login(world.people["staff_b"])
    assert len(client.get(url("position_list")).context["positions"]) == 4


def test_the_letter_downloads_as_stored_with_its_hash_on_the_page(client, world):
    position = Position.objects.get(pk=world.published.pk)
    response = client.get(url("letter", position.pk))
    assert response["Content-Type"] == "application/pdf"
    assert response.content == bytes(position.letter_pdf)
    assert position.letter_sha256 in client.get(url("position_detail", position.pk)).text


def test_a_decision_form_with_an_error_keeps_what_was_typed(client, world):
    client.force_login(world.people["head_b"])
    response = client.post(url("decide", world.cosigning.pk), {"reason": "Mein Grund"})
    assert response.status_code == 400
    assert "Mein Grund" in response.text
    assert world.cosigning.cosignatures.get(partner=world.partner_b).decision == Decision.SIGNS
