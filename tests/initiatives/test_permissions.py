"""Who may do what in the initiatives app: every view and action for every role, as a table,
with a snapshot proving that a refused action changed nothing."""

from dataclasses import dataclass

import pytest
from django.db import transaction

from initiatives.models import (
    Comment,
    Initiative,
    Solution,
)
from tests.initiatives.helpers import (
    Stage,
    Status,
    build_world,
    initiative_data,
    login_url,
    snapshot,
    url,
)

pytestmark = pytest.mark.django_db


# Who may do what


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world of build_world, built once for the module's many cases: it lives in a
    transaction around the module, each test in a savepoint inside it (pytest-django's db),
    so what one case changes is rolled back before the next and the world at the end."""
    with django_db_blocker.unblock():
        around_module = transaction.atomic()
        around_module.__enter__()
        world = build_world()
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        around_module.__exit__(None, None, None)


@dataclass(frozen=True)
class Case:
    url_name: str
    method: str
    target: str | None = None  # attribute of the world whose pk the URL takes
    data: object = None  # world -> POST data
    effect: object = None  # world -> whether the action took place (POST only)


CASES = {
    "list": Case("initiative_list", "get"),
    "create": Case("initiative_create", "get"),
    "create_post": Case(
        "initiative_create",
        "post",
        data=lambda w: initiative_data(w, "Neue Initiative aus dem Test"),
        effect=lambda w: Initiative.objects.filter(title="Neue Initiative aus dem Test").exists(),
    ),
    "export_csv": Case("initiative_export_csv", "get"),
    "export_json": Case("initiative_export_json", "get"),
    "detail": Case("initiative_detail", "get", "proposal"),
    "update": Case("initiative_update", "get", "proposal"),
    "update_post": Case(
        "initiative_update",
        "post",
        "proposal",
        data=lambda w: initiative_data(w, "Geänderter Titel"),
        effect=lambda w: Initiative.objects.get(pk=w.proposal.pk).title == "Geänderter Titel",
    ),
    "withdraw": Case("initiative_withdraw", "get", "proposal"),
    "withdraw_post": Case(
        "initiative_withdraw",
        "post",
        "proposal",
        data=lambda w: {},
        effect=lambda w: Initiative.objects.get(pk=w.proposal.pk).status == Status.WITHDRAWN,
    ),
    "status": Case("initiative_status", "get", "active"),
    "status_post": Case(
        "initiative_status",
        "post",
        "active",
        data=lambda w: {"status": Status.PAUSED},
        effect=lambda w: Initiative.objects.get(pk=w.active.pk).status == Status.PAUSED,
    ),
    "participation": Case("participation", "get", "proposal"),
    "commit_post": Case(
        "participation",
        "post",
        "proposal",
        data=lambda w: {"stage": Stage.COMMITTED},
        effect=lambda w: w.proposal.participations.filter(stage=Stage.COMMITTED).exists(),
    ),
    "interest_post": Case(
        "participation",
        "post",
        "plain",
        data=lambda w: {"stage": Stage.INTERESTED},
        effect=lambda w: w.plain.participations.exclude(partner=w.partner_c).exists(),
    ),
    "follow": Case("follow", "get", "plain"),
    "follow_post": Case(
        "follow",
        "post",
        "plain",
        data=lambda w: {"follow": "1"},
        effect=lambda w: w.plain.follows.exclude(user=w.staff_c).exists(),
    ),
    "comment_create": Case("comment_create", "get", "plain"),
    "comment_create_post": Case(
        "comment_create",
        "post",
        "plain",
        data=lambda w: {"body": "Neuer Beitrag"},
        effect=lambda w: Comment.objects.filter(body="Neuer Beitrag").exists(),
    ),
    "comment_link": Case("comment_link", "get", "comment"),
    "comment_update": Case("comment_update", "get", "comment"),
    "comment_update_post": Case(
        "comment_update",
        "post",
        "comment",
        data=lambda w: {"body": "Geänderter Beitrag"},
        effect=lambda w: Comment.objects.get(pk=w.comment.pk).body == "Geänderter Beitrag",
    ),
    "comment_delete": Case("comment_delete", "get", "comment"),
    "comment_delete_post": Case(
        "comment_delete",
        "post",
        "comment",
        data=lambda w: {},
        effect=lambda w: not Comment.objects.filter(pk=w.comment.pk).exists(),
    ),
    "common_ground": Case("common_ground", "get"),
    "solution_list": Case("solution_list", "get"),
    "solution_create_post": Case(
        "solution_list",
        "post",
        data=lambda w: {"area": w.area.pk, "product": "Neues Produkt", "vendor": "", "notes": ""},
        effect=lambda w: Solution.objects.filter(product="Neues Produkt").exists(),
    ),
    "solution_update": Case("solution_update", "get", "solution"),
    "solution_update_post": Case(
        "solution_update",
        "post",
        "solution",
        data=lambda w: {"area": w.area.pk, "product": "OK.EWO Plus", "vendor": "", "notes": ""},
        effect=lambda w: Solution.objects.get(pk=w.solution.pk).product == "OK.EWO Plus",
    ),
    "solution_delete": Case("solution_delete", "get", "solution"),
    "solution_delete_post": Case(
        "solution_delete",
        "post",
        "solution",
        data=lambda w: {},
        effect=lambda w: not Solution.objects.filter(pk=w.solution.pk).exists(),
    ),
}

ROLES = ("anonymous", "staff_a", "staff_b", "head_a", "head_b", "admin", "former")

# The proposal is staff_a's, the active initiative is led by A, the comment is staff_a's and
# the solution is partner A's. 302 for "anonymous" is the way to the login page; 405: a POST-only
# action asked with GET.
# fmt: off
MATRIX = [
    # case                  anonym staff_a staff_b head_a head_b admin former
    ("list",                  302,   200,    200,    200,   200,   200,  403),
    ("create",                302,   200,    200,    200,   200,   403,  403),
    ("create_post",           302,   302,    302,    302,   302,   403,  403),
    ("export_csv",            302,   200,    200,    200,   200,   200,  403),
    ("export_json",           302,   200,    200,    200,   200,   200,  403),
    ("detail",                302,   200,    200,    200,   200,   200,  403),
    ("update",                302,   200,    403,    403,   403,   403,  403),
    ("update_post",           302,   302,    403,    403,   403,   403,  403),
    ("withdraw",              302,   200,    403,    403,   403,   403,  403),
    ("withdraw_post",         302,   302,    403,    403,   403,   403,  403),
    ("status",                302,   405,    405,    405,   405,   405,  403),
    ("status_post",           302,   403,    403,    302,   403,   403,  403),
    ("participation",         302,   405,    405,    405,   405,   405,  403),
    ("commit_post",           302,   403,    403,    302,   302,   403,  403),
    ("interest_post",         302,   302,    302,    302,   302,   403,  403),
    ("follow",                302,   405,    405,    405,   405,   405,  403),
    ("follow_post",           302,   302,    302,    302,   302,   302,  403),
    ("comment_create",        302,   405,    405,    405,   405,   405,  403),
    ("comment_create_post",   302,   302,    302,    302,   302,   302,  403),
    ("comment_link",          302,   302,    302,    302,   302,   302,  403),
    ("comment_update",        302,   200,    403,    403,   403,   403,  403),
    ("comment_update_post",   302,   302,    403,    403,   403,   403,  403),
    ("comment_delete",        302,   200,    403,    403,   403,   403,  403),
    ("comment_delete_post",   302,   302,    403,    403,   403,   403,  403),
    ("common_ground",         302,   200,    200,    200,   200,   200,  403),
    ("solution_list",         302,   200,    200,    200,   200,   403,  403),
    ("solution_create_post",  302,   302,    302,    302,   302,   403,  403),
    ("solution_update",       302,   200,    403,    200,   403,   403,  403),
    ("solution_update_post",  302,   302,    403,    302,   403,   403,  403),
    ("solution_delete",       302,   200,    403,    200,   403,   403,  403),
    ("solution_delete_post",  302,   302,    403,    302,   403,   403,  403),
]
# fmt: on


def test_the_matrix_covers_every_url_of_the_app():
    from initiatives.urls import urlpatterns

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
    assert to_login == (role == "anonymous")
    refused = role == "anonymous" or expected in (403, 405)
    if spec.method == "get" or refused:
        assert snapshot() == before
    if spec.method == "post":
        assert spec.effect(world) is not refused


@pytest.mark.parametrize("case", [case for case, spec in CASES.items() if spec.target is not None])
def test_unknown_ids_answer_404(client, world, case):
    spec = CASES[case]
    client.force_login(world.people["head_a"])
    before = snapshot()
    response = getattr(client, spec.method)(
        url(spec.url_name, 987654), spec.data(world) if spec.data else {}
    )
    assert response.status_code == 404
    assert snapshot() == before


def test_a_former_partner_learns_nothing_about_unknown_ids(client, world):
    client.force_login(world.people["former"])
    assert client.get(url("initiative_detail", 987654)).status_code == 403
    assert client.get(url("initiative_detail", world.proposal.pk)).status_code == 403


def test_staff_are_offered_interest_only_department_heads_everything(client, world):
    detail = url("initiative_detail", world.proposal.pk)
    client.force_login(world.people["staff_b"])
    response = client.get(detail)
    assert [stage for stage, _label in response.context["stage_actions"]] == [Stage.INTERESTED]
    assert "Beteiligung zusagen" not in response.text
    assert response.context["status_actions"] == []

    client.force_login(world.people["head_b"])
    response = client.get(detail)
    assert [stage for stage, _label in response.context["stage_actions"]] == [
        Stage.INTERESTED,
        Stage.COMMITTED,
        Stage.DECLINED,
    ]
    assert "Beteiligung zusagen" in response.text

    client.force_login(world.people["admin"])
    assert client.get(detail).context["stage_actions"] == []


def test_only_the_lead_head_is_offered_the_status_buttons(client, world):
    detail = url("initiative_detail", world.active.pk)
    client.force_login(world.people["head_a"])
    response = client.get(detail)
    assert [status for status, _label in response.context["status_actions"]] == [
        Status.PAUSED,
        Status.COMPLETED,
    ]
    assert "Pausieren" in response.text
    client.force_login(world.people["head_b"])
    response = client.get(detail)
    assert response.context["status_actions"] == []
    assert "Pausieren" not in response.text


def test_staff_cannot_commit_even_with_a_forged_form(client, world):
    client.force_login(world.people["staff_b"])
    for stage in (Stage.COMMITTED, Stage.DECLINED, Stage.ADOPTED):
        response = client.post(url("participation", world.active.pk), {"stage": stage})
        assert response.status_code == 403
    assert (
        not world.active.participations.filter(partner=world.partner_b)
        .exclude(changed_by=world.people["head_b"])
        .exists()
    )
