"""Every URL of the portal, asked for by each role: the status each role gets is written down
here, so a page that opens to the wrong people – or a new URL nobody thought about – fails.
Objects in the URLs belong to Salzgitter; the staff and head are Braunschweig's (tests/urlwalk.py).
"""

import pytest
from django.test import Client
from django.urls import NoReverseMatch

from tests.urlwalk import ROLES, build_portal, url_names

pytestmark = pytest.mark.django_db

L = "login"  # redirected to the sign-in page
REAUTH = "reauthenticate"  # asked for the password again first
#                               anonymous  staff   head    office  former
EXPECTED = {
    "home":                           [200, 200, 200, 200, 200],
    "about":                          [200, 200, 200, 200, 200],
    "activity":                       [L, 200, 200, 200, 403],
    "activity_feed":                  [200, 200, 200, 200, 200],
    "feed_key_renew":                 [L, 405, 405, 405, 405],
    "healthz":                        [200, 200, 200, 200, 200],
    "imprint":                        [200, 200, 200, 200, 200],
    "privacy":                        [200, 200, 200, 200, 200],
    "accessibility":                  [200, 200, 200, 200, 200],
    "partners:partner_list":          [200, 200, 200, 200, 200],
    "partners:partner_detail":        [200, 200, 200, 200, 200],
    "partners:agreement":             [200, 200, 200, 200, 200],
    "partners:agreement_version":     [200, 200, 200, 200, 200],
    "partners:agreement_send_for_signature": [L, 403, 403, 405, 403],
    "partners:agreement_sign":        [L, 403, 403, 405, 403],
    "partners:application_create":    [200, 200, 200, 200, 200],
    "partners:application_submitted": [200, 200, 200, 200, 200],
    "partners:application_withdraw":  [200, 200, 200, 200, 200],
    "partners:application_confirm":   [200, 200, 200, 200, 200],
    "partners:application_list":      [L, 403, 200, 200, 403],
    "partners:application_detail":    [L, 403, 200, 200, 403],
    "partners:application_vote":      [L, 403, 405, 405, 403],
    "initiatives:initiative_list":    [L, 200, 200, 200, 403],
    "initiatives:initiative_export_csv": [L, 200, 200, 200, 403],
    "initiatives:initiative_export_json": [L, 200, 200, 200, 403],
    "initiatives:initiative_create":  [L, 200, 200, 403, 403],
    "initiatives:initiative_detail":  [L, 200, 200, 200, 403],
    "initiatives:initiative_update":  [L, 403, 403, 403, 403],
    "initiatives:initiative_withdraw": [L, 403, 403, 403, 403],
    "initiatives:initiative_status":  [L, 405, 405, 405, 403],
    "initiatives:participation":      [L, 405, 405, 405, 403],
    "initiatives:follow":             [L, 405, 405, 405, 403],
    "initiatives:comment_create":     [L, 405, 405, 405, 403],
    "initiatives:comment_link":       [L, "detail", "detail", "detail", 403],
    "initiatives:comment_update":     [L, 403, 403, 403, 403],
    "initiatives:comment_delete":     [L, 403, 403, 403, 403],
    "initiatives:common_ground":      [L, 200, 200, 200, 403],
    "initiatives:solution_list":      [L, 200, 200, 403, 403],
    "initiatives:solution_update":    [L, 403, 403, 403, 403],
    "initiatives:solution_delete":    [L, 403, 403, 403, 403],
    "positions:position_list":        [200, 200, 200, 200, 200],
    "positions:export_csv":           [200, 200, 200, 200, 200],
    "positions:export_json":          [200, 200, 200, 200, 200],
    "positions:position_create":      [L, 200, 200, 403, 403],
    "positions:position_detail":      [L, 200, 200, 200, 404],
    "positions:position_update":      [L, 403, 403, 403, 404],
    "positions:versions":             [L, 200, 200, 200, 404],
    "positions:letter":               [200, 200, 200, 200, 200],
    "positions:open":                 [L, 405, 405, 405, 404],
    "positions:decide":               [L, 405, 405, 405, 404],
    "positions:send":                 [L, 405, 405, 405, 404],
    "positions:answer":               [L, 405, 405, 405, 404],
    "positions:publish":              [L, 405, 405, 405, 404],
    "positions:withdraw":             [L, 405, 405, 405, 404],
    "positions:follow":               [L, 405, 405, 405, 404],
    "positions:comment_create":       [L, 405, 405, 405, 404],
    "positions:comment_link":         [L, "detail", "detail", "detail", 403],
    "positions:comment_update":       [L, 403, 403, 403, 403],
    "positions:comment_delete":       [L, 403, 403, 403, 403],
    "account":                        [L, 200, 200, 200, 200],
    "digest_settings":                [L, 200, 200, 200, 200],
    "personal_data":                  [L, 200, 200, 200, 200],
    "personal_data_export":           [L, 200, 200, 200, 200],
    "digest_unsubscribe":             [200, 200, 200, 200, 200],
    "account_login":                  [200, "/", "/", "/", "/"],
    "account_signup":                 [200, "/", "/", "/", "/"],
    "account_logout":                 ["/", 200, 200, 200, 200],
    "account_inactive":               [200, 200, 200, 200, 200],
    "account_reauthenticate":         [L, 200, 200, 200, 200],
    "account_email":                  [L, 200, 200, 200, 200],
    "account_email_verification_sent": [200, 200, 200, 200, 200],
    "account_confirm_email":          [200, 200, 200, 200, 200],
    "account_confirm_login_code":     [L, "/", "/", "/", "/"],
    "account_change_password":        [L, 200, 200, 200, 200],
    "account_set_password":           [L] + ["/konto/password/change/"] * 4,
    "account_reset_password":         [200, 200, 200, 200, 200],
    "account_reset_password_done":    [200, 200, 200, 200, 200],
    "account_reset_password_from_key": [200, 200, 200, 200, 200],
    "account_reset_password_from_key_done": [200, 200, 200, 200, 200],
    "usersessions_list":              [L, 200, 200, 200, 200],
    "mfa_index":                      [L, 200, 200, 200, 200],
    "mfa_authenticate":               [L, "/", "/", "/", "/"],
    "mfa_reauthenticate":             [L] + ["/konto/reauthenticate/"] * 4,
    "mfa_activate_totp":              [L, REAUTH, REAUTH, REAUTH, REAUTH],
    "mfa_deactivate_totp":            [L, 404, 404, 404, 404],
    "mfa_view_recovery_codes":        [L, 404, 404, 404, 404],
    "mfa_download_recovery_codes":    [L, 404, 404, 404, 404],
    "mfa_generate_recovery_codes":    [L, REAUTH, REAUTH, REAUTH, REAUTH],
}  # fmt: skip

# The admin is the office's alone: everyone else is sent to sign in, or refused once signed in.
ADMIN_OTHERS = {"anonymous": L, "staff": L, "head": L, "former": L}
ADMIN_OFFICE = {
    "admin:autocomplete": 403,  # asked without its parameters
    # Written by the portal's own workflows, or secrets: not added by hand.
    "admin:initiatives_initiative_add": 403,
    "admin:kooperation_accessibilityfeedback_add": 403,
    "admin:kooperation_digestdelivery_add": 403,
    "admin:kooperation_secondfactor_add": 403,
    "admin:outbox_emailjob_add": 403,
    "admin:partners_application_add": 403,
    "admin:positions_answer_add": 403,
    "admin:positions_position_add": 403,
}
# The admin's login tells signed-in people outside the office that they may not (allauth's
# 403); its logout is a POST (405) and sends everyone else back to the admin.
ADMIN_SPECIAL = {
    "admin:login": [L, 403, 403, "/verwaltung/", 403],
    "admin:logout": ["/verwaltung/", "/verwaltung/", "/verwaltung/", 405, "/verwaltung/"],
}


def outcome(response):
    if response.status_code != 302:
        return response.status_code
    if "/konto/reauthenticate/?next=" in response.url:
        return REAUTH
    if response.url.startswith(("/konto/login/", "/verwaltung/login/")):
        return L
    if "?kommentare=" in response.url:
        return "detail"  # a comment's page of its initiative
    return response.url


@pytest.fixture
def portal(db):
    return build_portal()


def sign_in(client, portal, role):
    person = portal.person(role)
    if person is not None:
        client.force_login(person)


def expected_for(name):
    if name in EXPECTED:
        return EXPECTED[name]
    if name in ADMIN_SPECIAL:
        return ADMIN_SPECIAL[name]
    if name.startswith("admin:"):
        return [ADMIN_OTHERS.get(role, ADMIN_OFFICE.get(name, 200)) for role in ROLES]
    raise AssertionError(f"{name} fehlt in EXPECTED")


def walkable(portal):
    """Every URL name; the admin's pages of one object (change, delete, history) need an object
    and are left to the admin tests."""
    names = []
    for name in url_names():
        try:
            portal.url(name)
        except NoReverseMatch:
            assert name.startswith("admin:"), f"{name}: keine Argumente in tests/urlwalk.py"
            continue
        names.append(name)
    return names


def test_every_url_of_the_portal_is_in_the_table():
    names = set(url_names())
    assert set(EXPECTED) <= names, set(EXPECTED) - names
    assert {name for name in names if not name.startswith("admin:")} == set(EXPECTED)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_from_every_url(portal, role):
    client = Client()
    sign_in(client, portal, role)
    index = ROLES.index(role)
    got, wanted = {}, {}
    for name in walkable(portal):
        got[name] = outcome(client.get(portal.url(name)))
        wanted[name] = expected_for(name)[index]
    assert got == wanted


@pytest.mark.parametrize("role", ["anonymous", "staff", "office"])
def test_no_url_changes_anything_on_a_post_without_csrf_token(portal, role):
    """Every POST needs the CSRF token – except the digest's unsubscribe link, whose signed
    token is its authentication (RFC 8058 one-click, see kooperation.views)."""
    client = Client(enforce_csrf_checks=True)
    sign_in(client, portal, role)
    refused = {}
    for name in walkable(portal):
        refused[name] = client.post(portal.url(name), {"confirm": "on"}).status_code
    assert {name: status for name, status in refused.items() if status != 403} == {
        "digest_unsubscribe": 200
    }
