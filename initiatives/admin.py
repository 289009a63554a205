from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from initiatives.models import Area, Comment, Initiative, InitiativeEvent, Participation, Solution
from partners.admin import DateHierarchyAdmin
from partners.admin_labels import NamedInputsAdmin


@admin.register(Area)
class AreaAdmin(NamedInputsAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "description", "position"]


class ParticipationInline(admin.TabularInline):
    """Read-only: participation changes go through the portal, where the workflow is checked."""

    model = Participation
    extra = 0
    fields = ["partner", "stage", "changed_by", "changed_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = InitiativeEvent
    extra = 0
    fields = ["created_at", "kind", "partner", "actor"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("Verlauf")

    def has_add_permission(self, request, obj=None):
        return False


class CommentInline(admin.StackedInline):
    """The office may remove a comment that breaks the rules; editing is the author's."""

    model = Comment
    extra = 0
    fields = ["author", "partner", "created_at", "edited_at", "body"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Initiative)
class InitiativeAdmin(DateHierarchyAdmin):
    list_display = ["title", "area", "lead_partner", "status", "created_at", "last_activity_at"]
    list_filter = ["status", "area"]
    list_select_related = ["area", "lead_partner"]
    search_fields = ["title", "summary", "ozg_reference"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    # Status changes go through the portal: they are dated, attributed and checked there.
    fields = [
        "title",
        "summary",
        "description",
        "area",
        "ozg_reference",
        "target_date",
        "lead_partner",
        "proposer",
        "status",
        "created_at",
        "last_activity_at",
    ]
    readonly_fields = ["lead_partner", "proposer", "status", "created_at", "last_activity_at"]
    inlines = [ParticipationInline, EventInline, CommentInline]

    def has_add_permission(self, request):
        return False  # proposals come from the partners, through the portal


@admin.register(Solution)
class SolutionAdmin(admin.ModelAdmin):
    list_display = ["product", "vendor", "area", "partner", "updated_at"]
    list_filter = ["area"]
    list_select_related = ["area", "partner"]
    search_fields = ["product", "vendor", "partner__name"]
    autocomplete_fields = ["partner"]
    fields = ["partner", "area", "product", "vendor", "notes", "recorded_by", "updated_at"]
    readonly_fields = ["recorded_by", "updated_at"]
