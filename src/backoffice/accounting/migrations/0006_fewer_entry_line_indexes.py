# Indexes nothing reads any more go (QUALITY S4: every index is one more page
# an entry's commit writes, ~10 % of posting one entry on SQLite): the entry's
# own indexes on company and journal (the composite indexes start with company,
# and with company and journal), creator and poster (read only by PROTECT's
# check when a user is deleted), the line's period and department (reports read
# periods from AccountBalance). Dropped by name, as in 0005: on SQLite an
# AlterField rebuilds the table, which the ledger triggers do not survive.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

INDEXES = {
    "accounting_entry_company_id_843783b3": ("accounting_entry", "company_id"),
    "accounting_entry_journal_id_6540c2f3": ("accounting_entry", "journal_id"),
    "accounting_entry_created_by_id_be8aa1ca": ("accounting_entry", "created_by_id"),
    "accounting_entry_posted_by_id_a99077f6": ("accounting_entry", "posted_by_id"),
    "accounting_line_period_id_fbdb685e": ("accounting_line", "period_id"),
    "accounting_line_department_id_ff96cc52": ("accounting_line", "department_id"),
}


class Migration(migrations.Migration):
    dependencies = [
        ("accounting", "0005_line_indexes"),
        ("core", "0006_audit_chains"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="entry",
                    name="company",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="core.company",
                        verbose_name="company",
                    ),
                ),
                migrations.AlterField(
                    model_name="entry",
                    name="created_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
                migrations.AlterField(
                    model_name="entry",
                    name="journal",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="accounting.journal",
                        verbose_name="journal",
                    ),
                ),
                migrations.AlterField(
                    model_name="entry",
                    name="posted_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="posted by",
                    ),
                ),
                migrations.AlterField(
                    model_name="line",
                    name="department",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.department",
                    ),
                ),
                migrations.AlterField(
                    model_name="line",
                    name="period",
                    field=models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounting.period",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {name}",
                    f"CREATE INDEX {name} ON {table} ({column})",
                )
                for name, (table, column) in INDEXES.items()
            ],
        ),
    ]
