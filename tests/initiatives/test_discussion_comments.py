"""The comments of a discussion page, rendered in one pass (discussion_comments, issue 20): the
same HTML as the template loop before them, for initiatives and positions alike, escaped alike,
with the links to edit and delete only for who may."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse

from initiatives.discussion import INITIATIVES, discussion_context, shown_comments
from initiatives.models import Comment
from initiatives.templatetags.discussion_comments import discussion_comments
from positions.discussion import POSITIONS
from positions.models import PositionComment
from tests.factories import (
    AddresseeFactory,
    AdminFactory,
    CommentFactory,
    InitiativeFactory,
    PartnerFactory,
    UserFactory,
    draft_position,
)
from tests.initiatives.helpers import url

pytestmark = pytest.mark.django_db

# The loop as includes/discussion.html had it before issue 20: the reference.
TEMPLATE_LOOP = """{% load i18n %}{% for comment in comments %}
        <li id="kommentar-{{ comment.pk }}" class="portal-comment">
          <p class="kern-body kern-body--small">
            <strong>{{ comment.author }}</strong>{% if comment.partner %},
            {{ comment.partner }}{% endif %} ·
            <time datetime="{{ comment.created_iso }}">{{ comment.created_label }}</time>
            {% if comment.edited_label %} ·
            <span title="{{ comment.edited_label }}">{% translate "bearbeitet" %}</span>{% endif %}
          </p>
          <div class="kern-body portal-markdown">{{ comment.body_html }}</div>
          {% if comment.update_url %}
            <p class="kern-body kern-body--small">
              <a class="kern-link" href="{{ comment.update_url }}">{% translate "Bearbeiten" %}</a> ·
              <a class="kern-link" href="{{ comment.delete_url }}">{% translate "Löschen" %}</a>
            </p>
          {% endif %}
        </li>
      {% endfor %}"""  # noqa: E501 - the template as it was

HOSTILE = 'Amt <b>"Süd"</b> & Co'


def at(day: int, hour: int) -> datetime.datetime:
    """A moment in UTC around New Year: 31 December at 23:30 is already 1 January in Berlin."""
    return datetime.datetime(2025, 12, day, hour, 30, tzinfo=datetime.UTC)


@pytest.fixture
def awkward():
    """An initiative's comments with markup and ampersands in every name and text: one of a
    person of a partner, one edited by an office person without partner, one whose author has
    been deleted (their partner stays), one plain."""
    odd = PartnerFactory(name=HOSTILE)
    writer = UserFactory(name="<script>alert(1)</script> & Anna", partner=odd)
    office = AdminFactory(name="Gabi & <i>Geschäftsstelle</i>")
    gone = UserFactory(name="Fritz Früher", partner=odd)
    initiative = InitiativeFactory()
    CommentFactory(
        initiative=initiative,
        author=writer,
        body='**Fett** & <i>kursiv</i> <script>alert("x")</script> [Link](https://example.org/?a=1&b=2)',
        created_at=at(31, 23),
    )
    CommentFactory(
        initiative=initiative,
        author=office,
        partner=None,
        body="Geändert: 5 > 4 & „Zitat“",
        created_at=at(30, 8),
        edited_at=at(31, 22),
    )
    CommentFactory(initiative=initiative, author=gone, body="Bald weg.", created_at=at(29, 9))
    gone.delete()
    CommentFactory(initiative=initiative, body="Ganz normal.", created_at=at(28, 12))
    assert Comment.objects.filter(initiative=initiative, author=None).count() == 1
    return initiative, writer, office


def render_both(discussion, subject, reader) -> tuple[str, str]:
    """The reference loop's HTML and the one pass's for the comments of `subject` as `reader`
    sees them."""
    comments = shown_comments(discussion, discussion.comments(subject), reader)
    before = engines["django"].from_string(TEMPLATE_LOOP).render({"comments": comments})
    return before, discussion_comments(comments)


@pytest.mark.parametrize("reader", ["writer", "office", "stranger", "anonymous"])
def test_the_comments_are_the_html_the_template_loop_made(awkward, reader):
    initiative, writer, office = awkward
    people = {
        "writer": writer,
        "office": office,
        "stranger": UserFactory(),
        "anonymous": AnonymousUser(),
    }
    before, after = render_both(INITIATIVES, initiative, people[reader])
    assert after == before
    assert after.count('class="portal-comment"') == 4


def test_only_the_author_gets_the_links_to_edit_and_delete_escaped_as_before(awkward):
    initiative, writer, _office = awkward
    own = Comment.objects.get(initiative=initiative, author=writer)
    html = discussion_comments(
        shown_comments(INITIATIVES, INITIATIVES.comments(initiative), writer)
    )
    assert html.count(">Bearbeiten</a>") == 1
    assert f'href="{url("comment_update", own.pk)}">Bearbeiten</a>' in html
    assert f'href="{url("comment_delete", own.pk)}">Löschen</a>' in html
    assert "<strong>&lt;script&gt;alert(1)&lt;/script&gt; &amp; Anna</strong>," in html
    assert "Amt &lt;b&gt;&quot;Süd&quot;&lt;/b&gt; &amp; Co ·" in html
    assert "<script>" not in html
    # Written at 23:30 UTC on New Year's Eve: in Berlin, the new year.
    assert ">1. Januar 2026, 00:30</time>" in html
    assert '<span title="31. Dezember 2025, 23:30">bearbeitet</span>' in html
    assert "<strong>ehemalige Person</strong>, Amt" in " ".join(html.split())
    stranger = UserFactory()
    seen = discussion_comments(
        shown_comments(INITIATIVES, INITIATIVES.comments(initiative), stranger)
    )
    assert "Bearbeiten" not in seen
    assert "Löschen" not in seen


def test_a_positions_comments_are_the_html_the_template_loop_made(awkward):
    initiative, writer, _office = awkward
    position = draft_position(writer, [AddresseeFactory()])
    for comment in Comment.objects.filter(initiative=initiative):
        PositionComment.objects.create(
            position=position,
            author=comment.author,
            partner=comment.partner,
            body=comment.body,
            created_at=comment.created_at,
            edited_at=comment.edited_at,
        )
    before, after = render_both(POSITIONS, position, writer)
    assert after == before
    own = PositionComment.objects.get(position=position, author=writer)
    assert f'href="{reverse("positions:comment_update", args=[own.pk])}"' in after
    assert after.count('class="portal-comment"') == 4


def test_the_detail_page_shows_the_comments_of_the_one_pass(client, awkward):
    initiative, writer, _office = awkward
    client.force_login(writer)
    page = client.get(url("initiative_detail", initiative.pk)).text
    request = RequestFactory().get("/")
    request.user = writer
    comments = discussion_context(INITIATIVES, request, initiative)["comments"]
    assert discussion_comments(comments) in page
