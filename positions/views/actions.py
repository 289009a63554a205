"""The steps of a position, each a POST from its detail page: open for co-signing, decide,
send, record the answer, publish, withdraw. A GET changes nothing (405)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views import View

from initiatives.views.access import error_message
from positions import services
from positions.forms import AnswerForm, DecisionForm, OpenForm, SendForm
from positions.views.access import PositionObjectMixin


class ActionView(LoginRequiredMixin, PositionObjectMixin, View):
    form_class = None
    success = ""

    def act(self, data: dict):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST) if self.form_class else None
        if form is not None and not form.is_valid():
            return self.form_again(form)
        try:
            self.act(form.cleaned_data if form else {})
        except ValidationError as error:
            if form is not None and hasattr(error, "error_dict"):
                form.add_error(None, error)
                return self.form_again(form)
            error_message(request, error)
        else:
            messages.success(request, self.success)
        return self.to_detail()

    def form_again(self, form):
        """The detail page with the form as it was sent and its errors: nothing typed is lost."""
        from positions.views.pages import PositionDetailView, detail_context

        context = detail_context(self.request, self.position, **{self.form_name: form})
        return TemplateResponse(self.request, PositionDetailView.template_name, context, status=400)


class OpenView(ActionView):
    form_class, form_name = OpenForm, "open_form"
    success = _("Die Position ist zur Mitzeichnung geöffnet.")

    def act(self, data):
        services.position_open(position=self.position, actor=self.request.user, **data)


class DecideView(ActionView):
    form_class, form_name = DecisionForm, "decision_form"
    success = _("Ihre Entscheidung ist gespeichert.")

    def act(self, data):
        services.cosignature_decide(position=self.position, actor=self.request.user, **data)


class SendView(ActionView):
    form_class, form_name = SendForm, "send_form"
    success = _("Die Position ist versandt; das Schreiben ist gespeichert.")

    def act(self, data):
        services.position_send(position=self.position, actor=self.request.user, **data)


class AnswerView(ActionView):
    form_class, form_name = AnswerForm, "answer_form"
    success = _("Die Antwort ist erfasst.")

    def act(self, data):
        services.answer_record(position=self.position, actor=self.request.user, **data)


class PublishView(ActionView):
    success = _("Die Position ist veröffentlicht.")

    def act(self, data):
        services.position_publish(position=self.position, actor=self.request.user)


class WithdrawView(ActionView):
    success = _("Die Position ist zurückgezogen.")

    def act(self, data):
        services.position_withdraw(position=self.position, actor=self.request.user)
