"""Every form of the portal, ours and allauth's, renders with the markup of KERN UX.

The renderer is set once in settings (FORM_RENDERER); the bound field adds KERN's class to each
widget, so templates need no per-field markup.
"""

from django import forms
from django.forms import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from kooperation.models import AccessibilityFeedback, DigestSetting, Frequency
from partners.models import User

_WIDGET_CLASSES = {
    "checkbox": "kern-form-check__checkbox",
    "radioselect": "kern-form-check__radio",
    "checkboxselectmultiple": "kern-form-check__checkbox",
    "select": "kern-form-input__select",
    "selectmultiple": "portal-select-multiple",  # KERN styles single selects only
    "nullbooleanselect": "kern-form-input__select",
}


class KernBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        css_class = _WIDGET_CLASSES.get(self.widget_type, "kern-form-input__input")
        if self.errors:
            css_class = f"{css_class} {css_class}--error"
        attrs["class"] = " ".join(filter(None, [attrs.get("class"), css_class]))
        return attrs


class KernFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = KernBoundField


class DigestSettingForm(forms.ModelForm):
    # Declared here: the model field's choices would add an empty "---------" radio button.
    frequency = forms.ChoiceField(
        label=_("Wie oft möchten Sie die Zusammenfassung erhalten?"),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = DigestSetting
        fields = ["frequency", "areas"]
        widgets = {"areas": forms.CheckboxSelectMultiple}


class ProfileForm(forms.ModelForm):
    """What people change about themselves; partner and role are the office's to set."""

    class Meta:
        model = User
        fields = ["name", "job_title"]
        labels = {"name": _("Ihr Name"), "job_title": _("Ihre Funktion")}
        help_texts = {"job_title": _("Zum Beispiel „Sachgebietsleitung Digitalisierung“.")}


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Ihr Passwort zur Bestätigung"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("Ja, ich möchte mein Konto endgültig löschen."),
        error_messages={"required": _("Bitte bestätigen Sie, dass Sie Ihr Konto löschen möchten.")},
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.person.check_password(password):
            raise forms.ValidationError(_("Das Passwort stimmt nicht."))
        return password


class AccessibilityFeedbackForm(forms.ModelForm):
    class Meta:
        model = AccessibilityFeedback
        fields = ["message", "page", "name", "email"]
        labels = {"page": _("Betroffene Seite (Adresse oder Name, falls bekannt)")}
        widgets = {"message": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"email": _("Freiwillig: nur wenn Sie eine Antwort möchten.")}
