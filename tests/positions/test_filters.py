"""The position list's partner filters: checkboxes like its other filters while the member
partners fit on the page, a text field for Kurznamen beyond."""

import re

import pytest
from django.http import QueryDict

from initiatives.filters import PARTNER_CHOICES_LIMIT
from positions.filters import PositionFilter
from positions.models import Position
from tests.factories import PartnerFactory
from tests.positions.helpers import url

pytestmark = pytest.mark.django_db


def test_with_few_partners_lead_and_cosigner_are_checkboxes(client):
    partners = PartnerFactory.create_batch(4)
    response = client.get(url("position_list"), {"cosigner": [partners[3].slug]})
    assert [tag for tag in re.findall(r"<select[^>]*>", response.text) if "multiple" in tag] == []
    for name in ("lead", "cosigner"):
        for partner in partners:
            assert f'type="checkbox" name="{name}" value="{partner.slug}"' in response.text
    checked = re.findall(
        r'<input type="checkbox" name="(\w+)" value="([^"]+)"[^>]* checked', response.text
    )
    assert checked == [("cosigner", partners[3].slug)]


def test_with_many_partners_lead_and_cosigner_are_text_fields_with_a_hint(client):
    partners = PartnerFactory.create_batch(PARTNER_CHOICES_LIMIT + 1)
    response = client.get(url("position_list"), {"lead": f"{partners[0].slug}, {partners[1].slug}"})
    assert 'type="checkbox" name="lead"' not in response.text
    assert f'name="lead" value="{partners[0].slug}, {partners[1].slug}"' in response.text
    assert response.text.count("Kurzname aus dem Partnerverzeichnis") == 2


@pytest.mark.parametrize(
    "address", ["", "q=Stellungnahme", "status=sent&kind=land", "status=nonsense", "lead=x"]
)
def test_the_remembered_filter_form_reads_as_the_templates_render_it(address):
    """Issue 20: the field groups are remembered per process (kooperation.forms)."""
    PartnerFactory.create_batch(3)

    def form_html(remembered: bool) -> str:
        filters = PositionFilter(QueryDict(address) or None, queryset=Position.objects.all())
        filters.form.remember_field_groups = remembered
        if filters.is_bound:
            filters.is_valid()
        return str(filters.form)

    rendered = form_html(remembered=False)
    assert form_html(remembered=True) == rendered
    assert form_html(remembered=True) == rendered
