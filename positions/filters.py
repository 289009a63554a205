"""The filters of the position list, in the URL like those of the initiatives (whose partner
filter they reuse); the exports take the same parameters."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from initiatives.filters import FilterForm, PartnerFilter, filter_choices, offer_partners
from positions import selectors
from positions.models import Addressee, CoSignature, Position


class PositionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Suche"),
        method="filter_text",
        max_length=200,
        help_text=_("Wörter aus Titel, Anlass oder Text, z. B. Registermodernisierung."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=Position.Status.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    kind = django_filters.MultipleChoiceFilter(
        label=_("Art des Adressaten"),
        choices=Addressee.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        method="filter_kind",
    )
    area = django_filters.MultipleChoiceFilter(
        label=_("Arbeitsfeld"), widget=forms.CheckboxSelectMultiple, method="filter_area"
    )
    lead = PartnerFilter(label=_("Federführung"), field_name="lead_partner__slug", distinct=False)
    cosigner = PartnerFilter(label=_("Mitzeichnender Partner"), method="filter_cosigner")

    class Meta:
        model = Position
        form = FilterForm
        fields = ["q", "status", "kind", "area", "lead", "cosigner"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        areas, partners = filter_choices()
        self.filters["area"].extra["choices"] = [(area.slug, area.name) for area in areas]
        offer_partners(self, ["lead", "cosigner"], partners)

    @classmethod
    def of_request(cls, request) -> "PositionFilter":
        positions = Position.objects.visible_to(request.user).for_list()
        return cls(request.GET or None, queryset=positions)

    @property
    def invalid(self) -> bool:
        return self.is_bound and not self.is_valid()

    @property
    def qs(self):
        queryset = super().qs
        if self.is_bound and self.form.cleaned_data.get("q"):
            return queryset.order_by("-rank", "-created_at", "-id")
        return queryset.order_by("-created_at", "-id")

    def filter_text(self, queryset, name, value):
        return selectors.search(queryset, value)

    # Many-valued relations as subqueries: a position matching twice is listed once.
    def filter_kind(self, queryset, name, kinds):
        through = Position.addressees.through.objects.filter(addressee__kind__in=kinds)
        return queryset.filter(pk__in=through.values("position_id")) if kinds else queryset

    def filter_area(self, queryset, name, slugs):
        through = Position.areas.through.objects.filter(area__slug__in=slugs)
        return queryset.filter(pk__in=through.values("position_id")) if slugs else queryset

    def filter_cosigner(self, queryset, name, slugs):
        if not slugs:
            return queryset
        signing = CoSignature.objects.filter(
            partner__slug__in=slugs, decision=CoSignature.Decision.SIGNS
        )
        return queryset.filter(pk__in=signing.values("position_id"))
