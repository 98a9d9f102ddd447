"""The leave ledger is append-only: the database refuses UPDATE and DELETE of
``hr_leaveentry`` rows (a correction is a new row). Both vendors raise an
integrity error (SQLite RAISE(ABORT); PostgreSQL SQLSTATE 23514)."""

from django.db import migrations

MESSAGE = "hr: the leave ledger is append-only; record a correcting entry"
SQLITE = [
    f"""CREATE TRIGGER hr_leaveentry_no_update BEFORE UPDATE ON hr_leaveentry
       BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER hr_leaveentry_no_delete BEFORE DELETE ON hr_leaveentry
       BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS hr_leaveentry_no_update;",
    "DROP TRIGGER IF EXISTS hr_leaveentry_no_delete;",
]
POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION hr_leaveentry_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation'; END;
       $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER hr_leaveentry_no_update_delete BEFORE UPDATE OR DELETE
       ON hr_leaveentry FOR EACH ROW EXECUTE FUNCTION hr_leaveentry_append_only();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS hr_leaveentry_no_update_delete ON hr_leaveentry;",
    "DROP FUNCTION IF EXISTS hr_leaveentry_append_only();",
]

# Transactional tests end with a flush (DELETE on SQLite; TRUNCATE on PostgreSQL,
# which row triggers do not see): per vendor (SQL that puts the guard back, SQL
# that lifts it). Read by conftest.py (FLUSH_TRIGGER_MIGRATIONS).
FLUSH = {
    "sqlite": (
        [SQLITE[1].replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS")],
        ["DROP TRIGGER IF EXISTS hr_leaveentry_no_delete;"],
    ),
    "postgresql": ([], []),
}


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = (
        POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    )
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("hr", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
