"""German full-text search for positions on PostgreSQL, as for initiatives (initiatives 0003): a
trigger keeps `search_vector` current on every write and a GIN index serves the search. Title
weighs most, then the occasion, then the text. SQLite searches with LIKE instead."""

from django.db import migrations

CREATE = """
CREATE FUNCTION positions_position_search_vector() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('german', coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector('german', coalesce(NEW.occasion, '')), 'B') ||
    setweight(to_tsvector('german', coalesce(NEW.text, '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER positions_position_search_vector_update
BEFORE INSERT OR UPDATE OF title, occasion, text, search_vector
ON positions_position
FOR EACH ROW EXECUTE FUNCTION positions_position_search_vector();

CREATE INDEX position_search ON positions_position USING gin (search_vector);
"""

DROP = """
DROP INDEX IF EXISTS position_search;
DROP TRIGGER IF EXISTS positions_position_search_vector_update ON positions_position;
DROP FUNCTION IF EXISTS positions_position_search_vector();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("positions", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
