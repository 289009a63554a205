"""Every form of the portal, ours and allauth's, renders with the markup of KERN UX.

The renderer is set once in settings (FORM_RENDERER); the bound field adds KERN's class to each
widget, so templates need no per-field markup.
"""

from collections.abc import Hashable

from django import forms
from django.forms import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.translation import get_language
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

    def as_field_group(self):
        """The field with its label, hint and errors. A form that sets `remember_field_groups`
        (a filter form, rendered on every fresh list page and search with the same few values)
        renders each field group once per process for everything its HTML depends on: a field
        costs about 0.5 ms through the templates, a dictionary lookup afterwards (issue 20)."""
        if not getattr(self.form, "remember_field_groups", False):
            return super().as_field_group()
        key = self.field_group_key()
        html = _remembered_field_groups.get(key)
        if html is None:
            html = super().as_field_group()
            if len(str(self.value())) > REMEMBERED_VALUE_LENGTH:
                return html  # a long value from the address is rendered, never kept in memory
            if len(_remembered_field_groups) >= REMEMBERED_FIELD_GROUPS:
                _remembered_field_groups.clear()
            _remembered_field_groups[key] = html
        return html

    def field_group_key(self) -> Hashable:
        """What a field group's HTML depends on in a form of fixed fields (their required flags
        included): the language, the field's name, label, hint, widget and flat choices as
        given to this instance, its value and its errors."""
        field, widget = self.field, self.field.widget
        value = self.value()
        value = tuple(map(str, value)) if isinstance(value, list | tuple) else (type(value), value)
        return (
            type(self.form).__name__,
            get_language(),
            self.html_name,
            self.auto_id,
            str(self.label),
            str(self.help_text),
            type(widget),
            tuple(sorted((name, str(v)) for name, v in widget.attrs.items())),
            field.required,
            field.disabled,
            tuple((str(v), str(label)) for v, label in getattr(field, "choices", ())),
            value,
            tuple(map(str, self.errors)),
        )


# Field groups of forms that remember them (KernBoundField.as_field_group); cleared when full.
REMEMBERED_FIELD_GROUPS = 1024
# Values longer than this (typed into the address, not chosen) are not remembered.
REMEMBERED_VALUE_LENGTH = 200
_remembered_field_groups: dict[Hashable, str] = {}


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
