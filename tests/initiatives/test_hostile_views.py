"""Hostile input on the initiatives pages: markup is escaped or sanitised, NUL bytes and
oversized values are form errors, never a 500."""

import html
import re
from html.parser import HTMLParser

import pytest

from initiatives.models import (
    Comment,
    Initiative,
    Solution,
)
from tests.initiatives.helpers import (
    initiative_data,
    snapshot,
    url,
)

pytestmark = pytest.mark.django_db


# Hostile input


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attributes = []
        self.scripts = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def assert_harmless(page: str) -> None:
    """No script, event handler or javascript: link from the input made it into the markup."""
    assert "<script>alert" not in page
    markup = _Markup()
    markup.feed(page)
    assert [(tag, name) for tag, name, _value in markup.attributes if name.startswith("on")] == []
    assert [
        value
        for _tag, name, value in markup.attributes
        if name in {"href", "src", "action", "formaction"}
        and value.strip().lower().startswith("javascript:")
    ] == []
    assert [script for script in markup.scripts if "alert" in script] == []


HOSTILE_MARKDOWN = (
    "Vorher <script>alert(1)</script>\n\n"
    "[Klick mich](javascript:alert(2))\n\n"
    '<a href="javascript:alert(3)">roh</a> <img src=x onerror=alert(4)>\n\n'
    '<p onclick="alert(5)">Absatz</p>'
)


def test_html_in_every_initiative_field_is_escaped(client, world):
    client.force_login(world.people["staff_b"])
    data = {
        **initiative_data(world, "<script>alert(1)</script> Titel"),
        "summary": '<img src=x onerror="alert(2)"> Zusammenfassung',
        "description": HOSTILE_MARKDOWN,
        "ozg_reference": "<b onmouseover=alert(3)>Wohngeld</b>",
    }
    response = client.post(url("initiative_create"), data)
    assert response.status_code == 302
    initiative = Initiative.objects.get(proposer=world.people["staff_b"])
    assert initiative.title == "<script>alert(1)</script> Titel"  # stored as typed

    detail = client.get(response["Location"]).text
    assert_harmless(detail)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Titel" in detail
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt; Zusammenfassung" in detail
    assert "&lt;b onmouseover=alert(3)&gt;Wohngeld&lt;/b&gt;" in detail
    assert "Klick mich" in detail  # the link text stays, the javascript: target goes
    assert "javascript:" not in detail
    assert "Absatz" in detail

    listing = client.get(url("initiative_list")).text
    assert_harmless(listing)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Titel" in listing
    assert_harmless(client.get(url("initiative_update", initiative.pk)).text)
    assert_harmless(client.get(url("initiative_withdraw", initiative.pk)).text)
    assert_harmless(client.get(url("initiative_list"), {"q": "<script>alert(1)</script>"}).text)


def test_html_in_comments_is_sanitised(client, world):
    client.force_login(world.people["staff_b"])
    response = client.post(url("comment_create", world.plain.pk), {"body": HOSTILE_MARKDOWN})
    assert response.status_code == 302
    comment = Comment.objects.get(author=world.people["staff_b"])
    detail = client.get(url("initiative_detail", world.plain.pk)).text
    assert_harmless(detail)
    assert "Klick mich" in detail
    assert "javascript:" not in detail
    assert_harmless(client.get(url("comment_update", comment.pk)).text)
    assert_harmless(client.get(url("comment_delete", comment.pk)).text)

    # The 400 page that shows the refused text again is harmless too.
    refused = client.post(url("comment_create", world.plain.pk), {"body": HOSTILE_MARKDOWN * 30})
    assert refused.status_code == 400
    assert_harmless(refused.text)


def test_html_in_solutions_is_escaped(client, world):
    hostile = {
        "area": world.area.pk,
        "product": "<script>alert(1)</script>",
        "vendor": "<img src=x onerror=alert(2)>",
        "notes": "<script>alert(3)</script>\n<b onclick=alert(4)>fett</b>",
    }
    for person in ("staff_a", "staff_b"):  # two partners: it shows among the shared products
        client.force_login(world.people[person])
        assert client.post(url("solution_list"), hostile).status_code == 302
    solution = Solution.objects.get(partner=world.partner_b)
    listing = client.get(url("solution_list")).text
    assert_harmless(listing)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listing
    assert "&lt;b onclick=alert(4)&gt;fett&lt;/b&gt;" in listing
    ground = client.get(url("common_ground"))
    assert_harmless(ground.text)
    assert [entry.product for entry in dict(ground.context["shared"])[world.area]] == [
        "<script>alert(1)</script>"
    ]
    link = html.unescape(re.search(r'href="(/initiativen/neu/\?[^"]*)"', ground.text).group(1))
    prefilled = client.get(link)
    assert_harmless(prefilled.text)
    assert 'value="Gemeinsam: &lt;script&gt;alert(1)&lt;/script&gt;"' in prefilled.text
    assert_harmless(client.get(url("solution_update", solution.pk)).text)
    assert_harmless(client.get(url("solution_delete", solution.pk)).text)


def test_a_very_long_title_is_a_form_error(client, world):
    client.force_login(world.people["staff_b"])
    before = snapshot()
    response = client.post(url("initiative_create"), initiative_data(world, "A" * 10_000))
    assert response.status_code == 200
    assert "höchstens 200 Zeichen" in response.text
    assert snapshot() == before


@pytest.mark.parametrize("field", ["title", "summary", "description", "ozg_reference"])
def test_a_nul_byte_in_an_initiative_is_a_form_error(client, world, field):
    client.force_login(world.people["staff_b"])
    data = initiative_data(world, "Mit Nullzeichen")
    data[field] = "Text\x00mit Null"
    before = snapshot()
    response = client.post(url("initiative_create"), data)
    assert response.status_code == 200
    assert "Nullzeichen sind nicht erlaubt." in response.text
    assert snapshot() == before


def test_a_nul_byte_in_comments_and_solutions_is_a_form_error(client, world):
    client.force_login(world.people["staff_a"])
    before = snapshot()
    comment = client.post(url("comment_create", world.plain.pk), {"body": "Hallo\x00"})
    assert comment.status_code == 400
    assert "Nullzeichen sind nicht erlaubt." in comment.text
    edit = client.post(url("comment_update", world.comment.pk), {"body": "Hallo\x00"})
    assert edit.status_code == 200
    assert "Nullzeichen sind nicht erlaubt." in edit.text
    for field in ("product", "vendor", "notes"):
        data = {"area": world.area.pk, "product": "X", "vendor": "", "notes": "", field: "a\x00b"}
        solution = client.post(url("solution_list"), data)
        assert solution.status_code == 400
        assert "Nullzeichen sind nicht erlaubt." in solution.text
        update = client.post(url("solution_update", world.solution.pk), data)
        assert update.status_code == 200
        assert "Nullzeichen sind nicht erlaubt." in update.text
    assert snapshot() == before


@pytest.mark.parametrize("params", [{"q": "Wohn\x00geld"}, {"ozg": "\x00"}, {"q": "x" * 500}])
def test_hostile_filter_values_are_not_a_500(client, catalogue, params):
    client.force_login(catalogue.viewer)
    response = client.get(url("initiative_list"), params)
    assert response.status_code == 200
    assert response.context["filter_form"].errors
    # An export does not start with filters it cannot apply (issue 15, point 5): a 400 page.
    csv_export = client.get(url("initiative_export_csv"), params)
    assert csv_export.status_code == 400
    assert "Die Filterangaben in der Adresse sind ungültig." in csv_export.text
