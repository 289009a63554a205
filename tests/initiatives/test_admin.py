"""The office's admin pages of the initiatives app: lists, search, change pages with the
read-only history, and the inventory of solutions."""

import pytest
from django.urls import reverse

from initiatives import services
from initiatives.models import Initiative, Participation, Solution
from tests.factories import (
    AreaFactory,
    DepartmentHeadFactory,
    PartnerFactory,
    UserFactory,
    propose,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, office_admin):
    client.force_login(office_admin)
    return client


@pytest.fixture
def active(db):
    heads = [DepartmentHeadFactory(partner=PartnerFactory()) for _ in range(2)]
    initiative = propose(heads[0], AreaFactory(name="Basisdienste"), title="Gemeinsames E-Payment")
    for head in heads:
        services.participation_set(
            initiative=initiative, actor=head, stage=Participation.Stage.COMMITTED
        )
    services.comment_add(initiative=initiative, author=heads[1], body="Kommentar im Admin")
    return initiative


def test_initiative_list_searches_and_filters(admin_client, active):
    propose(UserFactory(), active.area, title="Hundesteuer online")
    url = reverse("admin:initiatives_initiative_changelist")

    response = admin_client.get(url, {"q": "E-Payment"})
    assert response.status_code == 200
    assert "Gemeinsames E-Payment" in response.text
    assert "Hundesteuer online" not in response.text

    response = admin_client.get(url, {"status__exact": "proposed"})
    assert "Hundesteuer online" in response.text
    assert "Gemeinsames E-Payment" not in response.text


def test_initiative_change_page_shows_the_history_read_only(admin_client, active):
    url = reverse("admin:initiatives_initiative_change", args=[active.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "Kommentar im Admin" in response.text
    assert "Aktiv" in response.text
    assert "Verlauf" in response.text

    # The office corrects a typo in the title; the status cannot be forged through the form.
    response = admin_client.post(
        url,
        {
            "title": "Gemeinsames E-Payment mit ePayBL",
            "summary": active.summary,
            "description": active.description,
            "area": active.area.pk,
            "ozg_reference": "",
            "target_date": "",
            "status": "completed",
            "participations-TOTAL_FORMS": "2",
            "participations-INITIAL_FORMS": "2",
            "events-TOTAL_FORMS": "4",
            "events-INITIAL_FORMS": "4",
            "comments-TOTAL_FORMS": "1",
            "comments-INITIAL_FORMS": "1",
            **{
                f"{prefix}-{number}-id": pk
                for prefix, queryset in (
                    ("participations", active.participations.order_by("pk")),
                    ("events", active.events.order_by("pk")),
                    ("comments", active.comments.order_by("pk")),
                )
                for number, pk in enumerate(queryset.values_list("pk", flat=True))
            },
            **{
                f"{prefix}-{number}-initiative": active.pk
                for prefix, count in (("participations", 2), ("events", 4), ("comments", 1))
                for number in range(count)
            },
        },
    )
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    active.refresh_from_db()
    assert active.title == "Gemeinsames E-Payment mit ePayBL"
    assert active.status == Initiative.Status.ACTIVE


def test_initiatives_are_not_added_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:initiatives_initiative_add")).status_code == 403


def test_solutions_are_listed_searched_and_duplicates_refused(admin_client):
    partner = PartnerFactory(name="Stadt Salzgitter")
    area = AreaFactory()
    services.solution_record(
        recorded_by=UserFactory(partner=partner), area=area, product="OK.EWO", vendor="AKDB"
    )
    url = reverse("admin:initiatives_solution_changelist")
    response = admin_client.get(url, {"q": "AKDB"})
    assert response.status_code == 200
    assert "OK.EWO" in response.text

    response = admin_client.post(
        reverse("admin:initiatives_solution_add"),
        {"partner": partner.pk, "area": area.pk, "product": " ok.ewo", "vendor": "", "notes": ""},
    )
    assert response.status_code == 200
    assert "schon erfasst" in response.text
    assert Solution.objects.count() == 1


def test_area_list_opens(admin_client, area):
    response = admin_client.get(reverse("admin:initiatives_area_changelist"))
    assert response.status_code == 200
    assert area.name in response.text
