import secrets

from allauth.account.adapter import get_adapter
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from partners import official_keys
from partners.models import AgreementParty, Application
from partners.selectors import address_owners, partner_for_email, vote_outcome, votes_to_decide
from partners.validators import (
    normalize_email_domains,
    normalize_official_key,
    validate_single_line,
)

_STARTED_SALT = "partners.application.form-started"
FORM_VALID_SECONDS = 24 * 60 * 60


class PartnerSearchForm(forms.Form):
    """The directory's search, checked before it reaches the database (CharField refuses NUL)."""

    q = forms.CharField(max_length=100, required=False)


class ApplicationForm(forms.ModelForm):
    """The public application to join, with spam protection that needs no third party:
    a field people do not see (bots fill it) and a minimum time to fill in the form."""

    homepage = forms.CharField(
        label=_("Bitte dieses Feld leer lassen"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        template_name="forms/honeypot_field.html",
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)
    # Room for the spaces and dots people group the digits with (0315 4000 0000).
    official_key = forms.CharField(label=_("Amtlicher Schlüssel"), max_length=20)

    class Meta:
        model = Application
        fields = [
            "name",
            "kind",
            "official_key",
            "website",
            "email_domains",
            "contact_name",
            "contact_email",
            "motivation",
        ]
        widgets = {"motivation": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "official_key": _(
                "Für einen Landkreis der Kreisschlüssel (5 Ziffern, z. B. 03154), für eine Stadt "
                "oder Gemeinde der Amtliche Gemeindeschlüssel (8 Ziffern, z. B. 03158037); der "
                "Regionalschlüssel (12 Ziffern) geht auch."
            ),
            "motivation": _("Warum möchte Ihre Kommune beitreten? Was bringt sie mit?"),
            "email_domains": _(
                "Die Domains der dienstlichen E-Mail-Adressen Ihrer Verwaltung, durch Komma "
                "getrennt, z. B. helmstedt.de, landkreis-helmstedt.de. Nach der Aufnahme können "
                "sich Ihre Mitarbeitenden damit registrieren, sobald die Geschäftsstelle die "
                "Domains bestätigt hat."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].assume_scheme = "https"
        self.fields["email_domains"].required = True
        if not self.is_bound:
            # The moment the form was shown, and a nonce: each form can be sent once.
            self.initial["started"] = signing.dumps(
                [timezone.now().timestamp(), secrets.token_hex(8)], salt=_STARTED_SALT
            )

    def clean_official_key(self):
        return official_keys.canonical(normalize_official_key(self.cleaned_data["official_key"]))

    def clean_email_domains(self):
        return normalize_email_domains(self.cleaned_data["email_domains"])

    def clean_homepage(self):
        if self.cleaned_data["homepage"]:
            raise forms.ValidationError(_("Dieses Feld muss leer bleiben."))
        return ""

    def clean_started(self):
        # The field is hidden: its errors concern the whole form, and Django would put the
        # field's internal name before a field error ("(Verstecktes Feld started) …").
        try:
            started, self.nonce = signing.loads(
                self.cleaned_data["started"], salt=_STARTED_SALT, max_age=FORM_VALID_SECONDS
            )
        except (signing.BadSignature, TypeError, ValueError):
            self.add_error(None, _("Das Formular ist abgelaufen. Bitte senden Sie es noch einmal."))
            return None
        if timezone.now().timestamp() - started < settings.JOIN_FORM_MIN_SECONDS:
            self.add_error(
                None,
                _("Das ging sehr schnell. Bitte prüfen Sie Ihre Angaben und senden Sie erneut."),
            )
        return started

    def claim_once(self) -> bool:
        """Marks this filled-in form as sent; False if it was sent before (a replay). The key
        is the signed nonce, not the field as sent: spaces around it make no new form."""
        return cache.add(f"partners:join-form-sent:{self.nonce}", True, FORM_VALID_SECONDS)

    def release(self) -> None:
        """The submission was refused: the same form may be corrected and sent again."""
        cache.delete(f"partners:join-form-sent:{self.nonce}")


class VoteForm(forms.Form):
    """A department head's vote. It states the rule; a vote that decides the application asks
    for a confirmation (the service checks it again under the application's lock)."""

    approve = forms.TypedChoiceField(
        label=_("Ihre Stimme für Ihren Partner"),
        choices=[("yes", _("Zustimmen")), ("no", _("Ablehnen"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm_decision = forms.BooleanField(
        label=_("Ich bestätige meine Stimme, auch wenn sie über den Antrag entscheidet."),
        required=False,
    )

    def __init__(self, *args, application, partner_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.application, self.partner_id = application, partner_id
        self.fields["approve"].help_text = rule_text(application)
        self.deciding = {
            approve: outcome
            for approve in (True, False)
            if (outcome := vote_outcome(application, partner_id=partner_id, approve=approve))
        }
        if self.deciding:
            self.fields["confirm_decision"].help_text = " ".join(
                decision_text(application, outcome, conditional=True)
                for outcome in self.deciding.values()
            )
        else:
            del self.fields["confirm_decision"]

    def clean(self):
        cleaned = super().clean()
        approve = cleaned.get("approve")
        if approve in self.deciding and not cleaned.get("confirm_decision"):
            self.add_error(
                "confirm_decision",
                _("%(consequence)s Bitte bestätigen Sie, dass Sie so entscheiden wollen.")
                % {"consequence": decision_text(self.application, self.deciding[approve])},
            )
        return cleaned


def rule_text(application: Application) -> str:
    """The rule of the application in a sentence, e.g. for unanimity "… Eine Ablehnung lehnt
    den Antrag ab."."""
    admit_at, reject_at = votes_to_decide(application)
    admit = ngettext(
        "Aufgenommen ist %(name)s, sobald %(count)d Partner zustimmt.",
        "Aufgenommen ist %(name)s, sobald %(count)d Partner zustimmen.",
        admit_at,
    ) % {"name": application.name, "count": admit_at}
    if reject_at == 1:
        return f"{admit} " + gettext("Eine Ablehnung lehnt den Antrag ab.")
    reject = gettext("%(count)d Ablehnungen lehnen den Antrag ab.") % {"count": reject_at}
    return f"{admit} {reject}"


def decision_text(application: Application, outcome: str, *, conditional=False) -> str:
    """What a deciding vote does: "Damit ist … aufgenommen." or, before it is cast, "Mit
    Ihrer Zustimmung ist … aufgenommen."."""
    if outcome == Application.Status.ADMITTED:
        if conditional:
            return gettext("Mit Ihrer Zustimmung ist %(name)s aufgenommen.") % {
                "name": application.name
            }
        name = application.admitted_partner or application.name
        return gettext("Damit ist %(name)s aufgenommen.") % {"name": name}
    if conditional:
        return gettext("Ihre Ablehnung lehnt den Antrag ab.")
    return gettext("Damit ist der Antrag abgelehnt.")


class SignatureForm(forms.Form):
    party = forms.ModelChoiceField(
        label=_("Vertragspartei"), queryset=AgreementParty.objects.none()
    )
    signatory_name = forms.CharField(
        label=_("Name der unterzeichnenden Person"),
        max_length=150,
        validators=[validate_single_line],
    )
    signatory_role = forms.CharField(
        label=_("Funktion"), max_length=200, validators=[validate_single_line]
    )
    signed_on = forms.DateField(
        label=_("Unterzeichnet am"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["party"]
        field.queryset = version.parties.filter(signed_on__isnull=True).select_related("partner")
        field.label_from_instance = lambda party: party.partner.name

    def clean_signed_on(self):
        signed_on = self.cleaned_data["signed_on"]
        if signed_on > timezone.localdate():
            raise forms.ValidationError(_("Das Datum liegt in der Zukunft."))
        return signed_on


class SignupForm(AllauthSignupForm):
    """Sign-up for staff of member partners: only with an address on a partner's domain."""

    name = forms.CharField(label=_("Ihr Name"), max_length=150, validators=[validate_single_line])
    field_order = ["name", "email", "password1", "password2"]

    def clean_email(self):
        email = super().clean_email()
        if partner_for_email(email) is None:
            # Says nothing about which partners or domains exist.
            raise forms.ValidationError(
                _(
                    "Mit dieser Adresse ist keine Registrierung möglich. Bitte nutzen Sie Ihre "
                    "dienstliche Adresse bei einem Partner der Kooperation oder wenden Sie sich "
                    "an die Geschäftsstelle."
                )
            )
        return email

    def validate_unique_email(self, value):
        """Only an address that belongs to an account (selectors.address_owners) counts as
        taken; then allauth creates nothing and mails the address that it has an account,
        saying nothing here. An address someone else typed into their account and never
        confirmed blocks nobody."""
        self.account_already_exists = address_owners(value).exists()
        return get_adapter().validate_unique_email(value)


class ResetPasswordForm(AllauthResetPasswordForm):
    """The reset link goes only to accounts the address belongs to, never to an account that
    merely lists it unconfirmed (it would hand that account to the address's owner, or tell
    the squatter nothing while the owner waits for a link)."""

    def clean_email(self):
        email = super().clean_email()
        owners = set(address_owners(email).values_list("pk", flat=True))
        self.users = [user for user in self.users if user.pk in owners]
        return email
