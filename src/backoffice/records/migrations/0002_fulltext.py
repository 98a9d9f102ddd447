"""Full-text index of documents: FTS5 on SQLite, a GIN expression index on PostgreSQL."""

from django.db import migrations

SQLITE = "CREATE VIRTUAL TABLE IF NOT EXISTS records_document_fts USING fts5(body, tokenize='unicode61')"
SQLITE_REVERSE = "DROP TABLE IF EXISTS records_document_fts"
PG = (
    "CREATE INDEX IF NOT EXISTS records_document_fts_gin ON records_document "
    "USING GIN (to_tsvector('simple', search_text))"
)
PG_REVERSE = "DROP INDEX IF EXISTS records_document_fts_gin"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE)
    elif vendor == "postgresql":
        schema_editor.execute(PG)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_REVERSE)
    elif vendor == "postgresql":
        schema_editor.execute(PG_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
