"""The filters of the activity page, in the URL (GET). Activity is no QuerySet (it is merged
from the apps' sources), so the FilterSet parses and checks the parameters and its `narrowing`
is handed to the sources as part of the Reader, which filter in SQL."""

import django_filters
from django import forms
from django.core.validators import slug_re
from django.utils.translation import gettext_lazy as _

from initiatives.models import Area
from kooperation.digest.render import SECTION_TITLES
from partners.activity import Section
from partners.models import Partner

KINDS = [(section, SECTION_TITLES[section]) for section in Section.ORDER if section != "waiting"]


class ActivityFilter(django_filters.FilterSet):
    partner = django_filters.CharFilter(
        label=_("Partner (Kurzname)"),
        help_text=_("z. B. braunschweig – wie in der Adresse der Partnerseite"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    feld = django_filters.ModelChoiceFilter(
        label=_("Arbeitsfeld"),
        queryset=Area.objects.all(),
        to_field_name="slug",
        empty_label=_("Alle Arbeitsfelder"),
    )
    art = django_filters.ChoiceFilter(label=_("Art"), choices=KINDS, empty_label=_("Alle Arten"))

    class Meta:
        model = Partner  # only for the FilterSet's machinery; see the module's docstring
        fields = []

    def narrowing(self) -> dict:
        """The Reader's `partner`, `area` and `sections`, from valid parameters (an invalid
        one is left out, as the page says); None for a partner not found (nothing matches)."""
        self.form.is_valid()
        data = self.form.cleaned_data  # the valid ones
        narrowed = {}
        if data.get("partner"):
            slug = data["partner"].strip().lower()
            found = None
            if slug_re.fullmatch(slug):  # a NUL byte must not reach the database
                found = Partner.objects.filter(slug=slug).values_list("pk", flat=True).first()
            narrowed["partner"] = found or 0
        if data.get("feld"):
            narrowed["area"] = data["feld"].pk
        if data.get("art"):
            narrowed["sections"] = frozenset([data["art"]])
        return narrowed
