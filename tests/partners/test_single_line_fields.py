"""Names, titles and other one-line fields take no line breaks or control characters: they
end up in e-mail headers, CSV cells and page titles."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from partners.forms import SignatureForm, SignupForm
from partners.models import Application
from partners.validators import validate_single_line
from tests.factories import confirmed_application

pytestmark = pytest.mark.django_db

# Fields whose values the portal makes itself or checks with their own rules, and the one
# typed into a text area.
NOT_TYPED_BY_PEOPLE = {
    "partners.Partner.slug",
    "partners.Partner.official_key",
    "partners.Application.official_key",
    "partners.EmailDomain.domain",
    "partners.User.password",
    "initiatives.Area.slug",
    "initiatives.Solution.product_key",
    "kooperation.DigestDelivery.period",
    "kooperation.DigestDelivery.claimed_by",
    "kooperation.OverviewState.feed_key",
    # Typed into a text area; on pages and in e-mails a line break is just a space.
    "initiatives.Initiative.summary",
}
HOSTILE = ["Stadt\nBcc: alle@example.org", "Tab\there", "NUL\x00", "Esc\x1b[31m", "Zeile\u2028zwei"]


def free_text_fields():
    for app in ("partners", "initiatives", "kooperation"):
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.get_fields():
                name = f"{app}.{model.__name__}.{getattr(field, 'name', '')}"
                if (
                    type(field) in (models.CharField, models.SlugField)
                    and not field.choices
                    and field.editable
                    and name not in NOT_TYPED_BY_PEOPLE
                ):
                    yield name, field


FIELDS = dict(free_text_fields())


def test_the_walk_finds_the_fields_people_type():
    assert {"partners.Application.name", "initiatives.Initiative.title"} <= set(FIELDS)


@pytest.mark.parametrize("name", sorted(FIELDS))
def test_every_one_line_field_refuses_control_characters(name):
    assert validate_single_line in FIELDS[name].validators


@pytest.mark.parametrize("value", HOSTILE)
def test_the_validator_refuses_line_breaks_and_control_characters(value):
    with pytest.raises(ValidationError):
        validate_single_line(value)


@pytest.mark.parametrize("value", ["Stadt Wolfenbüttel", "Landkreis „Nord“ – Süd", "Ämter & Co."])
def test_ordinary_names_pass(value):
    validate_single_line(value)


def test_an_application_with_a_line_break_in_its_name_is_refused_by_the_service():
    with pytest.raises(ValidationError) as caught:
        confirmed_application(name="Stadt Wolfenbüttel\r\nBcc: alle@example.org")
    assert "name" in caught.value.message_dict
    assert not Application.objects.exists()


def test_the_join_form_explains_the_refusal(client):
    form = client.get(reverse("partners:application_create")).context["form"]
    response = client.post(
        reverse("partners:application_create"),
        {
            "name": "Stadt\nWolfenbüttel",
            "kind": "stadt",
            "official_key": "03158037",
            "email_domains": "wolfenbuettel.example",
            "contact_name": "Maria\tNeumann",
            "contact_email": "maria@wolfenbuettel.example",
            "motivation": "Zeilen\nsind hier erlaubt.",
            "started": form.initial["started"],
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"name", "contact_name"}
    assert "in einer Zeile" in errors["name"][0]


def test_forms_without_a_model_refuse_them_too():
    signup = SignupForm(data={"name": "Anna\nAdorf", "email": "a@b.example"})
    assert "name" in signup.errors
    assert validate_single_line in SignatureForm.base_fields["signatory_name"].validators
    assert validate_single_line in SignatureForm.base_fields["signatory_role"].validators
