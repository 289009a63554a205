"""Markdown written by people: rendered in linear time, sanitised, stored beside its source
when saved, and shown from there (issue 15, point 1)."""

import importlib
import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from initiatives import services
from initiatives.models import Comment, Initiative
from kooperation.devdata.demo import load_demo_data
from kooperation.models import LegalPage
from partners import markdown
from partners.markdown import render_markdown
from partners.models import AgreementVersion
from partners.services import agreement_draft_for_new_partner
from positions.models import Position, PositionComment, PositionVersion
from tests.factories import InitiativeFactory, PartnerFactory, UserFactory, propose

COMMENT_MAX = Comment._meta.get_field("body").max_length
DESCRIPTION_MAX = Initiative._meta.get_field("description").max_length


def at_length(unit: str, length: int, ending: str = "") -> str:
    return (unit * length)[: length - len(ending)] + ending


# The inputs that took Python-Markdown seconds to minutes, at each field's maximum length.
@pytest.mark.parametrize("length", [COMMENT_MAX, DESCRIPTION_MAX])
@pytest.mark.parametrize(
    ("unit", "ending"), [("[", "0000i"), ("[", ""), ("[](", "")], ids=["brackets-i", "[", "[]("]
)
def test_the_worst_known_inputs_at_full_length_render_as_their_text(length, unit, ending):
    text = at_length(unit, length, ending)
    assert len(text) == length
    assert render_markdown(text) == f"<p>{text}</p>\n"


@pytest.mark.parametrize("length", [COMMENT_MAX, DESCRIPTION_MAX])
def test_cdata_sections_at_full_length_are_dropped_as_raw_html_or_shown_as_text(length):
    # A block that opens with <![CDATA[ is raw HTML: the sanitiser drops it.
    assert render_markdown(at_length("<![CDATA[", length)) == ""
    # Inside a paragraph, an unclosed one is text.
    text = at_length("<![CDATA[", length - 2)
    assert render_markdown(f"a {text}") == f"<p>a {text.replace('<', '&lt;')}</p>\n"


def test_the_usual_markdown_renders_with_headings_below_the_page_title():
    html = render_markdown(
        "# Ziel\n\n## Vorgehen\n\n###### Klein\n\n"
        "- eins\n- zwei\n\n1. erstens\n\n"
        "| Partner | Anzahl |\n|:--|--:|\n| Gifhorn | 3 |\n\n"
        "**fett**, *kursiv*, ~~gestrichen~~, `code`\n\n"
        "```\nx < 1\n```\n\n> Zitat\n\n"
        '[Portal](https://example.org "Titel") und <mailto:info@example.org>'
    )
    assert html == (
        "<h2>Ziel</h2>\n<h3>Vorgehen</h3>\n<h6>Klein</h6>\n"
        "<ul>\n<li>eins</li>\n<li>zwei</li>\n</ul>\n<ol>\n<li>erstens</li>\n</ol>\n"
        '<table>\n<thead>\n<tr>\n<th align="left">Partner</th>\n'
        '<th align="right">Anzahl</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n'
        '<td align="left">Gifhorn</td>\n<td align="right">3</td>\n</tr>\n</tbody>\n</table>\n'
        "<p><strong>fett</strong>, <em>kursiv</em>, <del>gestrichen</del>, <code>code</code></p>\n"
        "<pre><code>x &lt; 1\n</code></pre>\n<blockquote>\n<p>Zitat</p>\n</blockquote>\n"
        '<p><a href="https://example.org" title="Titel" rel="noopener noreferrer nofollow">'
        'Portal</a> und <a href="mailto:info@example.org" rel="noopener noreferrer nofollow">'
        "mailto:info@example.org</a></p>\n"
    )


def test_scripts_dangerous_links_and_event_attributes_are_removed():
    html = render_markdown(
        "Vorher <script>alert(1)</script>\n\n"
        "[Klick](javascript:alert(2)) [Daten](data:text/html,x) [FTP](ftp://example.org)\n\n"
        '<a href="javascript:alert(3)">roh</a> <img src=x onerror=alert(4)>\n\n'
        '<p onclick="alert(5)">Absatz</p>\n\n<iframe src="https://example.org"></iframe>\n\n'
        "<ins>eingefügt</ins> <style>p {}</style>"
    )
    rel = 'rel="noopener noreferrer nofollow"'
    assert html == (
        "<p>Vorher </p>\n"
        f"<p><a {rel}>Klick</a> <a {rel}>Daten</a> <a {rel}>FTP</a></p>\n"
        f"<p><a {rel}>roh</a> </p>\n<p>Absatz</p>\n\n<p><ins>eingefügt</ins> </p>\n"
    )


# Every Markdown field stores its HTML, on every path that writes it.


def rendered(row, source, html):
    row.refresh_from_db()
    return getattr(row, html) == render_markdown(getattr(row, source)) != ""


@pytest.mark.django_db
def test_a_description_and_comments_store_their_html_on_create_and_on_update():
    proposer = UserFactory()
    initiative = propose(
        proposer,
        InitiativeFactory().area,
        description="## Ziel\n\n" + at_length("[", DESCRIPTION_MAX - 9),
    )
    assert rendered(initiative, "description", "description_html")
    assert "<h3>Ziel</h3>" in initiative.description_html
    services.initiative_update(initiative=initiative, editor=proposer, description="**Neu**")
    assert rendered(initiative, "description", "description_html")
    assert initiative.description_html == "<p><strong>Neu</strong></p>\n"

    comment = services.comment_add(
        initiative=initiative, author=proposer, body=at_length("[", COMMENT_MAX, "0000i")
    )
    assert rendered(comment, "body", "body_html")
    services.comment_edit(comment=comment, editor=proposer, body="*geändert*")
    assert rendered(comment, "body", "body_html")
    assert comment.body_html == "<p><em>geändert</em></p>\n"


@pytest.mark.django_db
def test_an_update_of_the_source_alone_is_refused_not_left_stale():
    comment = Comment.objects.create(
        initiative=InitiativeFactory(), author=UserFactory(), body="alt"
    )
    comment.body = "neu"
    with pytest.raises(ValueError, match="body_html"):
        comment.save(update_fields=["body"])


@pytest.fixture
def admin_client(client, office_admin):
    client.force_login(office_admin)
    return client


@pytest.mark.django_db
def test_the_admin_stores_the_html_of_legal_pages_agreements_and_descriptions(admin_client):
    admin_client.post(
        reverse("admin:kooperation_legalpage_add"), {"kind": "imprint", "body": "# Impressum"}
    )
    page = LegalPage.objects.get()
    assert page.body_html == "<h2>Impressum</h2>\n"
    change = reverse("admin:kooperation_legalpage_change", args=[page.pk])
    admin_client.post(change, {"kind": "imprint", "body": "Neu **fett**"})
    assert rendered(page, "body", "body_html")
    assert page.body_html == "<p>Neu <strong>fett</strong></p>\n"

    fields = {"title": "Vereinbarung", "admission_rule": "unanimity", "effective_on": ""}
    formset = {"parties-TOTAL_FORMS": "0", "parties-INITIAL_FORMS": "0"}
    response = admin_client.post(
        reverse("admin:partners_agreementversion_add"),
        {**fields, **formset, "previous": "", "text": "## § 1\n\nText"},
    )
    assert response.status_code == 302
    version = AgreementVersion.objects.get()
    assert version.text_html == "<h3>§ 1</h3>\n<p>Text</p>\n"
    admin_client.post(
        reverse("admin:partners_agreementversion_change", args=[version.pk]),
        {**fields, **formset, "previous": "", "text": "## § 2"},
    )
    assert rendered(version, "text", "text_html")
    assert version.text_html == "<h3>§ 2</h3>\n"

    # A new partner's draft copies the text of the version in force: its HTML is there too.
    AgreementVersion.objects.update(status=AgreementVersion.Status.IN_FORCE)
    draft = agreement_draft_for_new_partner(partner=PartnerFactory())
    assert rendered(draft, "text", "text_html")
    assert draft.text_html == "<h3>§ 2</h3>\n"


@pytest.mark.django_db
def test_the_admin_stores_the_html_of_a_changed_description(admin_client):
    initiative = InitiativeFactory()
    response = admin_client.post(
        reverse("admin:initiatives_initiative_change", args=[initiative.pk]),
        {
            "title": initiative.title,
            "summary": initiative.summary,
            "description": "## Neu\n\n- Punkt",
            "area": initiative.area_id,
            "ozg_reference": "",
            "target_date": "",
            **{
                f"{prefix}-{count}": "0"
                for prefix in ("participations", "events", "comments")
                for count in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.description_html == "<h3>Neu</h3>\n<ul>\n<li>Punkt</li>\n</ul>\n"


@pytest.mark.django_db
def test_the_demo_and_the_scale_seeder_store_the_html_of_every_text():
    load_demo_data()
    counts = {"partners": 3, "people": 8, "initiatives": 5, "comments": 5, "participations": 0}
    counts |= {"solutions": 0, "applications": 0, "follows": 0, "positions": 4}
    options = [f"--{name}={count}" for name, count in counts.items()]
    call_command("seed_scale", "--into-existing", *options, stdout=StringIO())
    for model, source, html in (
        (Initiative, "description", "description_html"),
        (Comment, "body", "body_html"),
        (AgreementVersion, "text", "text_html"),
        (Position, "text", "text_html"),
        (PositionVersion, "text", "text_html"),
        (PositionComment, "body", "body_html"),
    ):
        rows = list(model.objects.values_list(source, html))
        assert len(rows) >= 2
        assert [stored for _text, stored in rows] == [render_markdown(text) for text, _ in rows]
        assert all(stored for _text, stored in rows)
    assert Initiative.objects.filter(title__startswith="Antrag auf Wohngeld online").exists()


@pytest.mark.django_db
def test_rerender_markdown_writes_only_the_rows_whose_html_changed():
    initiative = InitiativeFactory(description="**alt**")
    author = UserFactory()
    comments = [
        Comment.objects.create(initiative=initiative, author=author, body=f"Nr. *{number}*")
        for number in range(3)
    ]
    LegalPage.objects.create(kind="imprint", body="## Impressum")
    # As if rendered by an older renderer.
    Comment.objects.filter(pk__in=[comments[0].pk, comments[2].pk]).update(body_html="<p>x</p>")
    Initiative.objects.filter(pk=initiative.pk).update(description_html="")

    out = StringIO()
    with CaptureQueriesContext(connection) as queries:
        call_command("rerender_markdown", "--batch-size=2", stdout=out)
    assert "Initiativen: 1 geändert" in out.getvalue()
    assert "Kommentare: 2 geändert" in out.getvalue()
    assert "Pflichtseiten: 0 geändert" in out.getvalue()
    assert "Insgesamt 3 Einträge" in out.getvalue()
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 3  # the initiative, and the two batches with a stale comment
    written = {int(pk) for sql in updates for pk in re.search(r"IN \(([^)]*)\)", sql)[1].split(",")}
    assert written == {comments[0].pk, comments[2].pk, initiative.pk}
    for comment in comments:
        assert rendered(comment, "body", "body_html")
    assert rendered(initiative, "description", "description_html")

    again = StringIO()
    call_command("rerender_markdown", stdout=again)
    assert "Insgesamt 0 Einträge" in again.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("app", "migration"),
    [("initiatives", "0007"), ("kooperation", "0004"), ("partners", "0006")],
)
def test_the_data_migrations_fill_the_html_of_existing_rows(app, migration):
    initiative = InitiativeFactory(description="**Beschreibung**")
    comment = Comment.objects.create(initiative=initiative, author=UserFactory(), body="*K*")
    page = LegalPage.objects.create(kind="privacy", body="# Datenschutz")
    version = AgreementVersion.objects.create(title="V", text="## § 1")
    Initiative.objects.update(description_html="")
    Comment.objects.update(body_html="")
    LegalPage.objects.update(body_html="")
    AgreementVersion.objects.update(text_html="")

    module = importlib.import_module(f"{app}.migrations.{migration}_markdown_html")
    module.render_stored_html(apps, None)

    filled = {
        "initiatives": [(initiative, "description"), (comment, "body")],
        "kooperation": [(page, "body")],
        "partners": [(version, "text")],
    }[app]
    for row, source in filled:
        assert rendered(row, source, f"{source}_html")


# Pages show what is stored: no rendering when read.


@pytest.mark.django_db
def test_pages_show_the_stored_html(client, monkeypatch):
    staff = UserFactory()
    initiative = InitiativeFactory(proposer=staff)
    comment = services.comment_add(initiative=initiative, author=staff, body="Kommentar")
    LegalPage.objects.create(kind="imprint", body="Impressum")
    version = AgreementVersion.objects.create(title="V", text="Text", status="in_force")
    Initiative.objects.update(description_html="<p>gespeicherte Beschreibung</p>")
    Comment.objects.update(body_html="<p>gespeicherter Kommentar</p>")
    LegalPage.objects.update(body_html="<p>gespeichertes Impressum</p>")
    AgreementVersion.objects.update(text_html="<p>gespeicherte Vereinbarung</p>")

    def not_when_read(text):
        raise AssertionError("rendered when read")

    monkeypatch.setattr(markdown, "render_markdown", not_when_read)
    client.force_login(staff)
    for path, shown in (
        (
            reverse("initiatives:initiative_detail", args=[initiative.pk]),
            ["<p>gespeicherte Beschreibung</p>", "<p>gespeicherter Kommentar</p>"],
        ),
        (reverse("initiatives:comment_delete", args=[comment.pk]), ["gespeicherter Kommentar"]),
        (reverse("imprint"), ["<p>gespeichertes Impressum</p>"]),
        (reverse("partners:agreement"), ["<p>gespeicherte Vereinbarung</p>"]),
        (reverse("partners:agreement_version", args=[version.pk]), ["gespeicherte Vereinbarung"]),
    ):
        page = client.get(path).text
        for html in shown:
            assert html in page, path
