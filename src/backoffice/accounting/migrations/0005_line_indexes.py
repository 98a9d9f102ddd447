# The lines' own indexes on account and company go: the ledger index
# (account, posted, date, entry) and the company-date index (company, posted,
# date) start with those columns, and every index is one more B-tree insert per
# posted line (QUALITY S1). Dropped by name: on SQLite an AlterField rebuilds
# the table, which the ledger triggers referencing it do not survive.

import django.db.models.deletion
from django.db import migrations, models

INDEXES = {
    "accounting_line_account_id_73928170": "account_id",
    "accounting_line_company_id_67231211": "company_id",
}


class Migration(migrations.Migration):
    dependencies = [
        ("accounting", "0004_balance_line_count"),
        ("core", "0005_ratelimitcounter"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="line",
                    name="account",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="lines",
                        to="accounting.account",
                    ),
                ),
                migrations.AlterField(
                    model_name="line",
                    name="company",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.company",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {name}",
                    f"CREATE INDEX {name} ON accounting_line ({column})",
                )
                for name, column in INDEXES.items()
            ],
        ),
    ]
