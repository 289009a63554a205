from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kooperation import mfa
from kooperation.models import (
    AccessibilityFeedback,
    DigestDelivery,
    DigestSetting,
    LegalPage,
    SecondFactor,
)
from partners.admin import DateHierarchyAdmin
from partners.admin_labels import NamedInputsAdmin


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(DateHierarchyAdmin):
    """Read-only: deliveries are written by the digest runs, and their history must stay."""

    list_display = ["recipient", "frequency", "period", "status", "items", "sent_at", "error"]
    list_filter = ["frequency", "status", "period"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__email", "recipient__name", "period"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in DigestDelivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DigestSetting)
class DigestSettingAdmin(admin.ModelAdmin):
    list_display = ["user", "frequency", "updated_at"]
    list_filter = ["frequency", "areas"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__name"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["areas"]


@admin.register(LegalPage)
class LegalPageAdmin(admin.ModelAdmin):
    list_display = ["kind", "updated_at"]
    fields = ["kind", "body"]


@admin.register(AccessibilityFeedback)
class AccessibilityFeedbackAdmin(NamedInputsAdmin):
    list_display = ["created_at", "page", "name", "email", "handled"]
    list_filter = ["handled"]
    list_editable = ["handled"]
    search_fields = ["message", "page", "name", "email"]
    readonly_fields = ["name", "email", "page", "message", "created_at"]

    def has_add_permission(self, request):
        return False


# allauth's list of sessions shows IPs and browsers of everyone, in English. The office ends a
# person's sessions by deactivating them (partners.admin); people see and end their own at
# /konto/sessions/.
admin.site.unregister(UserSession)


# allauth's authenticators appear as "Zweite Faktoren" (kooperation.models.SecondFactor).
admin.site.unregister(Authenticator)


@admin.register(SecondFactor)
class SecondFactorAdmin(admin.ModelAdmin):
    """People's second factors. The office cannot add or change one (it would know the
    secret); deleting it resets a lost phone: the person sets up a new app at the next sign-in.
    allauth's fields have English names, hence the columns below.
    """

    list_display = ["person", "kind", "set_up_at", "last_used"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__name"]
    fields = ["person", "kind", "set_up_at", "last_used"]
    readonly_fields = fields

    @admin.display(description=_("Person"), ordering="user__name")
    def person(self, obj):
        return f"{obj.user} ({obj.user.email})"

    @admin.display(description=_("Art"), ordering="type")
    def kind(self, obj):
        return obj.kind

    @admin.display(description=_("Eingerichtet am"), ordering="created_at")
    def set_up_at(self, obj):
        return obj.created_at

    @admin.display(description=_("Zuletzt verwendet"), ordering="last_used_at")
    def last_used(self, obj):
        return obj.last_used_at

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        self._reset(request, [obj.user])

    def delete_queryset(self, request, queryset):
        self._reset(request, {authenticator.user for authenticator in queryset})

    def _reset(self, request, people):
        """Deleting one authenticator resets the whole second factor of its person (recovery
        codes kept with a lost phone must stop working too), ends their sessions and tells
        them by e-mail."""
        from allauth.account.adapter import get_adapter

        for person in people:
            mfa.reset(person)
            get_adapter(request).send_notification_mail("mfa/email/totp_deactivated", person)
