"""Benchmark: how long the letter of a joint position takes as PDF (WeasyPrint, PDF/UA-1).

    make bench-letter                       # or:
    .venv/bin/python bench/letter.py --repeat 10 --pages 5

Renders a Markdown text that fills `--pages` pages (headings, lists, a table, long German
words) through the portal's Markdown renderer into the letter, four co-signers. Prints the
first render in this process (it unpacks the four WOFF2 faces of Fira Sans) and the median and
slowest of the `--repeat` renders after it. Needs no database.
"""

import argparse
import datetime
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kooperation.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

import pypdf  # noqa: E402

from partners.markdown import render_markdown  # noqa: E402
from positions.letter import Letter, Signer, render_letter  # noqa: E402

SECTION = """## {number}. Schnittstellen und Datenaustausch

Die Partner der Kooperation begrüßen, dass der Entwurf die Digitalisierungsvorhaben der
Kommunalverwaltungen unterstützt. Für die Umsetzung der Onlinezugangsgesetz-Leistungen bitten
sie darum, die Schnittstellenbeschreibungen mindestens sechs Monate vor dem Inkrafttreten zu
veröffentlichen, damit die kommunalen IT-Dienstleister ihre Fachverfahren rechtzeitig anpassen
können. Die Zuständigkeitsregelungen in § {number} sollten klarstellen, wer die Kosten der
Anbindung an die Basisdienste trägt.

- Veröffentlichung der XÖV-Standards mit Übergangsfristen
- Testumgebungen für alle Partner ohne zusätzliche Entgelte
- Gemeinsame Abstimmung der Releasetermine mit den Herstellern

| Leistung | Stand | Bedarf |
|:--|:-:|--:|
| Wohngeld | Pilot | 3 Partner |
| Bauantrag | geplant | 4 Partner |

"""


def five_page_letter(pages: int) -> Letter:
    # About 2.2 sections fill a page beside the addressee and the signatures.
    markdown = "".join(SECTION.format(number=n) for n in range(1, 2 * pages + 2))
    return Letter(
        addressee_lines=[
            "Niedersächsisches Ministerium für Inneres und Sport",
            "Referat 45 – Digitalisierung",
            "Lavesallee 6",
            "30169 Hannover",
        ],
        place="Braunschweig",
        date=datetime.date(2026, 1, 15),
        subject="Stellungnahme zum Entwurf des Niedersächsischen Digitalisierungsgesetzes",
        body_html=render_markdown(markdown),
        signers=[
            Signer("Stadt Braunschweig", "Dr. Thorsten Kornblum", "Stadtrat"),
            Signer("Stadt Salzgitter", "Jan Erik Bohling", "Stadtrat"),
            Signer("Stadt Wolfsburg", "Dennis Weilmann", "Stadtrat"),
            Signer("Landkreis Gifhorn", "Dr. Thomas Walter", "Erster Kreisrat"),
        ],
        title="Stellungnahme der Kooperation zum Digitalisierungsgesetz",
    )


def timed(letter: Letter) -> tuple[float, bytes]:
    start = time.perf_counter()
    pdf = render_letter(letter)
    return time.perf_counter() - start, pdf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--pages", type=int, default=5, help="Seiten, die der Text füllen soll")
    args = parser.parse_args()

    letter = five_page_letter(args.pages)
    first, pdf = timed(letter)
    times = [timed(letter)[0] for _ in range(args.repeat)]
    page_count = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    print(f"Brief mit {page_count} Seiten, {len(pdf) // 1024} KB, PDF/UA-1")
    print(f"erster Brief im Prozess: {first:.2f} s")
    print(
        f"danach (n={args.repeat}): Median {statistics.median(times):.2f} s, "
        f"langsamster {max(times):.2f} s"
    )


if __name__ == "__main__":
    main()
