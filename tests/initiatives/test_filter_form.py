"""The list's filter form renders each field group once per process for what its HTML depends
on (kooperation.forms.KernBoundField, issue 20): the same HTML as through the templates every
time, and never another value's."""

import re

import pytest
from django.http import QueryDict
from django.utils import translation

from initiatives.filters import InitiativeFilter
from initiatives.forms import CommentForm
from initiatives.models import Initiative
from kooperation import forms as kern_forms

pytestmark = pytest.mark.django_db

ADDRESSES = [
    "",
    "q=Antrag",
    "q=Antrag+Wohngeld&status=active",
    "q=%3Cscript%3E%22&ozg=x%26y",
    "area=basisdienste&status=active&status=paused&sort=titel",
    "status=nonsense&sort=relevanz",
    "lead=braunschweig&partner=gifhorn,salzgitter",
    "q=None",
]


def form_html(address: str, *, remembered: bool) -> str:
    filters = InitiativeFilter(QueryDict(address) or None, queryset=Initiative.objects.all())
    form = filters.form
    form.remember_field_groups = remembered
    if filters.is_bound:
        filters.is_valid()
    return str(form)


@pytest.mark.parametrize("address", ADDRESSES)
def test_a_remembered_form_reads_as_the_templates_render_it(catalogue, address):
    rendered = form_html(address, remembered=False)
    assert form_html(address, remembered=True) == rendered  # rendered and remembered
    assert form_html(address, remembered=True) == rendered  # from what was remembered


def test_another_value_is_never_served_what_was_remembered_for_one(catalogue):
    for address in ADDRESSES:
        form_html(address, remembered=True)
    antrag = form_html("q=Antrag", remembered=True)
    wohngeld = form_html("q=Wohngeld", remembered=True)
    assert 'value="Antrag"' in antrag
    assert 'value="Antrag"' not in wohngeld
    assert 'value="Wohngeld"' in wohngeld
    paused = form_html("status=paused", remembered=True)
    assert paused.count("checked") == 1
    assert 'value="paused" ' in paused.split("checked")[0][-80:]
    invalid = form_html("status=nonsense", remembered=True)
    assert "kern-error" in invalid
    assert "kern-error" not in form_html("", remembered=True)


def test_each_language_is_remembered_apart(catalogue):
    kern_forms._remembered_field_groups.clear()
    form_html("", remembered=True)
    with translation.override("en"):
        form_html("", remembered=True)
    assert {key[1] for key in kern_forms._remembered_field_groups} == {"de", "en"}


def test_a_long_value_from_the_address_is_rendered_but_not_kept_in_memory(catalogue):
    kern_forms._remembered_field_groups.clear()
    long_text = "Antrag" * 2000
    html = form_html(f"q={long_text}", remembered=True)
    assert f'value="{long_text}"' in html
    kept = "".join(kern_forms._remembered_field_groups.values())
    assert long_text not in kept
    assert 'value="Antrag"' in form_html("q=Antrag", remembered=True)
    assert any('value="Antrag"' in html for html in kern_forms._remembered_field_groups.values())


def test_the_comment_form_remembers_its_field_group_but_never_a_token_or_another_text(catalogue):
    """Issue 20: the comment form on every detail page reads as through the templates; its
    hidden token is new each time, a text sent back with an error is the sender's own."""
    token = re.compile(r'value="[0-9a-f-]{36}"')

    def html(data=None, *, remembered: bool) -> tuple[str, list[str]]:
        form = CommentForm(data)
        form.remember_field_groups = remembered
        if data is not None:
            form.is_valid()
        rendered = str(form)
        return token.sub('value="TOKEN"', rendered), token.findall(rendered)

    empty, _tokens = html(remembered=False)
    first, first_tokens = html(remembered=True)
    again, again_tokens = html(remembered=True)
    assert first == again == empty
    assert len(first_tokens) == len(again_tokens) == 1
    assert first_tokens != again_tokens  # a new token each time, never a remembered one
    too_long = {"body": "x" * 5001}
    sent, _tokens = html(too_long, remembered=True)
    assert sent == html(too_long, remembered=False)[0]
    assert "kern-error" in sent
    short = {"body": "Ein Kommentar", "form_token": "kein-token"}
    mine, _tokens = html(short, remembered=True)
    assert "Ein Kommentar" in mine
    assert "Ein Kommentar" not in html(remembered=True)[0]
