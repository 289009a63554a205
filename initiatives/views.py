import copy
import csv
import datetime
import json
import re

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from initiatives import caching, permissions, selectors, services, workflow
from initiatives.filters import InitiativeFilter
from initiatives.forms import (
    CommentForm,
    FollowForm,
    InitiativeForm,
    ProposalPrefillForm,
    SolutionForm,
    StageForm,
    StatusForm,
)
from initiatives.models import Area, Comment, Initiative, Solution
from initiatives.pagination import IdsFirstPaginator
from partners.models import Partner


def _error_message(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


class MemberAccessMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Initiatives and the inventory are for the people of member partners and the office."""

    def dispatch(self, request, *args, **kwargs):
        # Who may not browse learns nothing, not even whether an object exists.
        if not permissions.can_browse(request.user):
            return self.handle_no_permission()
        self.load_object(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load_object(self, **kwargs):
        """Loads the object of the URL, which test_func may need."""

    def test_func(self):
        return permissions.can_browse(self.request.user)

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise PermissionDenied(
                _("Diese Seiten sehen Personen der Mitgliedspartner und die Geschäftsstelle.")
            )
        return super().handle_no_permission()


# Browse and find


def _filtered(request) -> InitiativeFilter:
    return InitiativeFilter(request.GET or None, queryset=Initiative.objects.for_list())


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


def _invalid_filters(filters: InitiativeFilter) -> bool:
    return filters.is_bound and not filters.is_valid()


def _bad_filters_response(request) -> TemplateResponse:
    """An export with invalid filters: a German 400 page instead of a file."""
    return TemplateResponse(
        request,
        "400.html",
        {
            "message": _(
                "Die Filterangaben in der Adresse sind ungültig. Bitte wählen Sie die Filter "
                "auf der Liste der Initiativen neu und exportieren Sie dann."
            ),
            "back_url": reverse("initiatives:initiative_list"),
        },
        status=400,
    )


class InitiativeListView(MemberAccessMixin, ListView):
    """The list. Its part below the heading is the same for everyone who may browse, so it is
    rendered once per address and data version and then served from the cache (caching)."""

    template_name = "initiatives/initiative_list.html"
    results_template = "initiatives/_initiative_results.html"
    context_object_name = "initiatives"
    paginate_by = 20
    paginator_class = IdsFirstPaginator

    def get(self, request, *args, **kwargs):
        self.can_propose = permissions.can_propose(request.user)
        self.filterset = _filtered(request)
        if _invalid_filters(self.filterset):
            messages.warning(
                request,
                _(
                    "Ungültige Filterangaben sind nicht berücksichtigt. "
                    "Bitte prüfen Sie die markierten Filter."
                ),
            )
        self.results_key = self.cache_key()
        results = caching.cache.get(self.results_key) if self.results_key else None
        if results is not None:
            return TemplateResponse(
                request,
                self.template_name,
                {"results": mark_safe(results), "can_propose": self.can_propose},  # noqa: S308
            )
        return super().get(request, *args, **kwargs)

    def cache_key(self) -> str | None:
        """The key of the rendered results, or None when they are not cached: for invalid
        filters or page numbers, and for free-text searches (as many keys as people can type)."""
        page = self.request.GET.get(self.page_kwarg, "1")
        if _invalid_filters(self.filterset) or not PAGE.fullmatch(page):
            return None
        filters = self.filterset.cache_key_items() if self.filterset.is_bound else ()
        if any(name in ("q", "ozg") for name, _value in filters):
            return None
        return caching.list_page_key(filters, page, self.can_propose)

    def get_queryset(self):
        return self.filterset.qs

    def get_paginator(self, *args, **kwargs):
        return super().get_paginator(*args, count=self.count, **kwargs)

    def get_context_data(self, **kwargs):
        # Counts per field of work under every filter but the field itself (and the sort); the
        # list's own count is their sum over the chosen fields.
        counts = selectors.count_by_area(self.filterset.without("area", "sort"))
        self.count = self.filterset.count(counts)
        areas = self.filterset.areas
        form = self.filterset.form
        form.fields["area"].choices = [
            (
                area.slug,
                _("%(area)s (%(count)s)") % {"area": area.name, "count": counts.get(area.pk, 0)},
            )
            for area in areas
        ]
        filters = _only(self.request.GET, InitiativeFilter.Meta.fields)
        context = super().get_context_data(
            filter_form=form,
            area_counts=[(area, counts.get(area.pk, 0)) for area in areas],
            filter_query=filters.urlencode(),
            is_filtered=bool(filters),
            can_propose=self.can_propose,
            **kwargs,
        )
        # Rendered for the known parameters only: the pagination links keep the address's
        # parameters, and a cached page must not carry someone's extra ones to everybody.
        known = copy.copy(self.request)
        known.GET = _only(self.request.GET, LIST_PARAMETERS)
        results = render_to_string(self.results_template, context, known)
        if self.results_key:
            caching.cache.set(self.results_key, results, caching.CACHE_SECONDS)
        context["results"] = mark_safe(results)  # noqa: S308 - our own template's output
        return context


class Echo:
    """A file-like object whose write returns the line, for streaming CSV."""

    def write(self, value):
        return value


CSV_COLUMNS = [
    "Titel",
    "Zusammenfassung",
    "Arbeitsfeld",
    "Status",
    "Federführung",
    "Beteiligte Partner",
    "OZG-Bezug",
    "Zieldatum",
    "Vorgeschlagen am",
    "Letzte Aktivität",
    "Adresse",
]
# A cell starting with one of these is a formula to spreadsheet programs (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """One CSV cell as text a spreadsheet shows and never runs: dates as TT.MM.JJJJ, a leading
    formula character neutralised with an apostrophe."""
    if value is None:
        text = ""
    elif isinstance(value, datetime.date):
        text = value.strftime("%d.%m.%Y")
    else:
        text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _export_rows(request, filters: InitiativeFilter):
    """The filtered initiatives as (initiative, row); dates as date and datetime objects, each
    export writes them in its format."""
    initiatives = filters.qs.iterator(chunk_size=1000)
    for initiative in initiatives:
        yield (
            initiative,
            {
                "title": initiative.title,
                "summary": initiative.summary,
                "area": initiative.area.name,
                "status": initiative.get_status_display(),
                "lead_partner": initiative.lead_partner.name,
                "partners": [
                    {"name": p.partner.name, "stage": p.get_stage_display()}
                    for p in initiative.taking_part
                ],
                "ozg_reference": initiative.ozg_reference,
                "target_date": initiative.target_date,
                "created_at": timezone.localtime(initiative.created_at),
                "last_activity_at": timezone.localtime(initiative.last_activity_at),
                "url": request.build_absolute_uri(
                    reverse("initiatives:initiative_detail", args=[initiative.pk])
                ),
            },
        )


class InitiativeCsvExportView(MemberAccessMixin, View):
    """The filtered list as CSV for spreadsheets: UTF-8 with BOM, semicolons, German headers."""

    def get(self, request):
        # The filters are checked before the download starts, not in its middle.
        filters = _filtered(request)
        if _invalid_filters(filters):
            return _bad_filters_response(request)
        writer = csv.writer(Echo(), delimiter=";")

        def lines():
            yield "\ufeff" + writer.writerow(CSV_COLUMNS)
            for _initiative, row in _export_rows(request, filters):
                values = [
                    row["title"],
                    row["summary"],
                    row["area"],
                    row["status"],
                    row["lead_partner"],
                    ", ".join(f"{p['name']} ({p['stage']})" for p in row["partners"]),
                    row["ozg_reference"],
                    row["target_date"],
                    row["created_at"].date(),
                    row["last_activity_at"].date(),
                    row["url"],
                ]
                yield writer.writerow([_cell(value) for value in values])

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="initiativen.csv"'
        return response


class InitiativeJsonExportView(MemberAccessMixin, View):
    def get(self, request):
        filters = _filtered(request)
        if _invalid_filters(filters):
            return _bad_filters_response(request)

        def chunks():
            yield '{"initiatives": ['
            for number, (initiative, row) in enumerate(_export_rows(request, filters)):
                dates = {
                    name: _iso(row[name])
                    for name in ("target_date", "created_at", "last_activity_at")
                }
                yield ("," if number else "") + json.dumps(
                    {"id": initiative.pk, **row, **dates}, ensure_ascii=False
                )
            yield "]}"

        response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="initiativen.json"'
        return response


class InitiativeDetailView(MemberAccessMixin, DetailView):
    template_name = "initiatives/initiative_detail.html"
    context_object_name = "initiative"

    def get_queryset(self):
        return Initiative.objects.for_detail()

    def get_context_data(self, **kwargs):
        initiative = self.object
        user = self.request.user
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
        return super().get_context_data(
            participations=participations,
            own_participation=own,
            stage_actions=stages,
            status_actions=statuses,
            can_edit=permissions.can_edit(user, initiative),
            events=selectors.timeline(initiative),
            **self.comment_page(initiative),
            comment_form=kwargs.pop("comment_form", None) or CommentForm(),
            can_comment=initiative.status != Initiative.Status.WITHDRAWN,
            follower_count=initiative.follows.count(),
            is_following=initiative.follows.filter(user=user).exists(),
            **kwargs,
        )

    def comment_page(self, initiative) -> dict:
        """One page of comments, the newest unless ?kommentare= asks for another."""
        paginator = Paginator(selectors.comments(initiative), selectors.COMMENTS_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("kommentare") or paginator.num_pages)
        return {
            "comments": page.object_list,
            "comment_page": page,
            "comment_count": paginator.count,
        }


class CommentLinkView(MemberAccessMixin, View):
    """A comment's lasting address (digests link here): to its page and anchor."""

    def load_object(self, **kwargs):
        self.comment = get_object_or_404(Comment, pk=kwargs["pk"])

    def get(self, request, *args, **kwargs):
        return redirect(selectors.comment_url(self.comment))


# Propose and edit


class InitiativeCreateView(MemberAccessMixin, FormView):
    template_name = "initiatives/initiative_form.html"
    form_class = InitiativeForm

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
        slug = prefill.cleaned_data["area"]
        area = Area.objects.filter(slug=slug).first() if slug else None
        product = " ".join(prefill.cleaned_data["product"].split())
        if area and product:
            return selectors.proposal_from_shared_product(area=area, product=product)
        return {"area": area} if area else {}

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
            _("Ihr Vorschlag ist gespeichert. Aktiv wird er, sobald zwei Partner zusagen."),
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

    def test_func(self):
        return permissions.can_withdraw(self.request.user, self.initiative)

    def post(self, request, *args, **kwargs):
        try:
            services.initiative_withdraw(initiative=self.initiative, actor=request.user)
        except ValidationError as error:
            _error_message(request, error)
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
            _error_message(request, error)
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
            _error_message(request, error)
            return self.to_detail()
        messages.success(
            request,
            _("Für %(partner)s gilt jetzt: %(stage)s.")
            % {"partner": participation.partner, "stage": participation.get_stage_display()},
        )
        if was_proposal and participation.initiative.status == Initiative.Status.ACTIVE:
            messages.success(request, _("Zwei Partner haben zugesagt: Die Initiative ist aktiv."))
        return self.to_detail()


class FollowView(InitiativeObjectMixin, View):
    def post(self, request, *args, **kwargs):
        form = FollowForm(request.POST)
        if form.is_valid() and form.cleaned_data["follow"]:
            services.follow(initiative=self.initiative, user=request.user)
            messages.success(request, _("Sie folgen dieser Initiative."))
        elif form.is_valid():
            services.unfollow(initiative=self.initiative, user=request.user)
            messages.success(request, _("Sie folgen dieser Initiative nicht mehr."))
        else:
            messages.error(request, _("Bitte wählen Sie „Folgen“ oder „Nicht mehr folgen“."))
        return self.to_detail()


# Discuss


class CommentCreateView(InitiativeObjectMixin, View):
    def post(self, request, *args, **kwargs):
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                comment = services.comment_add(
                    initiative=self.initiative,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    form_token=form.cleaned_data["form_token"],
                )
            except ValidationError as error:
                _error_message(request, error)
            else:
                messages.success(request, _("Ihr Kommentar ist veröffentlicht."))
                return redirect(selectors.comment_url(comment))
        # Show the form again with the text and the error: nothing typed is lost.
        detail = InitiativeDetailView(request=request, kwargs={"pk": self.initiative.pk})
        detail.object = self.initiative
        context = detail.get_context_data(comment_form=form)
        return detail.render_to_response(context, status=400)


class CommentMixin(MemberAccessMixin):
    def load_object(self, **kwargs):
        self.comment = get_object_or_404(
            Comment.objects.select_related("initiative"), pk=kwargs["pk"]
        )

    def test_func(self):
        return permissions.can_change_comment(self.request.user, self.comment)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            comment=self.comment, initiative=self.comment.initiative, **kwargs
        )


class CommentUpdateView(CommentMixin, FormView):
    template_name = "initiatives/comment_form.html"
    form_class = CommentForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Comment(body=self.comment.body)}

    def form_valid(self, form):
        services.comment_edit(
            comment=self.comment, editor=self.request.user, body=form.cleaned_data["body"]
        )
        messages.success(self.request, _("Ihr Kommentar ist geändert."))
        return redirect(selectors.comment_url(self.comment))


class CommentDeleteView(CommentMixin, TemplateView):
    template_name = "initiatives/comment_confirm_delete.html"

    def post(self, request, *args, **kwargs):
        services.comment_delete(comment=self.comment, actor=request.user)
        messages.success(request, _("Ihr Kommentar ist gelöscht."))
        return redirect("initiatives:initiative_detail", pk=self.comment.initiative_id)


# Common ground: the inventory of solutions and where it overlaps


class CommonGroundView(MemberAccessMixin, TemplateView):
    template_name = "initiatives/common_ground.html"
    partners_per_page = 25

    def get_context_data(self, **kwargs):
        partners = Partner.objects.members().order_by("name")
        page = Paginator(partners, self.partners_per_page).get_page(self.request.GET.get("page"))
        ground = selectors.common_ground(page.object_list)
        rows = [
            (partner, [ground.cells.get(partner.pk, {}).get(area.pk, []) for area in ground.areas])
            for partner in page.object_list
        ]
        return super().get_context_data(
            areas=ground.areas,
            rows=rows,
            shared=[(area, ground.shared.get(area.pk, [])) for area in ground.areas],
            page_obj=page,
            can_propose=permissions.can_propose(self.request.user),
            **kwargs,
        )


class SolutionListView(MemberAccessMixin, ListView):
    """The solutions the person's own partner runs, with the form to record another."""

    template_name = "initiatives/solution_list.html"
    context_object_name = "solutions"
    paginate_by = 50

    def test_func(self):
        return permissions.can_record_solutions(self.request.user)

    def get_queryset(self):
        return Solution.objects.filter(partner=self.request.user.partner).select_related("area")

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=kwargs.pop("form", None) or SolutionForm(), **kwargs)

    def post(self, request, *args, **kwargs):
        form = SolutionForm(request.POST)
        if form.is_valid():
            try:
                solution = services.solution_record(recorded_by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("„%(product)s“ ist erfasst.") % {"product": solution.product}
                )
                return redirect("initiatives:solution_list")
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)


class SolutionMixin(MemberAccessMixin):
    def load_object(self, **kwargs):
        self.solution = get_object_or_404(
            Solution.objects.select_related("area", "partner"), pk=kwargs["pk"]
        )

    def test_func(self):
        return permissions.can_change_solution(self.request.user, self.solution)

    def get_context_data(self, **kwargs):
        return super().get_context_data(solution=self.solution, **kwargs)


class SolutionUpdateView(SolutionMixin, FormView):
    template_name = "initiatives/solution_form.html"
    form_class = SolutionForm

    def get_form_kwargs(self):
        instance = Solution(
            area=self.solution.area,
            product=self.solution.product,
            vendor=self.solution.vendor,
            notes=self.solution.notes,
        )
        return {**super().get_form_kwargs(), "instance": instance}

    def form_valid(self, form):
        try:
            services.solution_update(
                solution=self.solution, editor=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Die Lösung ist geändert."))
        return redirect("initiatives:solution_list")


class SolutionDeleteView(SolutionMixin, TemplateView):
    template_name = "initiatives/solution_confirm_delete.html"

    def post(self, request, *args, **kwargs):
        services.solution_delete(solution=self.solution, actor=request.user)
        messages.success(
            request, _("„%(product)s“ ist gelöscht.") % {"product": self.solution.product}
        )
        return redirect("initiatives:solution_list")
