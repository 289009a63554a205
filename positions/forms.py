import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative
from positions.models import Answer, Position


class InitiativeNumbersField(forms.CharField):
    """Linked initiatives by their numbers (as in their address), checked against the database –
    only those asked for: no list of every initiative on the form."""

    def clean(self, value):
        value = super().clean(value)
        numbers = [int(n) for n in re.findall(r"\d{1,9}", value or "")]
        if re.sub(r"[\d\s,;]", "", value or ""):
            raise ValidationError(_("Bitte nur Nummern von Initiativen, durch Komma getrennt."))
        found = list(Initiative.objects.filter(pk__in=numbers).order_by("pk"))
        missing = sorted(set(numbers) - {i.pk for i in found})
        if missing:
            raise ValidationError(
                _("Diese Initiativen gibt es nicht: %(numbers)s")
                % {"numbers": ", ".join(map(str, missing))}
            )
        return found

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(getattr(item, "pk", item)) for item in value)
        return value


class PositionForm(forms.ModelForm):
    initiatives = InitiativeNumbersField(
        label=_("Verknüpfte Initiativen"),
        required=False,
        max_length=200,
        help_text=_("Nummern aus der Adresse der Initiativen, z. B. 12, 40."),
    )

    class Meta:
        model = Position
        fields = ["title", "addressees", "occasion", "areas", "text"]
        widgets = {
            "addressees": forms.CheckboxSelectMultiple,
            "areas": forms.CheckboxSelectMultiple,
            "occasion": forms.TextInput,
            "text": forms.Textarea(attrs={"rows": 16}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["initiatives"] = list(self.instance.initiatives.all())


class OpenForm(forms.Form):
    deadline = forms.DateField(
        label=_("Frist der Mitzeichnung"), widget=forms.DateInput(attrs={"type": "date"})
    )


class DecisionForm(forms.Form):
    signs = forms.TypedChoiceField(
        label=_("Entscheidung"),
        choices=[("1", _("Zeichnet mit")), ("0", _("Zeichnet nicht mit"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Begründung (freiwillig)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SendForm(forms.Form):
    via = forms.ChoiceField(
        label=_("Versand"), choices=Position.SentVia.choices, widget=forms.RadioSelect
    )
    sent_on = forms.DateField(
        label=_("Versandt am (bei Versand von Hand)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("via") and data["via"] != Position.SentVia.EMAIL and not data.get("sent_on"):
            self.add_error("sent_on", _("Bitte geben Sie an, wann es versandt wurde."))
        return data


class AnswerForm(forms.ModelForm):
    class Meta:
        model = Answer
        fields = ["received_on", "reference", "summary"]
        widgets = {
            "received_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate
