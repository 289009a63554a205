"""One component for a form field's label, hint and error in KERN UX markup, for every form."""

import re

import pytest
from django import forms
from django.template import Context, Template
from django.template.base import Origin

pytestmark = pytest.mark.django_db  # the autouse fresh_cache fixture needs the test database


class ContactForm(forms.Form):
    name = forms.CharField(label="Name & Funktion", help_text="Wie im Organigramm.")
    note = forms.CharField(label="Notiz", required=False)
    kind = forms.ChoiceField(
        label="Art", choices=[("a", "Stadt"), ("b", "Landkreis")], widget=forms.RadioSelect
    )


def _tag(html: str, name: str, id_: str) -> str:
    return re.search(rf'<{name}\b[^>]*\bid="{id_}"[^>]*>', html).group(0)


def test_a_field_with_an_error_ties_label_hint_and_error_to_its_input():
    html = str(ContactForm(data={"name": ""})["name"].as_field_group())

    assert '<div class="kern-form-input kern-form-input--error">' in html
    assert '<label class="kern-label" for="id_name">Name &amp; Funktion</label>' in html
    field_input = _tag(html, "input", "id_name")
    assert 'aria-invalid="true"' in field_input
    assert 'aria-describedby="id_name_helptext id_name_error"' in field_input
    assert "kern-form-input__input--error" in field_input
    assert '<div class="kern-hint" id="id_name_helptext">Wie im Organigramm.</div>' in html
    error = re.search(
        r'<p class="kern-error" id="id_name_error" role="alert">(.*?)</p>', html, re.S
    )
    assert 'class="kern-icon kern-icon--danger kern-icon--small"' in error.group(1)
    assert '<span class="kern-body">Dieses Feld ist zwingend erforderlich.</span>' in error.group(1)


def test_a_valid_optional_field_says_so_and_shows_no_error():
    html = str(ContactForm(data={"name": "Ada", "kind": "a"})["note"].as_field_group())

    assert re.search(
        r'<label class="kern-label" for="id_note">Notiz\s*'
        r'<span class="kern-label__optional">– optional</span></label>',
        html,
    )
    assert "kern-error" not in html
    assert "aria-invalid" not in _tag(html, "input", "id_note")


def test_a_group_of_choices_has_a_legend_and_the_fieldset_names_hint_and_error():
    html = str(ContactForm(data={"name": "Ada"})["kind"].as_field_group())

    assert '<legend class="kern-label">Art</legend>' in html
    assert re.search(
        r'<fieldset class="kern-fieldset kern-fieldset--error"\s+aria-describedby="id_kind_error">',
        html,
    )
    assert '<p class="kern-error" id="id_kind_error" role="alert">' in html


def test_allauths_field_element_uses_the_same_component():
    html = Template(
        '{% load allauth %}{% element field id="code" type="text" name="code" errors=errors %}'
        "{% slot label %}Code{% endslot %}{% slot help_text %}Sechs Ziffern{% endslot %}"
        "{% endelement %}",
        origin=Origin("test_label_hint_error", template_name="test_label_hint_error.html"),
    ).render(Context({"errors": ["Der Code stimmt nicht."]}))

    assert '<label class="kern-label" for="code">Code</label>' in html
    assert 'aria-describedby="code_helptext"' in _tag(html, "input", "code")
    assert '<div class="kern-hint" id="code_helptext">Sechs Ziffern</div>' in html
    assert re.search(
        r'<p class="kern-error" role="alert">.*'
        r'<span class="kern-body">Der Code stimmt nicht.</span>',
        html,
        re.S,
    )
