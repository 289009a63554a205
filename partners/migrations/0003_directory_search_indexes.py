"""Indexes for the partner directory's search on PostgreSQL, for 11,000 partners: a trigram
index serves "name contains" (Django's icontains: UPPER(name) LIKE UPPER('%…%')), a pattern
index "official key starts with" (the database's collation is not C, so the unique index
cannot). SQLite scans its few rows.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX partner_name_trgm ON partners_partner USING gin (UPPER(name::text) gin_trgm_ops);
CREATE INDEX partner_official_key_prefix ON partners_partner ((official_key::text) text_pattern_ops);
"""

DROP = """
DROP INDEX IF EXISTS partner_name_trgm;
DROP INDEX IF EXISTS partner_official_key_prefix;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("partners", "0002_joining_and_agreement")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
