"""The discussion of an initiative: comments and their lasting addresses."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from initiatives import permissions, selectors, services
from initiatives.forms import CommentForm
from initiatives.models import Comment
from initiatives.views.access import MemberAccessMixin, error_message
from initiatives.views.initiatives import (
    InitiativeDetailView,
    InitiativeObjectMixin,
    detail_context,
)


class CommentLinkView(MemberAccessMixin, View):
    """A comment's lasting address (digests link here): to its page and anchor."""

    def load_object(self, **kwargs):
        self.comment = get_object_or_404(Comment, pk=kwargs["pk"])

    def get(self, request, *args, **kwargs):
        return redirect(selectors.comment_url(self.comment))


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
                error_message(request, error)
            else:
                messages.success(request, _("Ihr Kommentar ist veröffentlicht."))
                return redirect(selectors.comment_url(comment))
        # Show the form again with the text and the error: nothing typed is lost.
        return TemplateResponse(
            request,
            InitiativeDetailView.template_name,
            detail_context(request, self.initiative, comment_form=form),
            status=400,
        )


class CommentMixin(MemberAccessMixin):
    def load_object(self, **kwargs):
        self.comment = get_object_or_404(
            Comment.objects.select_related("initiative"), pk=kwargs["pk"]
        )

    refusal = permissions.REFUSED_CHANGE_COMMENT

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
