import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from partners import official_keys
from partners.validators import normalize_official_key, official_key_kind, validate_official_key


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("03101000", "Amtlicher Gemeindeschlüssel (AGS)"),
        ("03151", "Kreisschlüssel"),
        ("031510000000", "Amtlicher Regionalschlüssel (ARS)"),
        ("16077052", "Amtlicher Gemeindeschlüssel (AGS)"),
    ],
)
def test_valid_keys_are_accepted_and_named(key, kind):
    validate_official_key(key)
    assert official_key_kind(key) == kind


@pytest.mark.parametrize(
    ("key", "code"),
    [
        ("0310100", "length"),
        ("031010001", "length"),
        ("", "not_digits"),
        ("03101O00", "not_digits"),
        ("０３１０１０００", "not_digits"),  # full-width digits are digits to Python, not to us
        ("00101000", "land"),
        ("17101000", "land"),
        ("99151", "land"),
    ],
)
def test_invalid_keys_are_refused_with_a_reason(key, code):
    with pytest.raises(ValidationError) as caught:
        validate_official_key(key)
    assert caught.value.code == code


@given(
    kreis=st.sampled_from(sorted(official_keys.kreise())),
    rest=st.sampled_from([0, 3, 7]).flatmap(
        lambda n: st.text("0123456789", min_size=n, max_size=n)
    ),
)
def test_every_key_of_a_valid_length_in_an_existing_kreis_is_accepted(kreis, rest):
    validate_official_key(kreis + rest)


@given(
    st.text("0123456789", min_size=1, max_size=14).filter(lambda key: len(key) not in (5, 8, 12))
)
def test_no_other_length_is_accepted(key):
    with pytest.raises(ValidationError):
        validate_official_key(key)


def test_grouping_characters_are_removed():
    assert normalize_official_key(" 03 1 01 000 ") == "03101000"
    assert normalize_official_key("03.151") == "03151"
    assert normalize_official_key("03-101-000") == "03101000"
