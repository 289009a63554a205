"""partners.activity.CompiledOnce: a query compiled once, run with other values (issue 19)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners.activity import CompiledOnce
from partners.models import Partner


def _named(limit, *, partner_id):
    return Partner.objects.filter(pk=partner_id).order_by("pk").values_list("pk", "name")[:limit]


def test_each_call_runs_its_own_values_through_the_compiled_sql(partner, other_partner):
    named = CompiledOnce(_named, partner_id=-730_019_999)
    assert named.rows(limit=5, partner_id=partner.pk) == list(_named(5, partner_id=partner.pk))
    with CaptureQueriesContext(connection) as queries:
        rows = named.rows(limit=5, partner_id=other_partner.pk)
    assert rows == [(other_partner.pk, other_partner.name)]
    assert len(queries) == 1
    assert named.rows(limit=5, partner_id=-1) == []


def test_a_placeholder_missing_from_the_parameters_is_refused(db):
    unused = CompiledOnce(
        lambda limit, *, partner_id: Partner.objects.values_list("pk")[:limit],
        partner_id=-730_019_999,
    )
    with pytest.raises(ValueError, match="Platzhalter fehlen"):
        unused.rows(limit=5, partner_id=1)
