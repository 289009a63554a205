"""The inventory of solutions and the common ground, through the client."""

import html
import re

import pytest

from initiatives import services
from initiatives.models import (
    Solution,
)
from tests.initiatives.helpers import (
    url,
)

pytestmark = pytest.mark.django_db


# Common ground and the inventory


def test_common_ground_shows_shared_products_with_a_proposal_link(client, world):
    # A runs "OK.EWO" already (the world); B runs it too, written differently.
    services.solution_record(recorded_by=world.people["staff_b"], area=world.area, product="ok.ewo")
    services.solution_record(recorded_by=world.staff_c, area=world.area, product="Nur bei C")
    client.force_login(world.people["staff_b"])
    response = client.get(url("common_ground"))
    assert response.status_code == 200
    shared = dict(response.context["shared"])[world.area]
    assert [(entry.product, [p.name for p in entry.partners]) for entry in shared] == [
        ("OK.EWO", ["Stadt Aheim", "Stadt Behausen"])
    ]
    assert "2 Partner: Stadt Aheim, Stadt Behausen" in response.text
    assert "Nur bei C" in response.text  # in the matrix, not among the shared
    link = html.unescape(
        re.search(
            r'href="(/initiativen/neu/\?[^"]*)"[^>]*>\s*<span class="kern-label">'
            r"Initiative vorschlagen",
            response.text,
        ).group(1)
    )
    assert link == "/initiativen/neu/?area=basisdienste&product=OK.EWO"

    form = client.get(link)
    assert form.status_code == 200
    assert 'value="Gemeinsam: OK.EWO"' in form.text
    assert form.context["form"].initial["area"] == world.area
    assert "Mehrere Partner setzen OK.EWO ein." in form.text


def test_prefilled_proposal_without_a_known_area_is_a_blank_form(client, world):
    client.force_login(world.people["staff_b"])
    form = client.get(url("initiative_create"), {"area": "unbekannt", "product": "OK.EWO"})
    assert form.status_code == 200
    assert form.context["form"].initial == {}
    area_only = client.get(url("initiative_create"), {"area": "basisdienste"})
    assert area_only.context["form"].initial == {"area": world.area}


def test_office_sees_common_ground_without_proposal_links(client, world):
    services.solution_record(recorded_by=world.people["staff_b"], area=world.area, product="OK.EWO")
    client.force_login(world.people["admin"])
    response = client.get(url("common_ground"))
    assert "2 Partner: Stadt Aheim, Stadt Behausen" in response.text
    assert "Initiative vorschlagen" not in response.text


def test_solutions_of_a_former_partner_are_not_common_ground(client, world):
    services.solution_record(recorded_by=world.people["staff_b"], area=world.area, product="Fremd")
    Solution.objects.create(
        partner=world.former, area=world.area, product="Fremd", product_key="fremd"
    )
    client.force_login(world.people["staff_b"])
    shared = dict(client.get(url("common_ground")).context["shared"])[world.area]
    assert [entry.product for entry in shared] == []


def test_record_edit_and_delete_a_solution(client, world):
    client.force_login(world.people["staff_b"])
    data = {"area": world.area.pk, "product": "  ePayBL  ", "vendor": "Land", "notes": "Seit 2021"}
    response = client.post(url("solution_list"), data, follow=True)
    assert response.redirect_chain[-1][0] == url("solution_list")
    assert "„ePayBL“ ist erfasst." in response.text
    solution = Solution.objects.get(partner=world.partner_b, product="ePayBL")
    assert solution.recorded_by == world.people["staff_b"]
    assert [s.product for s in response.context["solutions"]] == ["ePayBL"]  # only B's

    duplicate = client.post(url("solution_list"), {**data, "product": "EPAYBL"})
    assert duplicate.status_code == 400
    assert duplicate.context["form"].errors["product"] == [
        "Dieser Partner hat dieses Produkt in diesem Arbeitsfeld schon erfasst."
    ]
    assert "Dieser Partner hat dieses Produkt in diesem Arbeitsfeld schon erfasst." in (
        duplicate.text
    )
    assert 'value="EPAYBL"' in duplicate.text  # what was typed stays
    assert Solution.objects.filter(partner=world.partner_b).count() == 1

    # Another partner may record the same product.
    client.force_login(world.people["head_a"])
    assert client.post(url("solution_list"), data).status_code == 302

    client.force_login(world.people["head_b"])  # same partner as the recorder
    form = client.get(url("solution_update", solution.pk))
    assert 'value="ePayBL"' in form.text
    response = client.post(
        url("solution_update", solution.pk),
        {**data, "product": "ePayBL 2", "notes": "Neue Version"},
        follow=True,
    )
    assert "Die Lösung ist geändert." in response.text
    solution.refresh_from_db()
    assert (solution.product, solution.notes) == ("ePayBL 2", "Neue Version")
    assert solution.recorded_by == world.people["head_b"]

    response = client.post(url("solution_delete", solution.pk), follow=True)
    assert "„ePayBL 2“ ist gelöscht." in response.text
    assert not Solution.objects.filter(pk=solution.pk).exists()


def test_renaming_a_solution_onto_another_is_refused(client, world):
    client.force_login(world.people["staff_a"])
    other = services.solution_record(
        recorded_by=world.people["staff_a"], area=world.area, product="FIT-Connect"
    )
    response = client.post(
        url("solution_update", other.pk),
        {"area": world.area.pk, "product": "ok.ewo", "vendor": "", "notes": ""},
    )
    assert response.status_code == 200
    assert "schon erfasst" in response.text
    assert Solution.objects.get(pk=other.pk).product == "FIT-Connect"
