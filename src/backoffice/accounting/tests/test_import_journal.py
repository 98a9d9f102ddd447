"""CSV imports (SPEC §4): journal entries and charts, through the services and the CLI."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from click.testing import CliRunner
from django.utils import translation

from backoffice.accounting import services
from backoffice.accounting.models import Account, AccountBalance, Entry, Line, PeriodState
from backoffice.accounting.tests.ledger_helpers import books, period, person, state
from backoffice.cli import main
from backoffice.core.enums import Role
from backoffice.core.exceptions import PermissionDenied
from backoffice.core.models import AuditEvent

pytestmark = pytest.mark.django_db

HEADER = "entry,date,journal,description,account,debit,credit,currency\n"
GOOD = HEADER + (
    "A1,2026-03-02,,Góp vốn,1121,1000000000,,\n"
    "A1,2026-03-02,,Góp vốn,4111,,1000000000,\n"
    "A2,2026-03-05,CASH,Chi tiếp khách,642,1000000,,\n"
    "A2,2026-03-05,CASH,Chi tiếp khách,1331,100000,,\n"
    "A2,2026-03-05,CASH,Chi tiếp khách,1111,,1100000,\n"
    "A3,2026-03-01,,Mua hàng,156,500000,,VND\n"
    "A3,2026-03-01,,Mua hàng,331,,500000,VND\n"
)


@pytest.fixture
def company(make_company):
    return books(make_company, "IMP")


def test_a_large_import_refreshes_the_planner_statistics(
    company, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import connection

    from backoffice.accounting import ledger

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner statistics")

    def tuples() -> float:
        with connection.cursor() as cur:
            cur.execute("SELECT reltuples FROM pg_class WHERE relname = 'accounting_line'")
            return cur.fetchone()[0]

    monkeypatch.setattr(ledger, "ANALYZE_AFTER_LINES", 7)
    with django_capture_on_commit_callbacks(execute=True):
        services.journal_import(actor="cli", company=company, file=GOOD)
    assert tuples() == 7  # analysed: the planner knows the ledger's size
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.journal_import(actor="cli", company=company, file=HEADER + GOOD.split("\n", 3)[3])
    assert callbacks == []  # 5 lines: below the threshold, autovacuum's job


def test_import_posts_every_entry_with_numbers_balances_and_one_audit_event(company):
    audit_before = AuditEvent.objects.count()
    result = services.journal_import(actor="cli", company=company, file=GOOD)
    assert (result.entries, result.lines) == (3, 7)
    entries = {e.reference: e for e in Entry.objects.filter(company=company)}
    assert {e.state for e in entries.values()} == {"posted"}
    # numbered in date order within the series: A3 (01/03) before A1 (02/03)
    assert entries["A3"].number == "PKT2026/00001"
    assert entries["A1"].number == "PKT2026/00002"
    assert entries["A2"].number == "PC2026/00001"
    assert entries["A2"].voucher_type == "PC"
    assert entries["A2"].total == 1_100_000
    assert entries["A2"].description == "Chi tiếp khách"
    assert Line.objects.filter(company=company, posted=False).count() == 0
    bal = {
        b.account.code: b.debit - b.credit
        for b in AccountBalance.objects.filter(company=company).select_related("account")
    }
    assert bal == {"1121": 1_000_000_000, "4111": -1_000_000_000, "642": 1_000_000,
                   "1331": 100_000, "1111": -1_100_000, "156": 500_000, "331": -500_000}  # fmt: skip
    new = AuditEvent.objects.filter(seq__gt=audit_before)
    assert [e.event_type for e in new] == ["JOURNAL_IMPORTED"]
    assert new[0].after["entries"] == 3
    assert new[0].actor_label == "cli"
    # the next single posting continues the series
    more = services.journal_import(actor="cli", company=company, file=HEADER +
                                   "B,2026-03-09,,x,642,5,,\nB,2026-03-09,,x,331,,5,\n")  # fmt: skip
    assert more.numbers == {"PKT2026": ["PKT2026/00003", "PKT2026/00003"]}


def test_the_import_gives_the_connection_its_page_cache_back(company):
    """The import enlarges SQLite's page cache while it writes; afterwards the
    connection has its configured cache again (not SQLite's 2 MB default)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's page cache")

    def cache_size() -> int:
        with connection.cursor() as cur:
            cur.execute("PRAGMA cache_size")
            return int(cur.fetchone()[0])

    with connection.cursor() as cur:  # as settings configure it (other tests may change it)
        cur.execute("PRAGMA cache_size = -65536")
    before = cache_size()
    services.journal_import(actor="cli", company=company, file=GOOD)
    assert cache_size() == before


def test_bad_rows_store_nothing_and_every_error_has_its_row(company):
    bad = HEADER + (
        "X1,2026-03-02,,ok,1121,100,,\n"  # 2
        "X1,2026-03-02,,ok,4111,,100,\n"  # 3
        "X2,2026-02-30,,bad date,642,1,,\n"  # 4
        "X3,2026-03-02,NOPE,bad journal,642,1,,\n"  # 5
        "X4,2026-03-02,,unknown account,9999,1,,\n"  # 6
        "X4,2026-03-02,,parent account,111,,1,\n"  # 7
        "X5,2026-03-02,,bad amount,642,abc,,\n"  # 8
        "X5,2026-03-02,,both sides,331,1,1,\n"  # 9
        "X6,2026-03-02,,unbalanced,642,10,,\n"  # 10
        "X6,2026-03-02,,unbalanced,331,,9,\n"  # 11
        "X7,2030-01-01,,no period,642,1,,\n"  # 12
        "X7,2030-01-01,,no period,331,,1,\n"  # 13
        "X8,2026-03-02,,one line,642,1,,\n"  # 14
        ",2026-03-02,,no key,642,1,,\n"  # 15
    )
    before = state()
    with pytest.raises(services.ImportFailed) as err, translation.override("en"):
        services.journal_import(actor="cli", company=company, file=bad)
    assert state() == before
    rows = [e.row for e in err.value.errors]
    # row-level problems, and entry-level ones (reported at the entry's first row)
    assert rows == [4, 5, 6, 7, 8, 9, 10, 12, 14, 15], err.value.errors
    assert err.value.code == "import_failed"
    assert "row 4" in err.value.message
    assert "X6 does not balance" in err.value.errors[6].message


def test_missing_columns_and_empty_file(company):
    with pytest.raises(services.ImportFailed) as err:
        services.journal_import(actor="cli", company=company, file="entry,date,account\n")
    assert err.value.errors[0].row == 1
    assert "debit" in err.value.errors[0].message
    with pytest.raises(services.ImportFailed):
        services.journal_import(actor="cli", company=company, file=HEADER)


def test_import_respects_period_states_and_rights(company, make_user):
    chief = person(make_user, company, Role.CHIEF_ACCOUNTANT)
    accountant = person(make_user, company, Role.ACCOUNTANT)
    analyst = person(make_user, company, Role.DATA_ANALYST)
    with pytest.raises(PermissionDenied):
        services.journal_import(actor=analyst, company=company, file=GOOD)
    services.period_set_state(actor=chief, period=period(company), state=PeriodState.CLOSED)
    before = state()
    with pytest.raises(services.ImportFailed) as err:
        services.journal_import(actor=accountant, company=company, file=GOOD)
    assert "03/2026" in err.value.errors[0].message
    assert state() == before
    assert services.journal_import(actor=chief, company=company, file=GOOD).entries == 3
    assert Entry.objects.filter(company=company, posted_by=chief).count() == 3


def test_foreign_currency_rows_convert_at_the_rate_of_the_day(company):
    services.rate_set(
        actor="cli", company=company, currency="USD", date=date(2026, 3, 1), rate=25000
    )
    services.journal_import(actor="cli", company=company, file=HEADER + (
        "U,2026-03-03,,Bán hàng USD,1122,100.50,,USD\n"
        "U,2026-03-03,,Bán hàng USD,5111,,100.50,USD\n"
    ))  # fmt: skip
    entry = Entry.objects.get(company=company, reference="U")
    assert entry.currency == "USD"
    assert entry.rate == 25000
    assert entry.total == 2_512_500
    assert list(entry.lines.values_list("amount_currency", flat=True)) == [
        Decimal("100.50"), Decimal("-100.50"),
    ]  # fmt: skip
    with pytest.raises(services.ImportFailed) as err:  # no EUR rate
        services.journal_import(actor="cli", company=company, file=HEADER + (
            "E,2026-03-03,,x,1122,1,,EUR\nE,2026-03-03,,x,5111,,1,EUR\n"
        ))  # fmt: skip
    assert "EUR" in err.value.errors[0].message


def test_amounts_that_cannot_be_stored_are_row_errors_and_nothing_changes(company):
    services.rate_set(actor="cli", company=company, currency="USD", date=date(2026, 3, 1),
                      rate="25000")  # fmt: skip
    services.rate_set(actor="cli", company=company, currency="JPY", date=date(2026, 3, 1),
                      rate="0.5")  # fmt: skip
    bad = HEADER + (
        "N,2026-03-03,,NaN,1122,NaN,,USD\n"  # 2
        "N,2026-03-03,,NaN,5111,,NaN,USD\n"  # 3
        "B,2026-03-03,,too big,642,100000000000000000000,,\n"  # 4
        "B,2026-03-03,,too big,331,,100000000000000000000,\n"  # 5
        "C,2026-03-03,,16 digits,642,10000000000000000,,\n"  # 6
        "C,2026-03-03,,16 digits,331,,10000000000000000,\n"  # 7
        "Z,2026-03-03,,under one dong,1122,1,,JPY\n"  # 8: 1 yen = 0.5 đồng -> 1
        "Z,2026-03-03,,under one dong,5111,,1,JPY\n"
        "V,2026-03-03,,too big at the rate,1122,9999999999999999,,USD\n"  # 10
        "V,2026-03-03,,too big at the rate,5111,,9999999999999999,USD\n"
    )
    before = state()
    with pytest.raises(services.ImportFailed) as err, translation.override("en"):
        services.journal_import(actor="cli", company=company, file=bad)
    assert state() == before
    messages = {e.row: e.message for e in err.value.errors}
    assert "invalid amount" in messages[2]
    assert "invalid amount" in messages[3]
    assert "too large" in messages[4]
    assert "too large" in messages[5]
    assert "too large" in messages[6]
    assert "too large" in messages[10]
    assert 8 not in messages  # 0.5 đồng rounds half-up to 1 đồng: valid


def test_a_foreign_row_worth_less_than_one_dong_is_a_row_error(company):
    services.rate_set(actor="cli", company=company, currency="JPY", date=date(2026, 3, 1),
                      rate="0.4")  # fmt: skip
    rows = HEADER + (
        "Y,2026-03-03,,x,1122,3,,JPY\n"  # 1.2 -> 1 đồng
        "Y,2026-03-03,,x,5111,,2,JPY\n"  # 0.8 -> 1 đồng
        "Y,2026-03-03,,x,5111,,1,JPY\n"  # 0.4 -> 0 đồng
    )
    before = state()
    with pytest.raises(services.ImportFailed) as err, translation.override("en"):
        services.journal_import(actor="cli", company=company, file=rows)
    assert state() == before
    assert [e.row for e in err.value.errors] == [4]
    assert "less than one unit of VND" in err.value.errors[0].message


def test_progress_is_reported(company):
    seen = []
    services.journal_import(
        actor="cli", company=company, file=GOOD, progress=lambda d, t, m="": seen.append((d, t))
    )
    assert seen[0] == (0, 7)
    assert seen[-1] == (7, 7)


# --- CLI (SPEC §4) ---------------------------------------------------------------------
def test_cli_import_journal_and_accounts(company, tmp_path):
    journal = tmp_path / "journal.csv"
    journal.write_text(GOOD, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["accounting", "import-journal", str(journal), "--company", "IMP"]
    )
    assert result.exit_code == 0, result.output
    assert "3 entries (7 lines)" in result.output
    chart = tmp_path / "chart.csv"
    chart.write_text(
        "code,name,type,parent\n1122.VCB,Vietcombank USD,asset,1122\n", encoding="utf-8"
    )
    with translation.override("en"):
        result = CliRunner().invoke(
            main, ["accounting", "import-accounts", str(chart), "--company", "IMP"]
        )
    assert result.exit_code == 0, result.output
    assert Account.objects.get(company=company, code="1122.VCB").parent.code == "1122"
    rates = tmp_path / "rates.csv"
    rates.write_text("currency,date,rate\nUSD,2026-03-01,25000\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["accounting", "rates", "import", str(rates), "--company", "IMP"]
    )
    assert result.exit_code == 0
    assert "1 exchange rate" in result.output
    assert AuditEvent.objects.filter(event_type="JOURNAL_IMPORTED", actor_label="cli").exists()


def test_cli_reports_every_row_error_and_exits_non_zero(company, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "1,2026-03-02,,x,9999,1,,\n1,2026-03-02,,x,331,,1,\n2,nope,,x,642,1,,\n",
                   encoding="utf-8")  # fmt: skip
    before = state()
    with translation.override("en"):
        result = CliRunner().invoke(
            main, ["accounting", "import-journal", str(bad), "--company", "IMP"]
        )
    assert result.exit_code == 1
    assert "row 2: unknown account 9999" in result.output
    assert "row 4: invalid date nope" in result.output
    assert state() == before
    result = CliRunner().invoke(
        main, ["accounting", "import-journal", str(bad), "--company", "NOPE"]
    )
    assert result.exit_code == 2
    assert "unknown company" in result.output
    chart = tmp_path / "chart.csv"
    chart.write_text("code,name,type,parent\n7,X,weird,\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["accounting", "import-accounts", str(chart), "--company", "IMP"]
    )
    assert result.exit_code == 1
    assert "row 2: " in result.output
    assert "weird" in result.output


@pytest.mark.parametrize(
    "args", [["import-journal"], ["import-accounts"], ["rates"], ["rates", "import"]]
)
def test_cli_help(args):
    result = CliRunner().invoke(main, ["accounting", *args, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


def _lock_order(monkeypatch):
    """Record when the audit chain, the balances and the voucher series are taken."""
    from backoffice.accounting import imports, posting

    taken = []
    for module in (imports, posting):
        for name, label in (
            ("audit_reserve", "chain"),
            ("add_to_balances", "balances"),
            ("allocate_numbers", "series"),
            ("number_and_post", "series"),
        ):
            real = getattr(module, name, None)
            if real is None:
                continue

            def spy(*args, _real=real, _label=label, **kwargs):
                taken.append(_label)
                return _real(*args, **kwargs)

            monkeypatch.setattr(module, name, spy)
    return taken


def test_import_and_posting_take_their_locks_in_one_order(company, monkeypatch):
    """The audit chain, then the balances, then the voucher series, in the import as
    in posting: in another order an import and the posters of its journal could
    deadlock once every audit chain is taken (PostgreSQL)."""
    from backoffice.accounting.tests.ledger_helpers import post

    taken = _lock_order(monkeypatch)
    services.journal_import(actor="cli", company=company, file=GOOD)
    imported = list(dict.fromkeys(taken))
    taken.clear()
    post(company, ("642", 5, 0), ("1111", 0, 5))
    posted = list(dict.fromkeys(taken))
    assert imported == ["chain", "balances", "series"]
    assert posted == ["chain", "balances", "series"]


def test_number_and_post_never_leaves_a_taken_number_unused(company):
    """PostgreSQL's one-statement numbering: if the entry is not there to post, the
    number is not kept (an error, the transaction rolls back: no gap)."""
    from django.db import connection, transaction

    from backoffice.accounting.ledger import number_and_post
    from backoffice.accounting.models import Journal, VoucherSequence
    from backoffice.accounting.tests.ledger_helpers import post

    if connection.vendor != "postgresql":
        pytest.skip("the one-statement numbering is PostgreSQL's")
    post(company, ("642", 5, 0), ("1111", 0, 5))  # the series exists now
    seq = VoucherSequence.objects.get(company=company, last_number=1)
    journal = Journal.objects.get(pk=seq.journal_id)
    with pytest.raises(RuntimeError), transaction.atomic():
        number_and_post(
            company_id=company.pk, journal_id=journal.pk, journal_code=journal.code,
            voucher_type=seq.voucher_type, year=seq.year, values=[None] * 6, entry_id=10**12,
        )  # fmt: skip
    seq.refresh_from_db()
    assert seq.last_number == 1


def test_an_entry_whose_rows_are_apart_is_imported_whole(company):
    apart = HEADER + (
        "A,2026-03-02,,a,642,5,,\n"
        "B,2026-03-02,,b,642,7,,\n"
        "A,2026-03-02,,a,331,,5,\n"
        "B,2026-03-02,,b,331,,7,\n"
    )
    result = services.journal_import(actor="cli", company=company, file=apart)
    assert (result.entries, result.lines) == (2, 4)
    entries = {e.reference: e for e in Entry.objects.filter(company=company)}
    assert entries["A"].number == "PKT2026/00001"  # file order within the day
    assert entries["B"].number == "PKT2026/00002"
    assert sorted(entries["A"].lines.values_list("debit", "credit")) == [(0, 5), (5, 0)]
    assert sorted(entries["B"].lines.values_list("debit", "credit")) == [(0, 7), (7, 0)]


def _many_entries(n: int, *, odd: int | None = None) -> str:
    rows = []
    for k in range(n):
        text = "boom" if k == odd else f"e{k}"
        rows += [
            f"E{k},2026-03-02,,{text},642,{k + 1},,\n",
            f"E{k},2026-03-02,,{text},331,,{k + 1},\n",
        ]
    return HEADER + "".join(rows)


def _refuse_lines_described(word: str) -> None:
    """A database trigger that refuses the lines described ``word`` (the test's
    transaction takes it away again)."""
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute(
                "CREATE TEMP TRIGGER refuse_word BEFORE INSERT ON accounting_line "
                f"WHEN NEW.description = '{word}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )
            return
        cur.execute(
            "CREATE FUNCTION pg_temp.refuse_word() RETURNS trigger AS $$ BEGIN "
            f"IF NEW.description = '{word}' THEN RAISE EXCEPTION 'refused' "
            "USING ERRCODE = 'check_violation'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
        )
        cur.execute(
            "CREATE TRIGGER refuse_word BEFORE INSERT ON accounting_line "
            "FOR EACH ROW EXECUTE FUNCTION pg_temp.refuse_word()"
        )


def test_a_database_error_while_rows_are_written_stores_nothing(company, monkeypatch):
    """The rows are written in batches; a batch refused by the database half-way
    through the file is Django's error, and nothing is kept."""
    from django.db import IntegrityError

    from backoffice.accounting import imports

    monkeypatch.setattr(imports, "CHUNK", 4)  # many batches: the error comes mid-way
    _refuse_lines_described("boom")
    audit_before = AuditEvent.objects.count()
    with pytest.raises(IntegrityError):
        services.journal_import(actor="cli", company=company, file=_many_entries(30, odd=17))
    assert Entry.objects.filter(company=company).count() == 0
    assert Line.objects.filter(company=company).count() == 0
    assert AccountBalance.objects.filter(company=company).count() == 0
    assert AuditEvent.objects.count() == audit_before
    # the same file without the refused row goes in whole, in batches
    result = services.journal_import(actor="cli", company=company, file=_many_entries(30))
    assert (result.entries, result.lines) == (30, 60)
    assert Line.objects.filter(company=company, posted=True).count() == 60


def test_an_error_after_the_lines_are_written_stores_nothing(company, monkeypatch):
    from backoffice.accounting import imports

    monkeypatch.setattr(imports, "CHUNK", 4)

    def broken(*args):
        raise RuntimeError("numbering failed")

    monkeypatch.setattr(imports, "voucher_number", broken)  # after every line is written
    audit_before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError):
        services.journal_import(actor="cli", company=company, file=_many_entries(30))
    assert Line.objects.filter(company=company).count() == 0
    assert Entry.objects.filter(company=company).count() == 0
    assert AccountBalance.objects.filter(company=company).count() == 0
    assert AuditEvent.objects.count() == audit_before
