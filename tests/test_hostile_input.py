"""Hostile input to every URL of the portal, as every role: NUL bytes, control characters, 1 MB
values, invalid UTF-8 (raw bytes in the query string and the body), repeated and unknown
parameters. No answer may be a server error, and a streamed answer (the exports) must run to
its end: an error in the middle of a download would leave the person a truncated file.

The parameter names sent to a URL are the ones its page offers (the names of its form fields and
links) plus the ones the portal's views read from the address; the URLs are the URL walk's
(tests/urlwalk.py). A deterministic set of hostile values goes to every URL; hypothesis adds a
bounded number of generated ones."""

import json
import re
from urllib.parse import quote_from_bytes

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.kooperation.test_url_walk import sign_in, walkable
from tests.urlwalk import ROLES, build_portal

pytestmark = pytest.mark.django_db

# What the views read from the address or the body, whatever the page shows.
READ_BY_VIEWS = [
    "q",
    "page",
    "area",
    "status",
    "lead",
    "partner",
    "ozg",
    "sort",
    "product",
    "kommentare",
    "next",
    "o",
    "p",
    "e",
    "_changelist_filters",
    "body",
    "form_token",
]
PAGINATION = {"page", "kommentare", "p"}
NAME = re.compile(r'name="([^"]+)"')
LINK_PARAMETER = re.compile(r"[?&;]([a-z_]+)=")
HUGE = "x" * 1_000_000
# Values as the bytes that go on the wire, percent-encoded or raw.
HOSTILE_VALUES = {
    "nul": b"\x00",
    "nul-inside": b"braunschweig\x00",
    "control": b"a\x01\x07\x08\x0b\x0c\x1b\x7f\r\n\tb\xe2\x80\xae",
    "invalid-utf8": b"\xff\xfe\xc3\x28\xed\xa0\x80",
    "huge-number": b"9" * 40,
}
RAW = {"raw-invalid-utf8": b"\xff\xfe\x80\x00"}  # not percent-encoded at all


def parameter_names(client, url) -> list[str]:
    """The page's own names first (its form fields and links), then the views' others."""
    response = client.get(url)
    names = set()
    if not getattr(response, "streaming", False) and response.get("Content-Type", "").startswith(
        "text/html"
    ):
        html = response.content.decode(errors="replace")
        names |= set(NAME.findall(html)) | set(LINK_PARAMETER.findall(html))
    names.discard("csrfmiddlewaretoken")
    return sorted(names) + sorted(set(READ_BY_VIEWS) - names)


def encode(pairs, raw=False) -> str:
    """A query string (or form body) as the WSGI server hands it on: bytes as latin-1 text."""
    if raw:
        data = b"&".join(name.encode() + b"=" + value for name, value in pairs)
    else:
        data = b"&".join(
            quote_from_bytes(name.encode()).encode() + b"=" + quote_from_bytes(value).encode()
            for name, value in pairs
        )
    return data.decode("latin-1")


def hostile_requests(names, method):
    """(label, query string or body) pairs: every name with one hostile value at once; every
    name repeated with different values plus unknown names; 1 MB values for the page's first two
    names (the body's limit, DATA_UPLOAD_MAX_MEMORY_SIZE, is 2.5 MB)."""
    # A bad page number answers 404 before anything else is read: sent on its own.
    groups = [
        group
        for group in (
            [name for name in names if name not in PAGINATION],
            [name for name in names if name in PAGINATION],
        )
        if group
    ]
    for group in groups:
        for label, value in HOSTILE_VALUES.items():
            yield label, encode([(name, value) for name in group])
        for label, value in RAW.items():
            yield label, encode([(name, value) for name in group], raw=True)
    repeated = [(name, value) for name in names for value in (b"1", b"-1", b"\x00", b"")]
    yield "repeated-unknown", encode([*repeated, ("unbekannt", b"1"), ("a[]", b"x")])
    yield "1mb", "&".join(f"{name}={HUGE}" for name in names[:2])


def whole_answer(response) -> bool:
    """No server error, and a streamed answer consumed to its end without an exception."""
    if response.status_code >= 500:
        return False
    if getattr(response, "streaming", False):
        try:
            content = b"".join(response.streaming_content)
            if response["Content-Type"].startswith("application/json"):
                json.loads(content)
        except Exception:  # any error here is a truncated download
            return False
        if response["Content-Type"].startswith("text/csv"):
            return content.endswith(b"\r\n")
    return True


def send(client, method, url, data) -> bool:
    if method == "GET":
        response = client.generic("GET", url, QUERY_STRING=data)
    else:
        response = client.generic(
            "POST",
            url,
            data.encode("latin-1"),
            content_type="application/x-www-form-urlencoded",
        )
    return whole_answer(response)


@pytest.fixture
def portal(db):
    return build_portal()


@pytest.mark.parametrize("role", [role for role in ROLES if role != "former"])
def test_no_url_answers_a_server_error_to_hostile_parameters(portal, role):
    client = Client(raise_request_exception=False)
    failed = []
    for name in walkable(portal):
        url = portal.url(name)
        sign_in(client, portal, role)
        names = parameter_names(client, url)
        for method in ("GET", "POST"):
            for label, data in hostile_requests(names, method):
                if not send(client, method, url, data):
                    failed.append(f"{method} {name}: {label}")
                if name == "account_logout":
                    sign_in(client, portal, role)  # signed out by the POST
    assert not failed, "\n".join(failed)


# Generated values: any text and raw bytes, for the parameters the pages read, repeated or not.
values = st.one_of(st.text(max_size=30).map(str.encode), st.binary(max_size=30))
GENERATED_URLS = [
    "partners:partner_list",
    "partners:application_create",
    "partners:application_vote",
    "initiatives:initiative_list",
    "initiatives:initiative_export_csv",
    "initiatives:initiative_export_json",
    "initiatives:initiative_create",
    "initiatives:initiative_detail",
    "initiatives:participation",
    "initiatives:comment_create",
    "initiatives:common_ground",
    "initiatives:solution_list",
    "accessibility",
    "digest_settings",
    "account_login",
]


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.sampled_from(GENERATED_URLS),
    role=st.sampled_from(ROLES),
    method=st.sampled_from(["GET", "POST"]),
    pairs=st.lists(st.tuples(st.sampled_from(READ_BY_VIEWS), values), max_size=8),
)
def test_generated_parameters_never_answer_a_server_error(portal, name, role, method, pairs):
    client = Client(raise_request_exception=False)
    sign_in(client, portal, role)
    data = encode(pairs)
    assert send(client, method, portal.url(name), data)
