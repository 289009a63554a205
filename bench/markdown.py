"""Benchmark: how long rendering one Markdown text takes (markdown-it-py and nh3), for the
inputs that took Python-Markdown seconds to minutes, at the maximum length of a comment and of
an initiative's description, and for a normal text of 2 kB.

    make bench-markdown                     # or:
    .venv/bin/python bench/markdown.py --repeat 5

Prints the median of `--repeat` renders per text in milliseconds. Needs no database: the text
is rendered as it is when a row is saved (partners.markdown.render_markdown).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# The models only tell the fields' maximum lengths; no database is opened.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kooperation.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from initiatives.models import Comment, Initiative  # noqa: E402
from partners.markdown import render_markdown  # noqa: E402

NORMAL = (
    "## Ziel\n\nBürgerinnen und Bürger stellen den Antrag auf **Wohngeld** vollständig online, "
    "ohne Termin im Rathaus. Die Partner nutzen dafür den [EfA-Dienst](https://example.org/efa) "
    "gemeinsam.\n\n## Vorgehen\n\n1. Bedarf in jedem Partner erheben\n2. Anbindung an das "
    "Servicekonto\n3. Pilot in Gifhorn\n\n| Partner | Start | Stand |\n|:--|:-:|--:|\n"
    "| Braunschweig | 2025 | 80 % |\n| Wolfsburg | 2026 | 20 % |\n\n> Nicht jeder muss das Rad "
    "neu erfinden.\n\n`FIT-Connect` und ~~Fax~~ E-Akte.\n\n"
)


def at_length(unit: str, length: int, ending: str = "") -> str:
    return (unit * length)[: length - len(ending)] + ending


def cases() -> list[tuple[str, str]]:
    texts = [("normaler Text, 2 kB", at_length(NORMAL, 2000))]
    for field, length in (
        ("Kommentar", Comment._meta.get_field("body").max_length),
        ("Beschreibung", Initiative._meta.get_field("description").max_length),
    ):
        texts += [
            (f"{field}: '[' × n + '0000i'", at_length("[", length, "0000i")),
            (f"{field}: '[' × n", at_length("[", length)),
            (f"{field}: '[](' × n", at_length("[](", length)),
            (f"{field}: '<![CDATA[' × n", at_length("<![CDATA[", length)),
        ]
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    print(f"{'Text':42} {'Zeichen':>8} {'ms je Rendern (Median)':>24}")
    for name, text in cases():
        times = []
        for _ in range(options.repeat):
            started = time.perf_counter()
            render_markdown(text)
            times.append((time.perf_counter() - started) * 1000)
        print(f"{name:42} {len(text):>8} {statistics.median(times):>24.1f}")


if __name__ == "__main__":
    main()
