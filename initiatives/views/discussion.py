"""The discussion of a subject – an initiative here, a position in positions.views – as views
that read everything subject-specific from their `discussion` (initiatives.discussion): writing,
editing and deleting comments, their lasting addresses, following."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from initiatives import discussion as shared
from initiatives import permissions
from initiatives.discussion import INITIATIVES, Discussion
from initiatives.forms import CommentForm, FollowForm
from initiatives.views.access import MemberAccessMixin, error_message
from initiatives.views.initiatives import (
    InitiativeDetailView,
    InitiativeObjectMixin,
    detail_context,
)


class CommentLinkView(MemberAccessMixin, View):
    """A comment's lasting address (digests link here): to its page and anchor."""

    discussion: Discussion = INITIATIVES

    def load_object(self, **kwargs):
        self.comment = get_object_or_404(self.discussion.comment_model, pk=kwargs["pk"])

    def get(self, request, *args, **kwargs):
        return redirect(shared.comment_url(self.discussion, self.comment))


class CommentCreateBase(View):
    """Comment on the subject the subject's mixin loaded (`subject()`); with an error, its
    page again with the form as it was sent: nothing typed is lost."""

    discussion: Discussion

    def subject(self):
        raise NotImplementedError

    def page_with_form(self, form):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                comment = shared.comment_add(
                    discussion=self.discussion,
                    subject=self.subject(),
                    author=request.user,
                    body=form.cleaned_data["body"],
                    form_token=form.cleaned_data["form_token"],
                )
            except ValidationError as error:
                error_message(request, error)
            else:
                messages.success(request, _("Ihr Kommentar ist veröffentlicht."))
                return redirect(shared.comment_url(self.discussion, comment))
        return self.page_with_form(form)


class FollowBaseView(View):
    """Follow the subject or stop following it, back to its page."""

    discussion: Discussion
    followed = ""
    unfollowed = ""

    def post(self, request, *args, **kwargs):
        form = FollowForm(request.POST)
        subject = self.subject()
        if form.is_valid() and form.cleaned_data["follow"]:
            shared.follow(discussion=self.discussion, subject=subject, user=request.user)
            messages.success(request, self.followed)
        elif form.is_valid():
            shared.unfollow(discussion=self.discussion, subject=subject, user=request.user)
            messages.success(request, self.unfollowed)
        else:
            messages.error(request, _("Bitte wählen Sie „Folgen“ oder „Nicht mehr folgen“."))
        return self.to_detail()


class CommentMixin(MemberAccessMixin):
    discussion: Discussion = INITIATIVES

    def load_object(self, **kwargs):
        self.comment = get_object_or_404(
            self.discussion.comment_model.objects.select_related(self.discussion.subject_field),
            pk=kwargs["pk"],
        )

    refusal = permissions.REFUSED_CHANGE_COMMENT

    def test_func(self):
        return permissions.can_change_comment(self.request.user, self.comment)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            comment=self.comment,
            subject=getattr(self.comment, self.discussion.subject_field),
            comment_urls=self.discussion.namespace,
            **kwargs,
        )


class CommentUpdateView(CommentMixin, FormView):
    template_name = "discussion/comment_form.html"
    form_class = CommentForm

    def get_initial(self):
        return {"body": self.comment.body}

    def form_valid(self, form):
        shared.comment_edit(
            comment=self.comment, editor=self.request.user, body=form.cleaned_data["body"]
        )
        messages.success(self.request, _("Ihr Kommentar ist geändert."))
        return redirect(shared.comment_url(self.discussion, self.comment))


class CommentDeleteView(CommentMixin, TemplateView):
    template_name = "discussion/comment_confirm_delete.html"

    def post(self, request, *args, **kwargs):
        shared.comment_delete(comment=self.comment, actor=request.user)
        messages.success(request, _("Ihr Kommentar ist gelöscht."))
        return redirect(self.discussion.detail_url, pk=self.discussion.subject_id(self.comment))


# The initiatives' discussion


class CommentCreateView(InitiativeObjectMixin, CommentCreateBase):
    discussion = INITIATIVES

    def subject(self):
        return self.initiative

    def page_with_form(self, form):
        return TemplateResponse(
            self.request,
            InitiativeDetailView.template_name,
            detail_context(self.request, self.initiative, comment_form=form),
            status=400,
        )


class FollowView(InitiativeObjectMixin, FollowBaseView):
    discussion = INITIATIVES
    followed = _lazy("Sie folgen dieser Initiative.")
    unfollowed = _lazy("Sie folgen dieser Initiative nicht mehr.")

    def subject(self):
        return self.initiative
