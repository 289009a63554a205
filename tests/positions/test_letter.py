"""The letter of a joint position: a tagged PDF in German that reaches nothing beyond the portal."""

import datetime
import io
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pypdf
import pytest
from weasyprint import HTML

from positions.letter import (
    LETTER_BASE_URL,
    Letter,
    RefusedURL,
    Signer,
    StaticFilesOnly,
    render_letter,
)

BRAUNSCHWEIG = Signer("Stadt Braunschweig", "Dr. Thorsten Kornblum", "Stadtrat für Digitalisierung")
GIFHORN = Signer("Landkreis Gifhorn", "Dr. Thomas Walter", "Erster Kreisrat")
SECRET = "GEHEIMNIS-7f3a9c"
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def make_letter(body_html="<p>Die Partner bitten um eine Frist bis Ende März.</p>", **changes):
    values = {
        "addressee_lines": [
            "Niedersächsisches Ministerium für Inneres und Sport",
            "Referat 45 – Digitalisierung",
            "Lavesallee 6",
            "30169 Hannover",
        ],
        "place": "Braunschweig",
        "date": datetime.date(2026, 1, 15),
        "subject": "Stellungnahme zum Entwurf des Niedersächsischen Digitalisierungsgesetzes",
        "body_html": body_html,
        "signers": [BRAUNSCHWEIG, GIFHORN],
        "title": "Stellungnahme der Kooperation zum Digitalisierungsgesetz",
    }
    return Letter(**{**values, **changes})


def read(pdf: bytes) -> pypdf.PdfReader:
    assert pdf.startswith(b"%PDF-")
    return pypdf.PdfReader(io.BytesIO(pdf))


def text_of(reader: pypdf.PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def every_stream(reader: pypdf.PdfReader) -> bytes:
    """All streams of the PDF, decompressed: page contents, fonts, images, embedded files."""
    numbers = {number for section in reader.xref.values() for number in section}
    objects = (reader.get_object(number) for number in sorted(numbers))
    return b"\n".join(
        obj.get_data() for obj in objects if isinstance(obj, pypdf.generic.StreamObject)
    )


def test_the_letter_names_its_signers_with_partner_name_and_function():
    text = text_of(read(render_letter(make_letter())))

    for signer in (BRAUNSCHWEIG, GIFHORN):
        assert signer.partner_name in text
        assert signer.head_name in text
        assert signer.head_function in text
    assert "Salzgitter" not in text


def test_the_letter_has_addressee_place_date_subject_and_body_in_that_order():
    text = text_of(read(render_letter(make_letter())))

    positions = [
        text.index("Niedersächsisches Ministerium für Inneres und"),
        text.index("30169 Hannover"),
        text.index("Braunschweig, 15. Januar 2026"),
        text.index("Stellungnahme zum Entwurf des Niedersächsischen"),
        text.index("Die Partner bitten um eine Frist bis Ende März."),
        text.index("Mit freundlichen Grüßen"),
        text.index("Stadt Braunschweig"),
    ]
    assert positions == sorted(positions)


def test_the_letter_is_a_tagged_pdf_ua_document_in_german_with_its_title():
    reader = read(render_letter(make_letter()))
    catalog = reader.trailer["/Root"]

    assert catalog["/Lang"] == "de"
    assert catalog["/MarkInfo"]["/Marked"] == pypdf.generic.BooleanObject(True)
    assert catalog["/StructTreeRoot"]["/K"]
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == pypdf.generic.BooleanObject(True)
    assert reader.metadata.title == "Stellungnahme der Kooperation zum Digitalisierungsgesetz"
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfuaid:part(>|=\")1", xmp)


def test_the_letter_is_set_in_kern_fira_sans_only():
    reader = read(render_letter(make_letter(body_html="<p>Text mit <em>Betonung</em>.</p>")))

    fonts = {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert sorted(fonts) == ["Fira-Sans", "Fira-Sans-Bold", "Fira-Sans-Italic"]


def test_a_five_page_body_renders_with_page_numbers_on_every_page():
    paragraph = (
        "<p>Die Partner der Kooperation nutzen gemeinsame Basisdienste, Online-Dienste und "
        "Fachverfahren; sie bitten das Land, die Schnittstellen frühzeitig zu veröffentlichen, "
        "damit kommunale IT-Dienstleister ihre Produkte rechtzeitig anpassen können.</p>"
    )
    reader = read(render_letter(make_letter(body_html=paragraph * 60)))

    pages = len(reader.pages)
    assert pages >= 5
    for number, page in enumerate(reader.pages, start=1):
        assert f"Seite {number} von {pages}" in page.extract_text()
    assert "Dr. Thomas Walter" in reader.pages[-1].extract_text()


def test_long_german_compounds_are_hyphenated():
    compounds = [
        "Digitalisierungsvereinbarung",
        "Schnittstellenbeschreibung",
        "Verwaltungsleistungen",
        "Kommunalverwaltungen",
        "Zuständigkeitsregelungen",
    ]
    body = "<p>" + " ".join(f"Die {word} der Partner." for word in compounds * 12) + "</p>"

    text = text_of(read(render_letter(make_letter(body_html=body))))

    broken = {start + end for start, end in re.findall(r"(\w+)-\n(\w+)", text)}
    assert broken & set(compounds), text


class RecordingServer:
    """A real HTTP server on 127.0.0.1 that notes every request it gets."""

    def __init__(self):
        self.paths: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.paths.append(self.path)
                if self.path.endswith(".css"):
                    body, kind = b"body { color: red }", "text/css"
                else:
                    body, kind = TINY_PNG, "image/png"
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def recording_server():
    with RecordingServer() as server:
        yield server


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "geheim.txt"
    path.write_text(f"{SECRET}\n", encoding="utf-8")
    return path


def hostile_body(server_url: str, secret_path) -> str:
    return f"""
    <p>Ein Bild: <img src="{server_url}/bild.png" alt="Bild vom Server"></p>
    <p><img src="http://localhost:{server_url.rsplit(":", 1)[1]}/localhost.png" alt="x"></p>
    <p><img src="file:///etc/passwd" alt="passwd"> <img src="{secret_path.as_uri()}" alt="y"></p>
    <p><img src="http://169.254.169.254/latest/meta-data/" alt="Metadaten"></p>
    <p><img src="data:image/png;base64,iVBORw0KGgo=" alt="data"></p>
    <p><object data="{server_url}/object.png" type="image/png"></object>
       <embed src="{server_url}/embed.png" type="image/png"></p>
    <svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
      <image href="{server_url}/svg.png" width="10" height="10"/></svg>
    <div style="background-image: url({server_url}/inline-style.png)">Hintergrund</div>
    <style>
      @import url({server_url}/import.css);
      p {{ background: url({server_url}/style-element.png) }}
      @font-face {{ font-family: Fremd; src: url({server_url}/font.woff2) }}
    </style>
    <link rel="stylesheet" href="{server_url}/link.css">
    <p><a href="{server_url}/link">Ein Link</a>
       <a rel="attachment" href="{server_url}/anhang.txt">Anhang</a>
       <a rel="attachment" href="{secret_path.as_uri()}">Geheimer Anhang</a></p>
    """


def test_no_url_in_the_text_is_fetched_and_nothing_from_it_is_embedded(
    recording_server, secret_file
):
    pdf = render_letter(make_letter(body_html=hostile_body(recording_server.url, secret_file)))

    assert recording_server.paths == []
    reader = read(pdf)
    streams = every_stream(reader)
    assert SECRET.encode() not in streams
    assert b"root:x:0:0" not in streams
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject", {})
        assert [x for x in xobjects.values() if x.get_object()["/Subtype"] == "/Image"] == []
    assert "Ein Link" in text_of(reader)


def test_the_recording_server_sees_what_weasyprints_default_fetcher_would_fetch(
    recording_server, secret_file
):
    """The control for the test above: without our fetcher, the same text reaches the server
    and the secret file ends up in the PDF."""
    html = f'<html lang="de"><body>{hostile_body(recording_server.url, secret_file)}</body></html>'
    without_metadata_host = html.replace("http://169.254.169.254/latest/meta-data/", "")

    pdf = HTML(string=without_metadata_host, base_url=LETTER_BASE_URL).write_pdf()

    assert "/bild.png" in recording_server.paths
    assert "/inline-style.png" in recording_server.paths
    assert SECRET.encode() in every_stream(read(pdf))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/static/css/letter.css",
        "https://brief.invalid.example/static/css/letter.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
        f"{LETTER_BASE_URL}css/letter.css",
        f"{LETTER_BASE_URL}static/../../../../etc/passwd",
        f"{LETTER_BASE_URL}static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        f"{LETTER_BASE_URL}static/..%2F..%2Fmanage.py",
        f"{LETTER_BASE_URL}static/%2Fetc%2Fpasswd",
        f"{LETTER_BASE_URL}static/css%5C..%5C..%5Cmanage.py",
        f"{LETTER_BASE_URL}static/css/%00letter.css",
        f"{LETTER_BASE_URL}static/css/fehlt.css",
        f"{LETTER_BASE_URL}static/",
    ],
)
def test_the_fetcher_refuses_everything_but_existing_static_files(url):
    with pytest.raises(RefusedURL):
        StaticFilesOnly().fetch(url)


def test_the_fetcher_serves_static_files_of_the_portal_and_of_kern():
    fetcher = StaticFilesOnly()

    css = fetcher.fetch(f"{LETTER_BASE_URL}static/css/letter.css")
    font = fetcher.fetch(f"{LETTER_BASE_URL}static/kern/fonts/fira-sans/FiraSans-Regular.woff2")

    assert b"@page" in css.read()
    assert css.content_type == "text/css"
    assert font.read(4) == b"wOF2"


def test_the_fetcher_serves_collected_files_with_hashed_names_from_static_root(settings, tmp_path):
    """In production {% static %} names the hashed copies that only STATIC_ROOT holds."""
    settings.STATIC_ROOT = tmp_path / "static"
    (tmp_path / "static" / "css").mkdir(parents=True)
    (tmp_path / "static" / "css" / "letter.0123abcd.css").write_text("@page {}", encoding="utf-8")
    (tmp_path / "geheim.txt").write_text(SECRET, encoding="utf-8")
    fetcher = StaticFilesOnly()

    assert fetcher.fetch(f"{LETTER_BASE_URL}static/css/letter.0123abcd.css").read() == b"@page {}"
    with pytest.raises(RefusedURL):
        fetcher.fetch(f"{LETTER_BASE_URL}static/css/%2E%2E/%2E%2E/geheim.txt")
