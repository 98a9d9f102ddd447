"""Several audit chains (QUALITY S8): ``chain`` picks one, ``seq`` is the position in
it, unique per chain. Existing events are chain 0 with their hashes unchanged.

SQLite rebuilds the table for these changes, which drops its triggers: the
append-only triggers of migration 0002 are created again at the end."""

import importlib

from django.db import migrations, models

APPEND_ONLY = importlib.import_module("backoffice.core.migrations.0002_audit_append_only")


def triggers_again(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in APPEND_ONLY.SQLITE_REVERSE + APPEND_ONLY.SQLITE:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_ratelimitcounter"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "ordering": ["-id"],
                "verbose_name": "audit event",
                "verbose_name_plural": "audit log",
            },
        ),
        migrations.RemoveIndex(
            model_name="auditevent",
            name="audit_company_seq",
        ),
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="chain"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(verbose_name="sequence"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["company", "-id"], name="audit_company_id"),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(fields=("chain", "seq"), name="audit_chain_seq"),
        ),
        migrations.RunPython(triggers_again, migrations.RunPython.noop),
    ]
