"""German full-text search for initiatives on PostgreSQL: a trigger keeps `search_vector`
current on every write (services, admin, bulk inserts alike) and a GIN index serves the search.
Title weighs most, then summary, OZG reference and description. SQLite has neither; the portal
searches there with a simpler LIKE.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION initiatives_initiative_search_vector() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('german', coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector('german', coalesce(NEW.summary, '')), 'B') ||
    setweight(to_tsvector('german', coalesce(NEW.ozg_reference, '')), 'B') ||
    setweight(to_tsvector('german', coalesce(NEW.description, '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER initiatives_initiative_search_vector_update
BEFORE INSERT OR UPDATE OF title, summary, ozg_reference, description, search_vector
ON initiatives_initiative
FOR EACH ROW EXECUTE FUNCTION initiatives_initiative_search_vector();

UPDATE initiatives_initiative SET search_vector = NULL;

CREATE INDEX initiative_search ON initiatives_initiative USING gin (search_vector);
"""

DROP = """
DROP INDEX IF EXISTS initiative_search;
DROP TRIGGER IF EXISTS initiatives_initiative_search_vector_update ON initiatives_initiative;
DROP FUNCTION IF EXISTS initiatives_initiative_search_vector();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0002_initiatives_participation_discussion_inventory")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
