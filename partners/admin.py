from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from partners.models import EmailDomain, Partner, User


class EmailDomainInline(admin.TabularInline):
    model = EmailDomain
    extra = 1
    fields = ["domain"]


class PersonInline(admin.TabularInline):
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


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "official_key", "status", "joined_on"]
    list_filter = ["status", "kind"]
    search_fields = ["name", "official_key", "email_domains__domain"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "joined_on"
    fields = ["name", "slug", "kind", "official_key", "website", "status", "joined_on", "left_on"]
    inlines = [EmailDomainInline, PersonInline]


class PersonCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "name", "job_title", "partner", "role", "is_staff"]


class PersonChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = ["email", "name", "job_title", "partner", "role"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = PersonChangeForm
    add_form = PersonCreationForm
    list_display = ["name", "email", "partner", "role", "job_title", "is_active", "is_staff"]
    list_filter = ["role", "is_active", "is_staff", "partner"]
    list_select_related = ["partner"]
    search_fields = ["name", "email", "job_title", "partner__name"]
    ordering = ["name"]
    autocomplete_fields = ["partner"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["name", "job_title", "partner", "role"]}),
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
                "fields": [
                    "email",
                    "name",
                    "job_title",
                    "partner",
                    "role",
                    "is_staff",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]
