"""The letter of a joint position as a tagged PDF (PDF/UA-1), rendered by WeasyPrint.

The text comes from people, so the renderer must not let it reach anything: every URL in the
document (images, stylesheets, fonts, attachments, CSS `url()`) goes through `StaticFilesOnly`,
which answers from the portal's own static files on disk and refuses everything else without a
request. https://doc.courtbouillon.org/weasyprint/stable/first_steps.html#security
"""

import datetime
import mimetypes
import posixpath
import threading
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The document's own address: relative URLs such as {% static %} resolve below it. The
# top-level domain .invalid never resolves (RFC 2606), and nothing is ever requested from it.
LETTER_BASE_URL = "https://brief.invalid/"

# One font configuration per thread, kept between letters: it holds the unpacked @font-face
# fonts, so only the first letter in a process pays for unpacking the WOFF2 files
# (docs/performance.md). FontConfiguration is not thread-safe, hence one per thread.
_fonts = threading.local()


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
    body_html: str  # already sanitised HTML from the portal's Markdown renderer
    signers: list[Signer]
    title: str


class RefusedURL(ValueError):
    """A URL the letter may not use; WeasyPrint leaves the resource out."""


class StaticFilesOnly(URLFetcher):
    """Serves the portal's static files from disk and refuses every other URL unrequested."""

    def __init__(self):
        super().__init__(allowed_protocols=(), allow_redirects=False)
        self.static_prefix = urljoin(LETTER_BASE_URL, settings.STATIC_URL)

    def fetch(self, url, headers=None):
        if not url.startswith(self.static_prefix):
            raise RefusedURL(f"Der Brief lädt nur Dateien des Portals, nicht {url[:200]!r}.")
        name = _static_name(urlsplit(url).path.removeprefix(urlsplit(self.static_prefix).path))
        with _open_static(name) as file:
            body = file.read()
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def _static_name(quoted: str) -> str:
    name = unquote(quoted)
    normalised = posixpath.normpath(name)
    if (
        not name
        or "\\" in name
        or "\x00" in name
        or normalised != name
        or normalised.startswith(("/", "../"))
        or normalised in (".", "..")
    ):
        raise RefusedURL(f"Kein Name einer statischen Datei: {quoted[:200]!r}")
    return normalised


def _open_static(name: str):
    """The file from the finders (development, tests) or STATIC_ROOT (collected, hashed names)."""
    try:
        found = finders.find(name)
        if found:
            return open(found, "rb")  # closed by the caller's with
        if staticfiles_storage.exists(name):
            return staticfiles_storage.open(name, "rb")
    except SuspiciousFileOperation:
        pass
    raise RefusedURL(f"Keine statische Datei des Portals: {name[:200]!r}")


def render_letter(letter: Letter) -> bytes:
    """The letter as a PDF/UA-1 document in German; it names the signers it is given."""
    with translation.override("de"):
        html = render_to_string("positions/letter.html", {"letter": letter})
    document = HTML(string=html, base_url=LETTER_BASE_URL, url_fetcher=StaticFilesOnly())
    if not hasattr(_fonts, "config"):
        _fonts.config = FontConfiguration()
    return document.write_pdf(pdf_variant="pdf/ua-1", font_config=_fonts.config)
