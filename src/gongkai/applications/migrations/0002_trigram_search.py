"""On PostgreSQL, trigram indexes make the workbench's search by applicant name and by words of
the request (icontains → ILIKE '%…%') use an index: Chinese has no word boundaries, so trigram
matching is the right tool. SQLite has no such index and does not need one at a township's size."""

from django.db import migrations

INDEXES = (
    ("application_name_trgm", "name"),
    ("application_request_trgm", "request"),
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON applications_application "
            f"USING gin (UPPER({column}) gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
