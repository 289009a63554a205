"""The portal of a public administration says "Sie": our catalogue in locale/de overrides every
message of django-allauth whose German text says "du"."""

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import allauth
import pytest
from django.conf import settings
from django.utils import translation

pytestmark = pytest.mark.django_db

OURS = Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES" / "django.po"
ALLAUTH = Path(allauth.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.po"

# The informal address: pronouns, the verb forms that go with "du" and the imperatives
# allauth's German catalogue uses. Word boundaries keep "Anmeldeversuche", "Reihenfolge" or
# "Dirigent" out; "habe" only with "Geduld" ("Ich habe meine Codes gespeichert" is fine).
INFORMAL = re.compile(
    r"\b(?:du|dich|dir|dein\w*"
    r"|kannst|musst|hast|bist|möchtest|willst|solltest|erhältst|sendest|verwendest"
    r"|gib|bestätige|klicke?|wähle|gehe|melde|versuche\s+es|kontaktiere|lass|rufe"
    r"|überprüfe|erstelle|folge|habe\s+Geduld)\b",
    re.IGNORECASE,
)


def read_po(path):
    """The entries of a .po file as dicts with msgctxt, msgid, msgid_plural and msgstr (a list
    of the plural forms), without the header and without obsolete (#~) entries."""
    entries = []
    entry, field = {}, None
    # A blank line at the end closes the last entry.
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        keyword = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$", line)
        if keyword:
            field, text = keyword.groups()
            if field in ("msgctxt", "msgid") and "msgstr" in entry:
                entries.append(entry)
                entry = {}
            if field.startswith("msgstr"):
                entry.setdefault("msgstr", []).append(ast.literal_eval(text))
            else:
                entry[field] = ast.literal_eval(text)
        elif line.startswith('"') and field:
            if field.startswith("msgstr"):
                entry["msgstr"][-1] += ast.literal_eval(line)
            else:
                entry[field] += ast.literal_eval(line)
        elif not line.strip() or line.startswith("#~"):
            # A blank line or an obsolete entry ends the entry before it.
            if "msgstr" in entry:
                entries.append(entry)
            entry, field = {}, None
    return [e for e in entries if e["msgid"]]


def translate(entry, n=1):
    """What Django says in German for the entry's msgid."""
    with translation.override("de"):
        if entry.get("msgid_plural"):
            if entry.get("msgctxt"):
                return translation.npgettext(
                    entry["msgctxt"], entry["msgid"], entry["msgid_plural"], n
                )
            return translation.ngettext(entry["msgid"], entry["msgid_plural"], n)
        if entry.get("msgctxt"):
            return translation.pgettext(entry["msgctxt"], entry["msgid"])
        return translation.gettext(entry["msgid"])


def placeholders(text):
    return sorted(re.findall(r"%\(\w+\)[sd]|%[sd]|\{\w*\}", text))


class VisibleText(HTMLParser):
    """The text a visitor reads: text nodes and the attributes shown or read aloud."""

    SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "value"}

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        if ("type", "hidden") in attrs:  # the CSRF token and the like
            return
        self.parts += [value for name, value in attrs if name in self.SHOWN_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def test_our_catalogue_is_compiled_and_wins_over_allauths():
    ours = read_po(OURS)
    assert len(ours) >= 60
    for entry in ours:
        # A stale or missing django.mo gives allauth's text (or the English msgid) instead.
        if entry.get("msgid_plural"):
            assert translate(entry, 1) == entry["msgstr"][0], entry["msgid"]
            assert translate(entry, 2) == entry["msgstr"][1], entry["msgid"]
        else:
            assert translate(entry) == entry["msgstr"][0], entry["msgid"]


def test_our_catalogue_is_formal_and_keeps_the_placeholders():
    for entry in read_po(OURS):
        for text in entry["msgstr"]:
            assert not INFORMAL.search(text), text
            assert placeholders(text) == placeholders(entry["msgid"]), text


def test_every_informal_allauth_message_is_overridden():
    informal = [e for e in read_po(ALLAUTH) if any(INFORMAL.search(s) for s in e["msgstr"])]
    # allauth 65.21 has 60 of them; an update that adds or rewords some shows up here.
    assert informal
    for entry in informal:
        for n in (1, 2) if entry.get("msgid_plural") else (1,):
            german = translate(entry, n)
            assert not INFORMAL.search(german), f"{entry['msgid']!r} -> {german!r}"


@pytest.mark.parametrize("path", ["/konto/login/", "/konto/password/reset/"])
def test_account_pages_address_visitors_formally(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Language"] == "de"
    text = visible_text(response.text)
    assert not INFORMAL.findall(text), INFORMAL.findall(text)
