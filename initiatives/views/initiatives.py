"""The initiatives: browse and find, read, propose and edit, decide and participate (their
discussion and following: initiatives.views.discussion)."""

import re

from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from initiatives import caching, common_ground, permissions, selectors, services, workflow
from initiatives.bookmarks import Bookmarks
from initiatives.discussion import INITIATIVES, discussion_context
from initiatives.filters import InitiativeFilter
from initiatives.forms import (
    InitiativeForm,
    ProposalPrefillForm,
    StageForm,
    StatusForm,
)
from initiatives.models import Area, Initiative
from initiatives.pagination import IdsFirstPaginator
from initiatives.views.access import MemberAccessMixin, error_message
from partners.http import redirect_back

# Browse and find


def _only(query: QueryDict, names) -> QueryDict:
    """The parameters of `query` named in `names`, with all their values."""
    kept = QueryDict(mutable=True)
    for name in names:
        if values := query.getlist(name):
            kept.setlist(name, values)
    return kept


# What the list page reads from its address.
LIST_PARAMETERS = {*InitiativeFilter.Meta.fields, "page"}
# A page number as the list accepts it (ListView: a number or "last").
PAGE = re.compile(r"[1-9][0-9]{0,8}|last")


class InitiativeListView(MemberAccessMixin, caching.CachedResultsMixin, ListView):
    """The list. Its part below the heading is the same for everyone who may browse, so it is
    rendered once per address and data version and then served from the cache (caching)."""

    template_name = "initiatives/initiative_list.html"
    results_template = "initiatives/_initiative_results.html"
    context_object_name = "initiatives"
    paginate_by = 20
    paginator_class = IdsFirstPaginator

    def get(self, request, *args, **kwargs):
        self.can_propose = permissions.can_propose(request.user)
        self.filterset = InitiativeFilter.of_request(
            request, relevance_candidates=selectors.SEARCH_CAP
        )
        if self.filterset.invalid:
            messages.warning(
                request,
                _(
                    "Ungültige Filterangaben sind nicht berücksichtigt. "
                    "Bitte prüfen Sie die markierten Filter."
                ),
            )
        return super().get(request, *args, **kwargs)

    def results_key(self) -> str | None:
        """None for invalid filters or page numbers, and for free-text searches (as many keys
        as people can type)."""
        page = self.request.GET.get(self.page_kwarg, "1")
        if self.filterset.invalid or not PAGE.fullmatch(page):
            return None
        filters = self.filterset.cache_key_items() if self.filterset.is_bound else ()
        if any(name in ("q", "ozg") for name, _value in filters):
            return None
        return caching.list_page_key(filters, page, self.can_propose)

    def results_query(self) -> QueryDict:
        return _only(self.request.GET, LIST_PARAMETERS)

    def page_context(self) -> dict:
        return {"can_propose": self.can_propose}

    def get_queryset(self):
        return self.filterset.qs

    def get_paginator(self, *args, **kwargs):
        rows = Initiative.objects.for_list()
        bookmarks = None
        if self.cached:  # valid filters, no search: far pages seek to a bookmark
            filters = self.filterset.cache_key_items() if self.filterset.is_bound else ()
            key = caching.list_page_key(filters, "bookmarks", False)
            bookmarks = Bookmarks(key, self.request)
        return super().get_paginator(
            *args, count=self.count, rows=rows, bookmarks=bookmarks, **kwargs
        )

    def paginate_queryset(self, queryset, page_size):
        paginated = super().paginate_queryset(queryset, page_size)
        selectors.attach_taking_part(paginated[2])  # the page's rows, a list (IdsFirstPaginator)
        return paginated

    def get_context_data(self, **kwargs):
        # A search counts up to SEARCH_CAP per field ("über 1.000"), and ranks as many.
        cap = selectors.SEARCH_CAP if self.filterset.searching else None
        # The counts and the filter form are the same on every page of a filter combination:
        # rendered once for all its pages (while the results are cached, so may they be). Not
        # stale here: they go into results about to be cached as current.
        shared, self.matches = None, None
        if self.cached:
            filters = self.filterset.cache_key_items() if self.filterset.is_bound else ()
            key = f"filters:{caching.list_page_key(filters, 'all', False)}"
            shared = caching.Cached(caching.LIST, key, self.request, stale=False)
        found = shared.get() if shared else None
        if found is None:
            found = self.filters_part(cap)
            if shared:
                shared.put(found)
        counts, area_counts_html, filter_form_html = found
        count = self.filterset.count(counts, cap)
        self.count = min(count, cap) if cap else count
        if self.matches is not None:
            # A search whose count read every match: the page takes them by id.
            kwargs["object_list"] = self.filterset.among(self.matches)
        return super().get_context_data(
            area_counts_html=mark_safe(area_counts_html),  # noqa: S308 - our own templates
            filter_form_html=mark_safe(filter_form_html),  # noqa: S308
            filter_query=_only(self.request.GET, InitiativeFilter.Meta.fields).urlencode(),
            is_filtered=bool(_only(self.request.GET, InitiativeFilter.Meta.fields)),
            more_than=cap if cap and count > cap else None,
            **kwargs,
        )

    def filters_part(self, cap: int | None) -> tuple[dict[int, int], str, str]:
        """The counts per field of work under every filter but the field itself (and the sort),
        rendered above the list and into the filter form. The list's own count is their sum
        over the chosen fields. A search that counted every match keeps them (self.matches)."""
        areas = self.filterset.areas
        unsorted = self.filterset.without("area", "sort")
        if cap is None:
            counts = selectors.count_by_area(unsorted, areas)
        else:
            text = self.filterset.form.cleaned_data["q"]
            counts, self.matches = selectors.count_matches(unsorted, areas, cap=cap, text=text)
        shown = {area.pk: _shown(counts.get(area.pk, 0), cap) for area in areas}
        form = self.filterset.form
        form.fields["area"].choices = [
            (area.slug, _("%(area)s (%(count)s)") % {"area": area.name, "count": shown[area.pk]})
            for area in areas
        ]
        context = {
            "area_counts": [(area, shown[area.pk]) for area in areas],
            "filter_form": form,
            "is_filtered": bool(_only(self.request.GET, InitiativeFilter.Meta.fields)),
        }
        return (
            counts,
            # Without the request: no context processors run for these parts.
            render_to_string("initiatives/_initiative_area_counts.html", context),
            render_to_string("initiatives/_initiative_filter_form.html", context),
        )


def _shown(count: int, cap: int | None) -> int | str:
    """A count as the list shows it: beyond the cap, "über 1.000"."""
    if cap is not None and count > cap:
        return _("über %(count)s") % {"count": intcomma(cap)}
    return count


def detail_context(request, initiative: Initiative, *, comment_form=None) -> dict:
    """What the detail page shows of `initiative` to the person asking: also after a comment
    that could not be saved (CommentCreateView), with the form as it was sent."""
    user = request.user
    participations = list(initiative.participations.select_related("partner", "changed_by"))
    own = next((p for p in participations if p.partner_id == user.partner_id), None)
    stages = []
    if permissions.is_member_person(user):
        stages = [
            (stage, workflow.STAGE_ACTIONS[stage])
            for stage in workflow.next_stages(initiative, own.stage if own else None)
            if permissions.can_set_stage(user, stage, own.stage if own else None)
        ]
    statuses = []
    if permissions.can_steer(user, initiative):
        statuses = [
            (status, workflow.STATUS_ACTIONS[status])
            for status in workflow.next_statuses(initiative.status)
        ]
    return {
        "initiative": initiative,
        "participations": participations,
        "own_participation": own,
        "stage_actions": stages,
        "status_actions": statuses,
        "can_edit": permissions.can_edit(user, initiative),
        "events": selectors.timeline(initiative),
        "commitments_to_activate": workflow.COMMITMENTS_TO_ACTIVATE,
        **discussion_context(
            INITIATIVES,
            request,
            initiative,
            comment_form=comment_form,
            following=services.follow_seen(initiative=initiative, user=user),
        ),
    }


class InitiativeDetailView(MemberAccessMixin, DetailView):
    template_name = "initiatives/initiative_detail.html"
    context_object_name = "initiative"

    def get_queryset(self):
        return Initiative.objects.for_detail()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**detail_context(self.request, self.object), **kwargs)


# Propose and edit


class InitiativeCreateView(MemberAccessMixin, FormView):
    template_name = "initiatives/initiative_form.html"
    form_class = InitiativeForm

    refusal = permissions.REFUSED_PROPOSE

    def test_func(self):
        return permissions.can_propose(self.request.user)

    def get_initial(self):
        """Pre-filled from the common-ground page: ?area=<slug>&product=<name>."""
        prefill = ProposalPrefillForm(self.request.GET)
        if not prefill.is_valid():
            messages.warning(
                self.request,
                _("Die Vorbelegung in der Adresse ist ungültig und bleibt unberücksichtigt."),
            )
            return {}
        data = prefill.cleaned_data
        slug = data["area"]
        area = Area.objects.filter(slug=slug).first() if slug else None
        product = " ".join(data["product"].split())
        if area and product:
            return common_ground.proposal_from_shared_product(area=area, product=product)
        text = {
            "title": " ".join(data["title"].split()),
            "summary": " ".join(data["summary"].split()),
            "description": data["description"].strip(),
        }
        return {**({"area": area} if area else {}), **{k: v for k, v in text.items() if v}}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            commitments_to_activate=workflow.COMMITMENTS_TO_ACTIVATE, **kwargs
        )

    def form_valid(self, form):
        try:
            initiative = services.initiative_propose(
                proposer=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Ihr Vorschlag ist gespeichert. Aktiv wird er, sobald %(needed)s Partner zusagen.")
            % {"needed": workflow.commitments_to_activate_in_words()},
        )
        return redirect("initiatives:initiative_detail", pk=initiative.pk)


class InitiativeObjectMixin(MemberAccessMixin):
    def load_object(self, **kwargs):
        self.initiative = get_object_or_404(Initiative.objects.for_detail(), pk=kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(initiative=self.initiative, **kwargs)

    def to_detail(self):
        return redirect("initiatives:initiative_detail", pk=self.initiative.pk)


class InitiativeUpdateView(InitiativeObjectMixin, FormView):
    template_name = "initiatives/initiative_form.html"
    form_class = InitiativeForm

    refusal = permissions.REFUSED_EDIT

    def test_func(self):
        return permissions.can_edit(self.request.user, self.initiative)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.initiative}

    def form_valid(self, form):
        # The form filled the instance; the service compares against fresh values.
        try:
            services.initiative_update(
                initiative=Initiative.objects.get(pk=self.initiative.pk),
                editor=self.request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Ihre Änderungen sind gespeichert."))
        return self.to_detail()


class InitiativeWithdrawView(InitiativeObjectMixin, TemplateView):
    template_name = "initiatives/initiative_withdraw.html"

    refusal = permissions.REFUSED_WITHDRAW

    def test_func(self):
        return permissions.can_withdraw(self.request.user, self.initiative)

    def post(self, request, *args, **kwargs):
        try:
            services.initiative_withdraw(initiative=self.initiative, actor=request.user)
        except ValidationError as error:
            error_message(request, error)
        else:
            messages.success(request, _("Der Vorschlag ist zurückgezogen."))
        return self.to_detail()


# Decide and participate


class InitiativeStatusView(InitiativeObjectMixin, View):
    def post(self, request, *args, **kwargs):
        form = StatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Diese Statusänderung gibt es nicht."))
            return self.to_detail()
        try:
            initiative = services.initiative_change_status(
                initiative=self.initiative, actor=request.user, status=form.cleaned_data["status"]
            )
        except ValidationError as error:
            error_message(request, error)
        else:
            messages.success(
                request,
                _("Die Initiative ist jetzt „%(status)s“.")
                % {"status": initiative.get_status_display()},
            )
        return self.to_detail()


class ParticipationView(InitiativeObjectMixin, View):
    def post(self, request, *args, **kwargs):
        form = StageForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Diese Stufe der Beteiligung gibt es nicht."))
            return self.to_detail()
        was_proposal = self.initiative.status == Initiative.Status.PROPOSED
        try:
            participation = services.participation_set(
                initiative=self.initiative, actor=request.user, stage=form.cleaned_data["stage"]
            )
        except ValidationError as error:
            error_message(request, error)
            return self.to_detail()
        messages.success(
            request,
            _("Für %(partner)s gilt jetzt: %(stage)s.")
            % {"partner": participation.partner, "stage": participation.get_stage_display()},
        )
        if was_proposal and participation.initiative.status == Initiative.Status.ACTIVE:
            messages.success(
                request,
                _("%(needed)s Partner haben zugesagt: Die Initiative ist aktiv.")
                % {"needed": capfirst(workflow.commitments_to_activate_in_words())},
            )
        return redirect_back(request, "initiatives:initiative_detail", pk=self.initiative.pk)
