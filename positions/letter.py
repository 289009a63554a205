"""INTERIM PLACEHOLDER – replaced at merge by the branch `letter17`, which renders the letter
with WeasyPrint (tagged PDF, KERN fonts, safe url_fetcher). Only the interface below is shared:
the services of this app build a `Letter` and store what `render_letter` returns."""

import datetime
from dataclasses import dataclass

from django.utils.html import strip_tags


@dataclass(frozen=True)
class Signer:
    partner_name: str
    head_name: str
    head_function: str


@dataclass(frozen=True)
class Letter:
    addressee_lines: list[str]
    place: str
    date: datetime.date
    subject: str
    body_html: str
    signers: list[Signer]
    title: str


def render_letter(letter: Letter) -> bytes:
    """A stand-in with the letter's text, so that sending works until letter17 lands."""
    lines = [
        *letter.addressee_lines,
        f"{letter.place}, {letter.date:%d.%m.%Y}",
        letter.subject,
        strip_tags(letter.body_html),
        *(f"{s.partner_name}: {s.head_name}, {s.head_function}" for s in letter.signers),
    ]
    return b"%PDF-1.7\n% placeholder\n" + "\n".join(lines).encode("utf-8") + b"\n%%EOF\n"
