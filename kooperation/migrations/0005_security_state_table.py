"""The table of the "default" cache: security state (rate limits, used TOTP codes, join forms
already sent) lives in the database, where nothing evicts it and no Redis outage reaches it."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("kooperation", "0004_markdown_html")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
