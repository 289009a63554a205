"""A double-clicked comment form makes one comment (issue 15, point 10): the form carries a
one-time token; the same token again creates nothing and leads to the first comment."""

import re
import uuid

import pytest
from django.db import connection
from django.urls import reverse

from initiatives import services
from initiatives.models import Comment
from tests.concurrency import at_the_same_moment
from tests.factories import InitiativeFactory

pytestmark = pytest.mark.django_db


def form_token(html: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def test_the_same_comment_form_sent_twice_makes_one_comment(client, staff):
    initiative = InitiativeFactory(proposer=staff)
    client.force_login(staff)
    detail = client.get(reverse("initiatives:initiative_detail", args=[initiative.pk])).text
    data = {"body": "Wir sind dabei.", "form_token": form_token(detail)}
    post = reverse("initiatives:comment_create", args=[initiative.pk])

    first = client.post(post, data)
    second = client.post(post, data)

    assert Comment.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert second.url == first.url  # to the first comment
    # A fresh form has a fresh token: a second comment is a new one.
    detail = client.get(reverse("initiatives:initiative_detail", args=[initiative.pk])).text
    assert form_token(detail) != data["form_token"]
    client.post(post, {"body": "Noch etwas.", "form_token": form_token(detail)})
    assert Comment.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_double_click_at_the_same_moment_makes_one_comment(staff):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; CI always runs it")
    initiative = InitiativeFactory(proposer=staff)
    token = uuid.uuid4()

    def send():
        comment = services.comment_add(
            initiative=initiative, author=staff, body="Doppelt", form_token=token
        )
        return comment.pk

    made = at_the_same_moment(send, times=5)

    assert Comment.objects.count() == 1
    assert set(made) == {Comment.objects.get().pk}
