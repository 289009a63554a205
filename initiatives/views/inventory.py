"""The inventory of solutions each partner runs, and the common ground where it overlaps."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView

from initiatives import common_ground, permissions, services
from initiatives.forms import SolutionForm
from initiatives.models import Solution
from initiatives.views.access import MemberAccessMixin
from partners.models import Partner


class CommonGroundView(MemberAccessMixin, TemplateView):
    template_name = "initiatives/common_ground.html"
    partners_per_page = 25

    def get_context_data(self, **kwargs):
        partners = Partner.objects.members().order_by("name")
        page = Paginator(partners, self.partners_per_page).get_page(self.request.GET.get("page"))
        ground = common_ground.common_ground(page.object_list, self.request)
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

    refusal = permissions.REFUSED_RECORD_SOLUTION

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

    refusal = permissions.REFUSED_CHANGE_SOLUTION

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
