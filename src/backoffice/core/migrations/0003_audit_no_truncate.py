"""PostgreSQL: TRUNCATE bypasses row triggers, so refuse it on the audit log too.
(SQLite has no TRUNCATE; its DELETE is already refused by migration 0002.)"""

from django.db import migrations

CREATE = """CREATE TRIGGER core_auditevent_no_truncate BEFORE TRUNCATE ON core_auditevent
            FOR EACH STATEMENT EXECUTE FUNCTION core_auditevent_append_only();"""
DROP = "DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]
    operations = [migrations.RunPython(forwards, backwards)]
