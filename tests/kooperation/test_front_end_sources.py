"""The front end's sources: KERN first, and templates a reviewer can read without scrolling."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse

pytestmark = pytest.mark.django_db  # the autouse fresh_cache fixture needs the test database

TEMPLATES = Path(settings.BASE_DIR) / "templates"
PORTAL_CSS = Path(settings.BASE_DIR) / "static" / "css" / "portal.css"
KERN_CSS = Path(settings.BASE_DIR) / "node_modules" / "@kern-ux" / "native" / "dist" / "kern.css"
MAX_LINE = 120


def test_portal_css_uses_only_tokens_kern_defines():
    defined = set(re.findall(r"(--kern-[a-z0-9-]+)\s*:", KERN_CSS.read_text(encoding="utf-8")))
    used = set(re.findall(r"var\((--kern-[a-z0-9-]+)", PORTAL_CSS.read_text(encoding="utf-8")))
    assert used, "portal.css is expected to build on KERN's tokens"
    assert sorted(used - defined) == []


def test_templates_use_kern_utilities_instead_of_portal_copies_of_them():
    kern_classes = set(re.findall(r"\.(kern-[a-z0-9_-]+)", KERN_CSS.read_text(encoding="utf-8")))
    template_classes = {
        name
        for path in TEMPLATES.rglob("*.html")
        for attribute in re.findall(r'class="([^"]*)"', path.read_text(encoding="utf-8"))
        for name in attribute.split()
    }
    assert {"kern-sr-only", "kern-stack-sm", "kern-gap-md", "kern-flex"} <= template_classes
    assert (
        sorted(
            name
            for name in template_classes
            if name.startswith("kern-") and "{" not in name and name not in kern_classes
        )
        == []
    )
    copies = {
        "portal-visually-hidden",
        "portal-actions",
        "portal-section",
        "portal-heading-row",
        "portal-choices",
    }
    assert sorted(copies & template_classes) == []
    assert not re.search(r"\.(" + "|".join(copies) + r")\b", PORTAL_CSS.read_text(encoding="utf-8"))


def test_the_main_navigation_marks_only_the_current_page(client):
    response = client.get(reverse("partners:partner_list"))

    navigation = response.text.split('aria-label="Hauptnavigation"', 1)[1].split("</nav>", 1)[0]
    current = re.findall(r'href="([^"]+)"\s+aria-current="page"', navigation)
    assert current == [reverse("partners:partner_list")]


def _long_lines(path: Path) -> list[int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [number for number, line in enumerate(lines, start=1) if len(line) > MAX_LINE]


def test_no_template_line_is_longer_than_120_characters():
    too_long = {
        str(path.relative_to(TEMPLATES)): numbers
        for path in sorted(TEMPLATES.rglob("*.html"))
        if (numbers := _long_lines(path))
    }
    assert too_long == {}


def test_a_description_list_item_is_kern_markup_with_its_value_escaped_once():
    rendered = Template(
        '{% load kern %}{% dl_item term testid="anzahl" %}<code>{{ value }}</code>{% enddl_item %}'
    ).render(Context({"term": "A & B", "value": "<x>"}))

    assert rendered == (
        '<div class="kern-description-list-item">'
        '<dt class="kern-description-list-item__key">A &amp; B</dt>'
        '<dd class="kern-description-list-item__value" data-testid="anzahl">'
        "<code>&lt;x&gt;</code></dd></div>"
    )
