"""People of every member partner discuss and follow positions, as initiatives
(initiatives.discussion): comments in pages with lasting links, a double-sent form making one
comment, no comments on a withdrawn position, and visitors seeing none of it."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from initiatives import discussion
from positions import services
from positions.discussion import POSITIONS
from positions.models import PositionComment, PositionFollow
from tests.positions.helpers import fresh, url

pytestmark = pytest.mark.django_db


def form_token(html: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def test_staff_of_another_partner_comment_on_a_draft_and_reach_it_by_its_link(client, world):
    client.force_login(world.people["staff_b"])
    detail = client.get(url("position_detail", world.draft.pk)).text
    data = {"body": "Bitte **Frist** nennen.", "form_token": form_token(detail)}

    first = client.post(url("comment_create", world.draft.pk), data)
    again = client.post(url("comment_create", world.draft.pk), data)

    comment = PositionComment.objects.get(position=world.draft)
    assert comment.partner == world.partner_b
    assert (
        first.url
        == again.url
        == f"{url('position_detail', world.draft.pk)}?kommentare=1#kommentar-{comment.pk}"
    )
    page = client.get(first.url).text
    assert "<strong>Frist</strong>" in page
    assert "1 Kommentar" in page
    assert client.get(url("comment_link", comment.pk)).url == first.url
    assert fresh(world.draft).last_activity_at == comment.created_at


def test_an_empty_comment_shows_the_page_again_with_a_400(client, world):
    client.force_login(world.people["staff_b"])
    response = client.post(url("comment_create", world.draft.pk), {"body": ""})
    assert response.status_code == 400
    assert response.context["comment_form"].errors
    assert not PositionComment.objects.filter(position=world.draft).exists()


def test_comments_come_in_pages_and_a_link_finds_its_page(client, world):
    staff = world.people["staff_b"]
    comments = [
        PositionComment.objects.create(position=world.draft, author=staff, body=f"Beitrag {n:03d}")
        for n in range(discussion.COMMENTS_PER_PAGE + 3)
    ]
    client.force_login(staff)
    newest = client.get(url("position_detail", world.draft.pk)).text
    assert "Beitrag 052" in newest
    assert "Beitrag 002" not in newest
    assert client.get(url("comment_link", comments[2].pk)).url.endswith(
        f"?kommentare=1#kommentar-{comments[2].pk}"
    )
    assert (
        "Beitrag 002" in client.get(url("position_detail", world.draft.pk), {"kommentare": 1}).text
    )


def test_who_proposes_or_decides_follows_and_anyone_of_a_member_may_follow_or_stop(client, world):
    people = world.people
    followers = set(
        PositionFollow.objects.filter(position=world.cosigning).values_list("user", flat=True)
    )
    assert followers == {people["staff_a"].pk, people["head_a"].pk, people["head_b"].pk}

    client.force_login(people["staff_b"])
    client.post(url("follow", world.cosigning.pk), {"follow": "1"})
    client.post(url("follow", world.cosigning.pk), {"follow": "1"})
    assert world.cosigning.follows.filter(user=people["staff_b"]).count() == 1
    assert "4 Personen folgen" in client.get(url("position_detail", world.cosigning.pk)).text
    client.post(url("follow", world.cosigning.pk), {"follow": "0"})
    assert not world.cosigning.follows.filter(user=people["staff_b"]).exists()


def test_a_withdrawn_position_takes_no_comments(world):
    head_a = world.people["head_a"]
    services.position_withdraw(position=world.draft, actor=head_a)
    with pytest.raises(ValidationError, match="zurückgezogene Position"):
        discussion.comment_add(
            discussion=POSITIONS, subject=fresh(world.draft), author=head_a, body="Noch etwas"
        )


def test_people_of_a_former_partner_may_not_comment_even_on_a_published_position(world):
    with pytest.raises(PermissionDenied):
        discussion.comment_add(
            discussion=POSITIONS, subject=world.published, author=world.people["former"], body="x"
        )


def test_visitors_see_a_published_position_without_its_discussion(client, world):
    discussion.comment_add(
        discussion=POSITIONS,
        subject=world.published,
        author=world.people["staff_b"],
        body="Interne Abstimmung",
    )
    page = client.get(url("position_detail", world.published.pk)).text
    assert "Interne Abstimmung" not in page
    assert "Kommentar veröffentlichen" not in page
    client.force_login(world.people["staff_b"])
    assert "Interne Abstimmung" in client.get(url("position_detail", world.published.pk)).text


def test_a_comment_on_a_position_is_news_on_the_activity_page_only_for_its_followers(world, client):
    """The overview and the activity page read positions in SQL (positions.activity.newest) by
    the digest's rule: comments only for those who follow the position."""
    said = "hat die Position „Registermodernisierung“ kommentiert"
    client.force_login(world.people["head_b"])  # decided on it, so follows it
    assert said in client.get(reverse("activity")).text
    client.force_login(world.head_c)  # decided only on the sent ones
    assert said not in client.get(reverse("activity")).text
