"""Parts of compounds find their words on PostgreSQL (issue 18, item 10): a trigram index over
title and summary in lower case – the expression selectors.SearchWords writes – serves their
LIKE '%…%' (selectors.search). pg_trgm came with partners 0003. SQLite searches with LIKE.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX initiative_words_trgm ON initiatives_initiative
USING gin (lower(title || ' ' || summary) gin_trgm_ops);
"""

DROP = "DROP INDEX IF EXISTS initiative_words_trgm;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0009_summary_in_a_text_area"),
        ("partners", "0003_directory_search_indexes"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
