from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from outbox import services
from outbox.models import EmailJob


@admin.register(EmailJob)
class EmailJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are written by the portal's workflows. A failed one can be sent again."""

    list_display = ["created_at", "kind", "recipient_list", "subject", "status", "attempts"]
    list_display += ["next_attempt_at", "sent_at", "last_error"]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["subject", "recipients", "kind"]
    readonly_fields = [field.name for field in EmailJob._meta.fields]
    actions = ["send_again"]

    @admin.display(description=_("Empfänger:innen"))
    def recipient_list(self, job):
        return ", ".join(job.recipients)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Erneut senden"))
    def send_again(self, request, queryset):
        again = sum(services.job_retry(job=job) for job in queryset)
        message = _("%(count)d gescheiterte E-Mail(s) werden erneut gesendet.")
        self.message_user(request, message % {"count": again})
        skipped = queryset.count() - again
        if skipped:
            self.message_user(
                request,
                _("%(count)d E-Mail(s) ausgelassen: Nur gescheiterte werden erneut gesendet.")
                % {"count": skipped},
                messages.WARNING,
            )
