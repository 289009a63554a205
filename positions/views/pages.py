"""The pages of positions: the list, a position, drafting and editing, versions, the letter."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from initiatives.discussion import discussion_context
from initiatives.pagination import IdsFirstPaginator
from initiatives.permissions import can_propose as can_propose_initiative
from positions import permissions, selectors, services
from positions.discussion import POSITIONS
from positions.filters import PositionFilter
from positions.forms import AnswerForm, DecisionForm, OpenForm, PositionForm, SendForm
from positions.models import CoSignature, Position
from positions.views.access import MemberAccessMixin, PositionObjectMixin


class PositionListView(ListView):
    """Everyone: visitors see the published positions, members and the office all."""

    template_name = "positions/position_list.html"
    context_object_name = "positions"
    paginate_by = 20
    paginator_class = IdsFirstPaginator

    def get(self, request, *args, **kwargs):
        self.filterset = PositionFilter.of_request(request)
        if self.filterset.invalid:
            messages.warning(request, _("Ungültige Filterangaben sind nicht berücksichtigt."))
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if self.filterset.invalid:
            return self.filterset.queryset.order_by("-created_at", "-id")
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter_form=self.filterset.form,
            filter_query=query.urlencode(),
            is_filtered=bool(query),
            can_propose=permissions.can_propose(self.request.user),
            **kwargs,
        )


def _form(sent: dict, name: str, form_class, allowed: bool):
    """The form as it was sent, else an empty one for who may use it, else None."""
    return sent.get(name) or (form_class() if allowed else None)


def detail_context(request, position: Position, **forms) -> dict:
    """What the detail page shows of `position` to the person asking, with the action forms it
    may use – also after a form that could not be saved, as it was sent (`forms`)."""
    user = request.user
    rows = selectors.cosignatures(position)
    partner_id = getattr(user, "partner_id", None)
    own = next((row for row in rows if partner_id and row.partner_id == partner_id), None)
    can_send = permissions.can_send(user, position)
    answer = getattr(position, "answer", None) if position.status == "answered" else None
    # The discussion is the members' and the office's, not the visitors' (even when published).
    discussion = (
        discussion_context(POSITIONS, request, position, comment_form=forms.get("comment_form"))
        if permissions.can_browse(user)
        else {}
    )
    return {
        **discussion,
        "shows_discussion": bool(discussion),
        "position": position,
        "addressees": list(position.addressees.all()),
        "areas": list(position.areas.all()),
        "initiatives": list(position.initiatives.only("pk", "title")),
        "cosignatures": [row for row in rows if row.decision != CoSignature.Decision.OPEN],
        "own_cosignature": own,
        "undecided": list(selectors.undecided_members(position).values_list("name", flat=True))
        if position.status == Position.Status.COSIGNING and permissions.can_browse(user)
        else [],
        "events": selectors.timeline(position),
        # With the position's key: the related manager reads it from each row, a deferred
        # column would cost one query per version.
        "versions": list(position.versions.only("pk", "number", "position"))
        if permissions.can_browse(user)
        else [],
        "answer": answer,
        "initiative_proposal_url": selectors.initiative_proposal_url(position, answer)
        if answer and can_propose_initiative(user)
        else None,
        "can_edit": permissions.can_edit(user, position),
        "can_withdraw": permissions.can_withdraw(user, position),
        "can_publish": permissions.can_publish(user, position),
        "open_form": _form(forms, "open_form", OpenForm, permissions.can_open(user, position)),
        "decision_form": _form(
            forms, "decision_form", DecisionForm, permissions.can_decide(user, position)
        ),
        "send_form": _form(forms, "send_form", SendForm, can_send),
        "send_refusal": selectors.send_refusal(position) if can_send else None,
        "answer_form": _form(
            forms, "answer_form", AnswerForm, permissions.can_record_answer(user, position)
        ),
    }


class PositionDetailView(PositionObjectMixin, TemplateView):
    template_name = "positions/position_detail.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **detail_context(self.request, self.position)}


class PositionCreateView(MemberAccessMixin, FormView):
    template_name = "positions/position_form.html"
    form_class = PositionForm

    refusal = permissions.REFUSED_PROPOSE

    def test_func(self):
        return permissions.can_propose(self.request.user)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            position = services.position_propose(proposer=self.request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Der Entwurf ist gespeichert."))
        return redirect("positions:position_detail", pk=position.pk)


class PositionUpdateView(PositionObjectMixin, MemberAccessMixin, FormView):
    template_name = "positions/position_form.html"
    form_class = PositionForm

    refusal = permissions.REFUSED_EDIT

    def test_func(self):
        return permissions.can_edit(self.request.user, self.position)

    def get_form_kwargs(self):
        instance = Position.objects.get(pk=self.position.pk)
        return {**super().get_form_kwargs(), "instance": instance}

    def form_valid(self, form):
        try:
            services.position_update(
                position=self.position, editor=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Ihre Änderungen sind gespeichert."))
        return self.to_detail()


class VersionsView(PositionObjectMixin, MemberAccessMixin, TemplateView):
    """Two versions compared, word by word (?von=1&bis=3; by default the last two)."""

    template_name = "positions/position_versions.html"

    def get_context_data(self, **kwargs):
        versions = list(selectors.versions(self.position))
        by_number = {version.number: version for version in versions}
        try:
            before = by_number[int(self.request.GET.get("von", len(versions) - 1))]
            after = by_number[int(self.request.GET.get("bis", len(versions)))]
        except (KeyError, ValueError):
            before = after = None
        return super().get_context_data(
            versions=versions,
            before=before,
            after=after,
            changes=selectors.version_changes(before, after) if before and after else [],
            **kwargs,
        )


class LetterView(PositionObjectMixin, View):
    """The letter exactly as it was sent: the stored bytes."""

    def get(self, request, *args, **kwargs):
        if not self.position.letter_sha256:
            raise Http404
        pdf = get_object_or_404(Position.objects.only("letter_pdf"), pk=self.position.pk)
        response = HttpResponse(bytes(pdf.letter_pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="position-{self.position.pk}.pdf"'
        response["X-Content-Type-Options"] = "nosniff"
        return response
