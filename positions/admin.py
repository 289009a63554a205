"""The office keeps the register of addressees; positions and their history are read here and
changed only through the portal, where the workflow is checked. Answers may be corrected."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from partners.admin import DateHierarchyAdmin
from positions.models import (
    Addressee,
    Answer,
    CoSignature,
    Position,
    PositionEvent,
    PositionVersion,
)


@admin.register(Addressee)
class AddresseeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "email", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["name", "postal_address", "email"]
    fields = ["name", "kind", "postal_address", "email", "is_demo"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class VersionInline(ReadOnlyInline):
    model = PositionVersion
    fields = readonly_fields = ["number", "title", "author", "created_at"]


class CoSignatureInline(ReadOnlyInline):
    model = CoSignature
    fields = readonly_fields = ["partner", "decision", "version", "decided_by", "decided_at"]


class EventInline(ReadOnlyInline):
    model = PositionEvent
    fields = readonly_fields = ["created_at", "kind", "partner", "actor", "version"]
    verbose_name_plural = _("Verlauf")


@admin.register(Position)
class PositionAdmin(DateHierarchyAdmin):
    """Read-only history."""

    list_display = ["title", "lead_partner", "status", "is_published", "sent_on", "created_at"]
    list_filter = ["status", "is_published"]
    list_select_related = ["lead_partner"]
    search_fields = ["title", "occasion"]
    date_hierarchy = "created_at"
    fields = [
        "title",
        "occasion",
        "lead_partner",
        "proposer",
        "status",
        "deadline",
        "is_published",
        "sent_via",
        "sent_on",
        "letter_sha256",
        "text",
    ]
    readonly_fields = fields
    inlines = [VersionInline, CoSignatureInline, EventInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["position", "received_on", "reference", "recorded_by"]
    list_select_related = ["position", "recorded_by"]
    search_fields = ["position__title", "reference", "summary"]
    fields = ["position", "received_on", "reference", "summary", "recorded_by", "recorded_at"]
    readonly_fields = ["position", "recorded_by", "recorded_at"]

    def has_add_permission(self, request):
        return False
