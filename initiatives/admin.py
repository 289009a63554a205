from django.contrib import admin

from initiatives.models import Area


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "description", "position"]
