"""The database keeps the books sound whatever writes to it (raw SQL included):

(a) the lines of a posted entry cannot be inserted, updated or deleted (nor can a
    line once marked posted);
(b) an entry becomes posted (INSERT in state posted, or UPDATE to posted) only if it
    has at least two lines, all marked posted, whose debits equal their credits;
    on PostgreSQL a DEFERRABLE INITIALLY DEFERRED constraint trigger checks every
    posted entry again at commit;
(c) a posted entry can neither change nor be deleted (corrections are reversals:
    new entries).

Both vendors raise an integrity error (SQLite RAISE(ABORT); PostgreSQL SQLSTATE
23514), which Django surfaces as ``django.db.IntegrityError``.
"""

from django.db import migrations

_SQLITE_BALANCE = """
    SELECT RAISE(ABORT, 'accounting: a posted entry needs at least two posted lines whose debits equal their credits')
    FROM (SELECT COUNT(*) AS n, TOTAL(debit) AS d, TOTAL(credit) AS c, TOTAL(posted = 0) AS u
          FROM accounting_line WHERE entry_id = NEW.id)
    WHERE n < 2 OR ABS(d - c) >= 0.005 OR u > 0;"""

SQLITE_DELETE_GUARDS = [
    """CREATE TRIGGER acct_line_no_delete BEFORE DELETE ON accounting_line
       WHEN OLD.posted OR (SELECT state FROM accounting_entry WHERE id = OLD.entry_id) = 'posted'
       BEGIN SELECT RAISE(ABORT, 'accounting: the lines of a posted entry cannot change'); END;""",
    """CREATE TRIGGER acct_entry_no_delete BEFORE DELETE ON accounting_entry
       WHEN OLD.state = 'posted'
       BEGIN SELECT RAISE(ABORT, 'accounting: a posted entry cannot be deleted'); END;""",
]
SQLITE = [
    """CREATE TRIGGER acct_line_no_insert BEFORE INSERT ON accounting_line
       WHEN (SELECT state FROM accounting_entry WHERE id = NEW.entry_id) = 'posted'
       BEGIN SELECT RAISE(ABORT, 'accounting: the lines of a posted entry cannot change'); END;""",
    """CREATE TRIGGER acct_line_no_update BEFORE UPDATE ON accounting_line
       WHEN OLD.posted
         OR (SELECT state FROM accounting_entry WHERE id = OLD.entry_id) = 'posted'
         OR (SELECT state FROM accounting_entry WHERE id = NEW.entry_id) = 'posted'
       BEGIN SELECT RAISE(ABORT, 'accounting: the lines of a posted entry cannot change'); END;""",
    *SQLITE_DELETE_GUARDS,
    """CREATE TRIGGER acct_entry_immutable BEFORE UPDATE ON accounting_entry
       WHEN OLD.state = 'posted'
       BEGIN SELECT RAISE(ABORT, 'accounting: a posted entry cannot change; reverse it'); END;""",
    # AFTER INSERT: in a BEFORE INSERT trigger SQLite does not know NEW.id yet.
    f"""CREATE TRIGGER acct_entry_insert_balanced AFTER INSERT ON accounting_entry
       WHEN NEW.state = 'posted'
       BEGIN {_SQLITE_BALANCE} END;""",
    f"""CREATE TRIGGER acct_entry_post_balanced BEFORE UPDATE OF state ON accounting_entry
       WHEN NEW.state = 'posted' AND OLD.state <> 'posted'
       BEGIN {_SQLITE_BALANCE} END;""",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {name};"
    for name in (
        "acct_line_no_insert", "acct_line_no_update", "acct_line_no_delete",
        "acct_entry_no_delete", "acct_entry_immutable", "acct_entry_insert_balanced",
        "acct_entry_post_balanced",
    )
]  # fmt: skip

POSTGRES = [
    """CREATE OR REPLACE FUNCTION accounting_entry_balanced(entry bigint) RETURNS void AS $$
       DECLARE n bigint; d numeric; c numeric; u bigint;
       BEGIN
         SELECT COUNT(*), COALESCE(SUM(debit), 0), COALESCE(SUM(credit), 0),
                COUNT(*) FILTER (WHERE NOT posted)
           INTO n, d, c, u FROM accounting_line WHERE entry_id = entry;
         IF n < 2 OR d <> c OR u > 0 THEN
           RAISE EXCEPTION 'accounting: a posted entry needs at least two posted lines whose debits equal their credits (entry %, % lines, debit %, credit %)', entry, n, d, c
             USING ERRCODE = 'check_violation';
         END IF;
       END; $$ LANGUAGE plpgsql;""",
    """CREATE OR REPLACE FUNCTION accounting_line_guard() RETURNS trigger AS $$
       BEGIN
         IF TG_OP <> 'INSERT' AND (OLD.posted OR EXISTS (
              SELECT 1 FROM accounting_entry WHERE id = OLD.entry_id AND state = 'posted')) THEN
           RAISE EXCEPTION 'accounting: the lines of a posted entry cannot change'
             USING ERRCODE = 'check_violation';
         END IF;
         IF TG_OP <> 'DELETE' AND EXISTS (
              SELECT 1 FROM accounting_entry WHERE id = NEW.entry_id AND state = 'posted') THEN
           RAISE EXCEPTION 'accounting: the lines of a posted entry cannot change'
             USING ERRCODE = 'check_violation';
         END IF;
         IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
         RETURN NEW;
       END; $$ LANGUAGE plpgsql;""",
    """CREATE OR REPLACE FUNCTION accounting_entry_guard() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'DELETE' THEN
           IF OLD.state = 'posted' THEN
             RAISE EXCEPTION 'accounting: a posted entry cannot be deleted'
               USING ERRCODE = 'check_violation';
           END IF;
           RETURN OLD;
         END IF;
         IF TG_OP = 'UPDATE' AND OLD.state = 'posted' THEN
           RAISE EXCEPTION 'accounting: a posted entry cannot change; reverse it'
             USING ERRCODE = 'check_violation';
         END IF;
         IF NEW.state = 'posted' THEN
           PERFORM accounting_entry_balanced(NEW.id);
         END IF;
         RETURN NEW;
       END; $$ LANGUAGE plpgsql;""",
    """CREATE OR REPLACE FUNCTION accounting_entry_balanced_at_commit() RETURNS trigger AS $$
       BEGIN
         IF EXISTS (SELECT 1 FROM accounting_entry WHERE id = NEW.id AND state = 'posted') THEN
           PERFORM accounting_entry_balanced(NEW.id);
         END IF;
         RETURN NULL;
       END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER acct_line_guard BEFORE INSERT OR UPDATE OR DELETE ON accounting_line
       FOR EACH ROW EXECUTE FUNCTION accounting_line_guard();""",
    """CREATE TRIGGER acct_entry_guard BEFORE INSERT OR UPDATE OR DELETE ON accounting_entry
       FOR EACH ROW EXECUTE FUNCTION accounting_entry_guard();""",
    """CREATE CONSTRAINT TRIGGER acct_entry_balanced_at_commit
       AFTER INSERT OR UPDATE ON accounting_entry DEFERRABLE INITIALLY DEFERRED
       FOR EACH ROW WHEN (NEW.state = 'posted')
       EXECUTE FUNCTION accounting_entry_balanced_at_commit();""",
    # TRUNCATE skips row triggers: refuse it on the ledger tables.
    """CREATE OR REPLACE FUNCTION accounting_no_truncate() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'accounting: the ledger cannot be truncated'
         USING ERRCODE = 'check_violation'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER acct_line_no_truncate BEFORE TRUNCATE ON accounting_line
       FOR EACH STATEMENT EXECUTE FUNCTION accounting_no_truncate();""",
    """CREATE TRIGGER acct_entry_no_truncate BEFORE TRUNCATE ON accounting_entry
       FOR EACH STATEMENT EXECUTE FUNCTION accounting_no_truncate();""",
]
POSTGRES_TRUNCATE_GUARDS = POSTGRES[-2:]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS acct_line_no_truncate ON accounting_line;",
    "DROP TRIGGER IF EXISTS acct_entry_no_truncate ON accounting_entry;",
    "DROP TRIGGER IF EXISTS acct_entry_balanced_at_commit ON accounting_entry;",
    "DROP TRIGGER IF EXISTS acct_entry_guard ON accounting_entry;",
    "DROP TRIGGER IF EXISTS acct_line_guard ON accounting_line;",
    "DROP FUNCTION IF EXISTS accounting_no_truncate();",
    "DROP FUNCTION IF EXISTS accounting_entry_balanced_at_commit();",
    "DROP FUNCTION IF EXISTS accounting_entry_guard();",
    "DROP FUNCTION IF EXISTS accounting_line_guard();",
    "DROP FUNCTION IF EXISTS accounting_entry_balanced(bigint);",
]

# What a test database flush trips over, per vendor: (SQL that puts the guards back,
# SQL that lifts them). Read by conftest.py (FLUSH_TRIGGER_MIGRATIONS).
FLUSH = {
    "sqlite": (
        [s.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS") for s in SQLITE_DELETE_GUARDS],
        [
            "DROP TRIGGER IF EXISTS acct_line_no_delete;",
            "DROP TRIGGER IF EXISTS acct_entry_no_delete;",
        ],
    ),
    "postgresql": (
        [
            "DROP TRIGGER IF EXISTS acct_line_no_truncate ON accounting_line;",
            "DROP TRIGGER IF EXISTS acct_entry_no_truncate ON accounting_entry;",
            *POSTGRES_TRUNCATE_GUARDS,
        ],
        POSTGRES_REVERSE[:2],
    ),
}


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql, None)  # no parameters: the % in plpgsql stay as they are


def backwards(apps, schema_editor):
    statements = (
        POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    )
    for sql in statements:
        schema_editor.execute(sql, None)  # no parameters: the % in plpgsql stay as they are


class Migration(migrations.Migration):
    dependencies = [("accounting", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
