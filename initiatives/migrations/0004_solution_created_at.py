import django.utils.timezone
from django.db import migrations, models


def date_existing_solutions(apps, schema_editor):
    """Solutions recorded before this migration are not news: they date from their last change,
    not from the day of the update (else the first digest would list the whole inventory)."""
    Solution = apps.get_model("initiatives", "Solution")
    Solution.objects.update(created_at=models.F("updated_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0003_initiative_search_trigger"),
    ]

    operations = [
        migrations.AddField(
            model_name="solution",
            name="created_at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="Erfasst am"
            ),
        ),
        migrations.RunPython(date_existing_solutions, migrations.RunPython.noop),
    ]
