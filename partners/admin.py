from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners import services
from partners.admin_labels import NamedInputsInline
from partners.models import (
    AgreementParty,
    AgreementVersion,
    Application,
    ApplicationEvent,
    EmailDomain,
    Partner,
    User,
    Vote,
)
from partners.selectors import address_owners


class DateHierarchyChangeList(ChangeList):
    """Django's change list, but a year no calendar has in the date hierarchy
    (?joined_on__year=99…9) is an invalid lookup – the list's "?e=1" page – instead of an
    OverflowError (Django catches only ValueError there)."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


class DateHierarchyAdmin(admin.ModelAdmin):
    """For every admin with a date_hierarchy."""

    def get_changelist(self, request, **kwargs):
        return DateHierarchyChangeList


class EmailDomainInline(NamedInputsInline):
    model = EmailDomain
    extra = 1
    fields = ["domain", "confirmed"]


class PersonInline(NamedInputsInline):
    model = User
    extra = 0
    fields = ["name", "email", "job_title", "role", "is_active"]
    readonly_fields = ["email"]
    show_change_link = True
    can_delete = False
    verbose_name = _("Person")
    verbose_name_plural = _("Personen")

    def has_add_permission(self, request, obj=None):
        # People are added through the person form, which sets their password properly.
        return False


class UnconfirmedDomainFilter(admin.SimpleListFilter):
    """After an admission: the partners whose e-mail domains the office still has to check."""

    title = _("E-Mail-Domains")
    parameter_name = "domains"

    def lookups(self, request, model_admin):
        return [("unconfirmed", _("mit unbestätigten Domains"))]

    def queryset(self, request, queryset):
        if self.value() == "unconfirmed":
            return queryset.filter(email_domains__confirmed=False).distinct()
        return queryset


@admin.register(Partner)
class PartnerAdmin(DateHierarchyAdmin):
    list_display = ["name", "kind", "official_key", "status", "joined_on"]
    list_filter = ["status", "kind", UnconfirmedDomainFilter]
    search_fields = ["name", "official_key", "email_domains__domain"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "joined_on"
    fields = ["name", "slug", "kind", "official_key", "website", "status", "joined_on", "left_on"]
    inlines = [EmailDomainInline, PersonInline]
    actions = ["confirm_email_domains"]

    @admin.action(description=_("E-Mail-Domains bestätigen"))
    def confirm_email_domains(self, request, queryset):
        confirmed = services.email_domains_confirm(partners=queryset)
        self.message_user(
            request,
            _("%(count)d E-Mail-Domains bestätigt: Registrieren ist damit möglich.")
            % {"count": confirmed},
            messages.SUCCESS,
        )


class PersonInvitationForm(forms.ModelForm):
    """The office invites people by e-mail, whatever their address's domain; they set their
    password themselves through the link (nobody else ever knows it)."""

    class Meta:
        model = User
        fields = ["email", "name", "job_title", "partner", "role", "is_staff"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        owner = address_owners(email).first()
        if owner is None:
            return email
        if owner.last_login is None and not owner.emailaddress_set.filter(verified=True):
            # Someone registered with it and never confirmed it: the office decides.
            raise forms.ValidationError(
                _(
                    "Mit dieser Adresse hat sich am %(date)s jemand registriert, ohne sie je zu "
                    "bestätigen (Konto „%(name)s“). Ist das nicht die Person, die Sie einladen "
                    "möchten, löschen Sie dieses Konto und laden Sie dann ein."
                )
                % {
                    "date": timezone.localtime(owner.date_joined).strftime("%d.%m.%Y"),
                    "name": owner,
                }
            )
        raise forms.ValidationError(
            _("Diese Adresse gehört schon zu einem Konto (auch als weitere Adresse).")
        )


class PersonChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = ["email", "name", "job_title", "portfolio", "partner", "role", "requested_role"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if address_owners(email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("Diese Adresse gehört schon zu einem anderen Konto (auch als weitere Adresse).")
            )
        return email


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = PersonChangeForm
    add_form = PersonInvitationForm
    list_display = [
        "name",
        "email",
        "partner",
        "role_in_cooperation",
        "requested_role",
        "is_active",
        "is_staff",
    ]
    list_filter = ["role", "requested_role", "is_active", "is_staff", "partner"]
    actions = ["confirm_requested_role", "invite_again"]

    @admin.display(description=_("Rolle"), ordering="role")
    def role_in_cooperation(self, person):
        """The role field holds "Mitarbeiter:in" for people without a partner too; the
        office's people are no partner's staff."""
        if person.partner_id is None:
            return _("Geschäftsstelle") if person.is_staff else _("ohne Partner")
        return person.get_role_display()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.set_unusable_password()
        super().save_model(request, obj, form, change)
        if not change:
            services.person_invite(person=obj)
            self.message_user(
                request,
                _("Die Einladung an %(email)s ist unterwegs.") % {"email": obj.email},
            )
        if change and "email" in form.changed_data:
            services.person_address_replace(person=obj)
            self.message_user(
                request,
                _(
                    "Die Anmeldung gilt jetzt nur noch mit %(email)s; die Person bestätigt die "
                    "Adresse bei der nächsten Anmeldung. Ihre Sitzungen sind beendet."
                )
                % {"email": obj.email},
            )
        if change and "is_active" in form.changed_data and not obj.is_active:
            ended = services.sessions_end(person=obj)
            self.message_user(
                request,
                _("%(person)s ist deaktiviert; %(count)s Sitzung(en) beendet.")
                % {"person": obj, "count": ended},
            )

    list_select_related = ["partner"]
    search_fields = ["name", "email", "job_title", "partner__name"]
    ordering = ["name"]
    autocomplete_fields = ["partner"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Person"),
            {"fields": ["name", "job_title", "portfolio", "partner", "role", "requested_role"]},
        ),
        (
            _("Rechte"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Daten"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "description": _(
                    "Die Person erhält eine E-Mail mit einem Link, über den sie ihr Passwort "
                    "festlegt – unabhängig von der Domain ihrer Adresse."
                ),
                "fields": ["email", "name", "job_title", "partner", "role", "is_staff"],
            },
        ),
    ]

    @admin.action(description=_("Einladung erneut senden"))
    def invite_again(self, request, queryset):
        invited = 0
        for person in queryset.filter(is_active=True):
            if not person.has_usable_password():
                services.person_invite(person=person)
                invited += 1
        skipped = queryset.count() - invited
        self.message_user(request, _("%(count)d Einladung(en) gesendet.") % {"count": invited})
        if skipped:
            self.message_user(
                request,
                _(
                    "%(count)d Person(en) ausgelassen: Diese Personen haben schon ein Passwort "
                    "(das sie selbst mit „Passwort vergessen“ zurücksetzen) oder sind deaktiviert."
                )
                % {"count": skipped},
                messages.WARNING,
            )

    @admin.action(description=_("Beantragte Rolle bestätigen"))
    def confirm_requested_role(self, request, queryset):
        confirmed = 0
        for person in queryset.exclude(requested_role=""):
            person.role, person.requested_role = person.requested_role, ""
            person.full_clean()
            person.save(update_fields=["role", "requested_role"])
            confirmed += 1
        self.message_user(request, _("%(count)d Rolle(n) bestätigt.") % {"count": confirmed})


class AgreementPartyInline(NamedInputsInline):
    model = AgreementParty
    extra = 0
    fields = ["partner", "signatory_name", "signatory_role", "signed_on"]
    autocomplete_fields = ["partner"]


@admin.register(AgreementVersion)
class AgreementVersionAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "effective_on", "admission_rule", "created_at"]
    list_filter = ["status", "admission_rule"]
    search_fields = ["title", "text"]
    fields = ["title", "text", "effective_on", "admission_rule", "previous", "status"]
    readonly_fields = ["status"]
    inlines = [AgreementPartyInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class VoteInline(admin.TabularInline):
    model = Vote
    extra = 0
    fields = ["partner", "voter", "approve", "comment", "cast_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    fields = ["created_at", "kind", "partner", "actor", "comment"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(DateHierarchyAdmin):
    """Applications are decided by the department heads' votes in the portal, not here."""

    list_display = ["name", "official_key", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "kind"]
    search_fields = ["name", "official_key", "contact_name", "contact_email"]
    date_hierarchy = "submitted_at"
    fields = [
        "name",
        "kind",
        "official_key",
        "website",
        "email_domains",
        "contact_name",
        "contact_email",
        "motivation",
        "status",
        "admission_rule",
        "submitted_at",
        "decided_at",
        "admitted_partner",
    ]
    readonly_fields = fields
    inlines = [VoteInline, ApplicationEventInline]

    def has_add_permission(self, request):
        return False
