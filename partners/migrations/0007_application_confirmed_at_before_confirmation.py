"""Applications from before the address confirmation counted as confirmed when they came in:
partners see an application once it has `confirmed_at` (ApplicationQuerySet.confirmed)."""

from django.db import migrations
from django.db.models import F


def confirmed_when_submitted(apps, schema_editor):
    Application = apps.get_model("partners", "Application")
    Application.objects.filter(confirmed_at__isnull=True).exclude(status="unconfirmed").update(
        confirmed_at=F("submitted_at")
    )


class Migration(migrations.Migration):
    dependencies = [("partners", "0006_markdown_html")]

    operations = [migrations.RunPython(confirmed_when_submitted, migrations.RunPython.noop)]
