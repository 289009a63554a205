from collections.abc import Callable

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from partners import permissions, services
from partners.forms import (
    ApplicationForm,
    PartnerSearchForm,
    SignatureForm,
    VoteForm,
    decision_text,
)
from partners.http import redirect_back
from partners.models import AgreementVersion, Application, Partner
from partners.selectors import agreement_changes, partner_directory
from partners.tokens import application_id_from_confirm_token, application_id_from_withdraw_token


class PartnerListView(ListView):
    template_name = "partners/partner_list.html"
    paginate_by = 50
    context_object_name = "partners"

    def get_queryset(self):
        search = PartnerSearchForm(self.request.GET)
        if search.is_valid():
            self.query = search.cleaned_data["q"]
        else:
            self.query = ""
            messages.warning(
                self.request,
                _("Der Suchbegriff ist ungültig und bleibt unberücksichtigt: %(errors)s")
                % {"errors": " ".join(search.errors.get("q", []))},
            )
        return partner_directory(query=self.query)

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, **kwargs)


class PartnerDetailView(DetailView):
    template_name = "partners/partner_detail.html"
    context_object_name = "partner"

    def get_queryset(self):
        return Partner.objects.with_department_heads()


# Joining


class ApplicationCreateView(FormView):
    template_name = "partners/application_form.html"
    form_class = ApplicationForm

    def form_valid(self, form):
        if not form.claim_once():
            form.add_error(
                None,
                _(
                    "Dieses Formular wurde bereits abgeschickt. Ihr Antrag ist eingegangen; "
                    "bitte sehen Sie in Ihrem Postfach nach der Bestätigungs-E-Mail."
                ),
            )
            return self.form_invalid(form)
        # Per IP and per contact address (ACCOUNT_RATE_LIMITS["join_application"]): each
        # application sends e-mails, one of them to the address typed in.
        local, _at, domain = form.cleaned_data["contact_email"].lower().rpartition("@")
        mailbox = f"{local.split('+', 1)[0]}@{domain}"  # name+1@… is the same mailbox
        if not ratelimit.consume(self.request, action="join_application", key=mailbox):
            form.release()
            return ratelimit.respond_429(self.request)
        data = {name: form.cleaned_data[name] for name in ApplicationForm.Meta.fields}
        try:
            application = services.application_submit(**data)
        except ValidationError as error:
            form.release()
            form.add_error(None, error)
            return self.form_invalid(form)
        self.request.session["submitted_application"] = application.pk
        return redirect("partners:application_submitted")


class ApplicationSubmittedView(TemplateView):
    template_name = "partners/application_submitted.html"

    def get_context_data(self, **kwargs):
        pk = self.request.session.get("submitted_application")
        application = Application.objects.filter(pk=pk).first() if pk else None
        return super().get_context_data(application=application, **kwargs)


class ApplicationAccessMixin(LoginRequiredMixin, UserPassesTestMixin):
    def test_func(self):
        return permissions.can_see_applications(self.request.user)

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise PermissionDenied(
                _(
                    "Über Beitritte stimmen die Dezernentinnen und Dezernenten der "
                    "Mitgliedspartner ab; deshalb sehen nur sie die Beitrittsanträge. Möchten Sie "
                    "zu einem Antrag etwas beitragen, wenden Sie sich bitte an die Dezernentin "
                    "oder den Dezernenten Ihres Partners."
                )
            )
        return super().handle_no_permission()


class ApplicationListView(ApplicationAccessMixin, ListView):
    template_name = "partners/application_list.html"
    context_object_name = "applications"
    paginate_by = 25

    def get_queryset(self):
        return Application.objects.confirmed().open_first().with_votes()


class ApplicationDetailView(ApplicationAccessMixin, DetailView):
    template_name = "partners/application_detail.html"
    context_object_name = "application"

    def get_queryset(self):
        return (
            Application.objects.confirmed()
            .with_votes()
            .prefetch_related("events__partner", "events__actor")
        )

    def get_context_data(self, **kwargs):
        application = self.object
        user = self.request.user
        can_vote = permissions.can_vote_on(user, application)
        own_vote = next(
            (vote for vote in application.votes.all() if vote.partner_id == user.partner_id), None
        )
        initial = (
            {"approve": "yes" if own_vote.approve else "no", "comment": own_vote.comment}
            if own_vote
            else None
        )
        vote_form = kwargs.pop("vote_form", None)
        if vote_form is None and can_vote:
            vote_form = VoteForm(
                initial=initial, application=application, partner_id=user.partner_id
            )
        return super().get_context_data(
            can_vote=can_vote,
            own_vote=own_vote,
            vote_form=vote_form,
            electorate_votes=_electorate_votes(application),
            **kwargs,
        )


def _electorate_votes(application):
    """(partner, its vote or None) for every partner entitled to vote."""
    votes = {vote.partner_id: vote for vote in application.votes.all()}
    return [(partner, votes.get(partner.pk)) for partner in application.electorate.all()]


class ApplicationVoteView(ApplicationDetailView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not self.object.is_pending:
            messages.error(request, _("Über diesen Antrag ist bereits entschieden."))
            return redirect("partners:application_detail", pk=self.object.pk)
        if not permissions.can_vote_on(request.user, self.object):
            raise PermissionDenied(
                _(
                    "Nur die Dezernentin oder der Dezernent eines stimmberechtigten Partners "
                    "stimmt ab."
                )
            )
        form = VoteForm(request.POST, application=self.object, partner_id=request.user.partner_id)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(vote_form=form), status=400)
        try:
            services.application_vote(
                application=self.object,
                voter=request.user,
                approve=form.cleaned_data["approve"],
                comment=form.cleaned_data["comment"],
                decision_confirmed=form.cleaned_data.get("confirm_decision", False),
            )
        except ValidationError as error:
            if error.code != "decision_unconfirmed":
                messages.error(request, " ".join(error.messages))
                return redirect("partners:application_detail", pk=self.object.pk)
            # Another vote came in since the form was shown: this one decides now.
            self.object = self.get_object()
            form = VoteForm(
                request.POST, application=self.object, partner_id=request.user.partner_id
            )
            form.is_valid()
            if "confirm_decision" not in form.errors:
                form.add_error(None, error)
            return self.render_to_response(self.get_context_data(vote_form=form), status=400)
        decided = Application.objects.select_related("admitted_partner").get(pk=self.object.pk)
        saved = _("Ihre Stimme für %(partner)s ist gespeichert.") % {
            "partner": request.user.partner
        }
        if decided.status in (Application.Status.ADMITTED, Application.Status.REJECTED):
            saved = f"{saved} {decision_text(decided, decided.status)}"
        messages.success(request, saved)
        return redirect_back(request, "partners:application_detail", pk=self.object.pk)


class ApplicationLinkView(TemplateView):
    """A signed link from an e-mail to the applicant, who has no account: the page shows the
    application; only its form (POST) changes anything, so a mail scanner following links
    changes nothing."""

    # Each link reads its own kind of token (tokens.py): the application's id, or None.
    application_id: Callable[[str], int | None]

    def dispatch(self, request, *args, **kwargs):
        pk = self.application_id(kwargs["token"])
        if pk is None:
            raise Http404(_("Dieser Link ist ungültig oder abgelaufen."))
        self.application = get_object_or_404(Application, pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(application=self.application, **kwargs)


class ApplicationConfirmView(ApplicationLinkView):
    """The link in the receipt: the applicant confirms the address."""

    template_name = "partners/application_confirm.html"
    application_id = staticmethod(application_id_from_confirm_token)

    def post(self, request, *args, **kwargs):
        try:
            services.application_confirm(application=self.application)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except IntegrityError:
            messages.error(
                request,
                _("Zu diesem amtlichen Schlüssel liegt bereits ein offener Beitrittsantrag vor."),
            )
        else:
            messages.success(
                request,
                _("Danke, Ihre Adresse ist bestätigt. Die Partner stimmen nun über den Antrag ab."),
            )
        return redirect(request.path)


class ApplicationWithdrawView(ApplicationLinkView):
    template_name = "partners/application_withdraw.html"
    application_id = staticmethod(application_id_from_withdraw_token)

    def post(self, request, *args, **kwargs):
        try:
            services.application_withdraw(application=self.application)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Der Antrag ist zurückgezogen."))
        return redirect(request.path)


# The agreement


class AgreementView(TemplateView):
    template_name = "partners/agreement.html"

    def get_context_data(self, **kwargs):
        versions = AgreementVersion.objects.order_by("-created_at", "-pk")
        if not permissions.can_manage_agreement(self.request.user):
            versions = versions.exclude(status=AgreementVersion.Status.DRAFT)
        current = AgreementVersion.objects.in_force().with_parties().select_related("previous")
        current = current.first()
        return super().get_context_data(
            current=current,
            changes=agreement_changes(current) if current else None,
            versions=versions[:50],
            **kwargs,
        )


class AgreementVersionView(DetailView):
    template_name = "partners/agreement_version.html"
    context_object_name = "version"

    def get_queryset(self):
        versions = AgreementVersion.objects.with_parties().select_related("previous")
        if not permissions.can_manage_agreement(self.request.user):
            versions = versions.exclude(status=AgreementVersion.Status.DRAFT)
        return versions

    def get_context_data(self, **kwargs):
        can_manage = permissions.can_manage_agreement(self.request.user)
        signature_form = kwargs.pop("signature_form", None)
        if (
            signature_form is None
            and can_manage
            and self.object.status == AgreementVersion.Status.IN_SIGNATURE
        ):
            signature_form = SignatureForm(version=self.object)
        return super().get_context_data(
            changes=agreement_changes(self.object),
            can_manage=can_manage,
            signature_form=signature_form,
            **kwargs,
        )


class AgreementManageMixin(UserPassesTestMixin):
    permission_denied_message = _lazy(
        "Fassungen der Vereinbarung gibt die Geschäftsstelle zur Unterzeichnung frei und trägt "
        "die Unterschriften ein. Eine unterschriebene Fassung senden Sie bitte an die "
        "Geschäftsstelle."
    )

    def test_func(self):
        return permissions.can_manage_agreement(self.request.user)


class AgreementSendForSignatureView(AgreementManageMixin, View):
    def post(self, request, pk):
        version = get_object_or_404(AgreementVersion, pk=pk)
        try:
            services.agreement_send_for_signature(version=version)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Die Fassung ist zur Unterzeichnung freigegeben."))
        return redirect("partners:agreement_version", pk=pk)


class AgreementSignView(AgreementManageMixin, AgreementVersionView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = SignatureForm(request.POST, version=self.object)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(signature_form=form), status=400)
        party = form.cleaned_data["party"]
        try:
            services.agreement_sign(
                version=self.object,
                partner=party.partner,
                signatory_name=form.cleaned_data["signatory_name"],
                signatory_role=form.cleaned_data["signatory_role"],
                signed_on=form.cleaned_data["signed_on"],
                recorded_by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Die Unterschrift von %(partner)s ist erfasst.") % {"partner": party.partner},
            )
        return redirect(reverse("partners:agreement_version", args=[self.object.pk]))
