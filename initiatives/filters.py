"""The filters of the initiative list. The state lives in the URL (GET), so a filtered list can be
bookmarked and shared; the CSV and JSON exports take the same parameters."""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import slug_re
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from initiatives import caching, selectors
from initiatives.models import Area, Initiative, Participation
from partners.models import Partner


class Sort:
    NEWEST = "neu"
    RECENT = "aktiv"
    TITLE = "titel"
    RELEVANCE = "relevanz"

    CHOICES = [
        (NEWEST, _("Neueste zuerst")),
        (RECENT, _("Zuletzt aktiv")),
        (TITLE, _("Titel A–Z")),
        (RELEVANCE, _("Relevanz (bei Suche)")),
    ]
    ORDER = {
        NEWEST: ["-created_at", "-id"],
        RECENT: ["-last_activity_at", "-id"],
        TITLE: ["title", "id"],
    }


# Up to this many member partners, the partner filters are lists to choose from; beyond (a
# national cooperation) text fields for Kurznamen: thousands of options on every list page would
# cost more than the list itself.
PARTNER_CHOICES_LIMIT = 60


class SlugsInput(forms.TextInput):
    """Several Kurznamen in one text field, separated by commas or spaces."""

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)

    def format_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(split_slugs(value)) or None
        return super().format_value(value)


def split_slugs(values) -> list[str]:
    items = [values] if isinstance(values, str) else list(values or [])
    return [slug.lower() for item in items for slug in re.split(r"[\s,;]+", str(item)) if slug]


class PartnerSlugsField(forms.MultipleChoiceField):
    """Kurznamen (slugs) of member partners, checked against the database – only the ones
    asked for, so the check costs one small query however many partners there are."""

    def to_python(self, value):
        return split_slugs(value)

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        if not value:
            return
        # Only well-formed slugs reach the database (a NUL byte there would be a server error).
        wellformed = [slug for slug in value if slug_re.fullmatch(slug)]
        known = set(
            Partner.objects.members().filter(slug__in=wellformed).values_list("slug", flat=True)
        )
        unknown = [slug for slug in value if slug not in known]
        if unknown:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": ", ".join(unknown)},
            )


class PartnerFilter(django_filters.MultipleChoiceFilter):
    field_class = PartnerSlugsField


def filter_choices() -> tuple[list[Area], list[tuple[str, str]]]:
    """The fields of work and the member partners (slug, name; at most PARTNER_CHOICES_LIMIT +
    1) that the list filters offer. Read once per version of the list's cache – a change to a
    field of work or a partner starts a new one (initiatives.apps) – instead of in two queries
    on every list page and search."""
    cached = caching.Cached(caching.LIST, "filter-choices", stale=False)
    choices = cached.get()
    if choices is None:
        partners = Partner.objects.members().order_by("name").values_list("slug", "name")
        choices = (list(Area.objects.all()), list(partners[: PARTNER_CHOICES_LIMIT + 1]))
        cached.put(choices)
    return choices


def offer_partners(
    filterset: django_filters.FilterSet, names: list[str], partners: list[tuple[str, str]]
) -> None:
    """Turns the partner filters `names` of `filterset` into checkboxes of the member partners
    (filter_choices), like the other filters; beyond PARTNER_CHOICES_LIMIT into a text field for
    Kurznamen."""
    for name in names:
        extra = filterset.filters[name].extra
        if len(partners) <= PARTNER_CHOICES_LIMIT:
            extra["choices"] = partners
            extra["widget"] = forms.CheckboxSelectMultiple
        else:
            extra["widget"] = SlugsInput
            extra["help_text"] = _(
                "Kurzname aus dem Partnerverzeichnis, z. B. braunschweig; mehrere durch "
                "Komma getrennt."
            )


class FilterForm(forms.Form):
    # The same values give the same HTML: each field group is rendered once per process
    # (kooperation.forms.KernBoundField), not on every fresh list page and search.
    remember_field_groups = True


class InitiativeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Suche"),
        method="filter_text",
        max_length=200,
        help_text=_("Wörter aus Titel, Beschreibung oder OZG-Bezug, z. B. Wohngeld Antrag."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    # The choices come from the database once per filter set (see __init__), so validating and
    # rendering the form costs no further queries.
    area = django_filters.MultipleChoiceFilter(
        label=_("Arbeitsfeld"),
        field_name="area__slug",
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=Initiative.Status.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    lead = PartnerFilter(label=_("Federführung"), field_name="lead_partner__slug", distinct=False)
    partner = PartnerFilter(label=_("Beteiligter Partner"), method="filter_partner")
    ozg = django_filters.CharFilter(
        label=_("OZG-Bezug"), field_name="ozg_reference", lookup_expr="icontains", max_length=200
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sortierung"), choices=Sort.CHOICES, method="sort_by", empty_label=None
    )

    class Meta:
        model = Initiative
        form = FilterForm
        fields = ["q", "area", "status", "lead", "partner", "ozg", "sort"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas, partners = filter_choices()
        self.filters["area"].extra["choices"] = [(area.slug, area.name) for area in self.areas]
        offer_partners(self, ["lead", "partner"], partners)

    # How many of the newest matches of a search are ranked (None: all, as the exports do).
    relevance_candidates: int | None = None

    @classmethod
    def of_request(cls, request, *, relevance_candidates=None) -> "InitiativeFilter":
        """The list's filters as the address states them; unbound when it states none."""
        filters = cls(request.GET or None, queryset=Initiative.objects.for_list())
        filters.relevance_candidates = relevance_candidates
        return filters

    @property
    def searching(self) -> bool:
        return self.is_bound and self.is_valid() and bool(self.form.cleaned_data.get("q"))

    @property
    def invalid(self) -> bool:
        return self.is_bound and not self.is_valid()

    def cache_key_items(self) -> tuple:
        """The valid filters in a canonical order (names sorted, the values of a multiple
        choice sorted, empty ones left out): addresses that filter alike share one entry."""
        items = []
        for name, value in sorted(self.form.cleaned_data.items()):
            if isinstance(value, list | tuple):
                value = tuple(sorted(value))
            if value not in (None, "", ()):
                items.append((name, value))
        return tuple(items)

    def without(self, *names) -> QuerySet:
        """The queryset under every valid filter but `names` (for counts per field of work)."""
        queryset = self.queryset.all()
        if self.is_bound:
            for name, value in self.form.cleaned_data.items():
                if name not in names:
                    queryset = self.filters[name].filter(queryset, value)
        return queryset

    def count(self, by_area: dict[int, int], cap: int | None = None) -> int:
        """How many initiatives pass every filter, from `by_area`: the counts per field of work
        (pk) under every filter but the field; at most `cap` + 1 (more than cap)."""
        chosen = set(self.form.cleaned_data.get("area") or ()) if self.is_bound else set()
        count = sum(
            by_area.get(area.pk, 0) for area in self.areas if not chosen or area.slug in chosen
        )
        return count if cap is None else min(count, cap + 1)

    def among(self, matches: list[tuple[int, int, object, int]]) -> QuerySet | list[int]:
        """The list as `qs` gives it, from the (field of work, id, age, score) of the matches of
        every filter but the field (selectors.count_matches): sorted without searching again.
        Ranked by the score of plain words: the ids in their order, no query sorts them."""
        chosen = set(self.form.cleaned_data.get("area") or ())
        shown = {area.pk for area in self.areas if not chosen or area.slug in chosen}
        newest = sorted(
            ((age, pk, score) for area, pk, age, score in matches if area in shown), reverse=True
        )
        # Without a sort: by relevance, as filter_queryset sorts a search.
        sort = self.form.cleaned_data.get("sort") or Sort.RELEVANCE
        if sort == Sort.RELEVANCE and self.relevance_candidates is not None:
            # The newest candidates picked here, as by_relevance would pick them (newest first,
            # then the higher id), and ranked as it ranks them.
            candidates = newest[: self.relevance_candidates]
            text = self.form.cleaned_data["q"]
            if selectors.score(text) is not None:
                # By the score the count computed: higher first, then newer, then higher id.
                best = sorted(candidates, key=lambda match: (match[2], *match[:2]), reverse=True)
                return [pk for _age, pk, _score in best]
            return selectors.by_relevance(
                selectors.with_ids([pk for _age, pk, _score in candidates]), text
            )
        return self.sort_by(selectors.with_ids([pk for _age, pk, _score in newest]), "sort", sort)

    def filter_text(self, queryset, name, value):
        return selectors.search(queryset, value)

    def filter_partner(self, queryset, name, slugs):
        if not slugs:
            return queryset
        return queryset.filter(
            pk__in=Participation.objects.taking_part()
            .filter(partner__slug__in=slugs)
            .values("initiative_id")
        )

    def sort_by(self, queryset, name, value):
        if value == Sort.RELEVANCE and self.form.cleaned_data.get("q"):
            text = self.form.cleaned_data["q"]
            return selectors.by_relevance(queryset, text, candidates=self.relevance_candidates)
        return queryset.order_by(*Sort.ORDER.get(value, Sort.ORDER[Sort.NEWEST]))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # Without a valid sort: by relevance when searching, else newest first.
        if not self.form.cleaned_data.get("sort"):
            chosen = Sort.RELEVANCE if self.form.cleaned_data.get("q") else Sort.NEWEST
            queryset = self.sort_by(queryset, "sort", chosen)
        return queryset
