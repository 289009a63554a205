import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from initiatives.models import Initiative, Participation, Solution


class InitiativeForm(forms.ModelForm):
    class Meta:
        model = Initiative
        fields = ["title", "summary", "description", "area", "ozg_reference", "target_date"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 10}),
            "target_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean_target_date(self):
        target_date = self.cleaned_data["target_date"]
        changed = "target_date" in self.changed_data
        if target_date and changed and target_date < timezone.localdate():
            raise forms.ValidationError(_("Das Zieldatum liegt in der Vergangenheit."))
        return target_date


class ProposalPrefillForm(forms.Form):
    """The pre-fill of a proposal from its address, checked before any query: from the
    common-ground page (?area=<slug>&product=<name>), or from any page that suggests one
    (?title=…&summary=…&description=…, e.g. an answered joint position)."""

    area = forms.SlugField(max_length=60, required=False)
    product = forms.CharField(max_length=150, required=False)
    title = forms.CharField(max_length=200, required=False)
    summary = forms.CharField(max_length=500, required=False)
    description = forms.CharField(max_length=2000, required=False, strip=False)


class StageForm(forms.Form):
    stage = forms.ChoiceField(choices=Participation.Stage.choices)


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (Initiative.Status.PAUSED, _("Pausieren")),
            (Initiative.Status.ACTIVE, _("Fortsetzen")),
            (Initiative.Status.COMPLETED, _("Abschließen")),
        ]
    )


class FollowForm(forms.Form):
    follow = forms.TypedChoiceField(
        choices=[("1", "folgen"), ("0", "nicht mehr folgen")], coerce=lambda value: value == "1"
    )


class CommentForm(forms.Form):
    """A comment on anything discussed (initiatives.discussion). Empty on every detail page:
    its field group is rendered once per process (kooperation.forms.KernBoundField); the new
    token each time is a hidden field, rendered apart."""

    remember_field_groups = True

    body = forms.CharField(
        label=_("Ihr Kommentar"),
        help_text=_("Markdown ist möglich. Höchstens 5.000 Zeichen."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # A new token with every empty form; sent twice, the form makes one comment.
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)


class SolutionForm(forms.ModelForm):
    class Meta:
        model = Solution
        fields = ["area", "product", "vendor", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
