"""T6 ledger state machine: hypothesis drives random sequences of what people do
to the books (draft, edit, post, delete, reverse, close/reopen/lock/unlock a
period, post into closed or locked periods as an accountant or the chief,
tamper with posted entries through the ORM) and checks the invariants after
every step:

- every posted entry balances, has >= 2 posted lines and never changes again;
- total debit = total credit; AccountBalance = sum of posted lines per account and period;
- voucher numbers are unique and gap-free per series;
- nothing lands in a locked period; a plain accountant never posts into a closed one.

Figure: steps run and invariant violations (must be 0).
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from backoffice.accounting import services
from backoffice.accounting.models import AccountBalance, Entry, Line, Period, PeriodState
from backoffice.core.enums import Role
from backoffice.core.exceptions import ApplicationError
from backoffice.core.models import Company, Membership, User

pytestmark = pytest.mark.django_db

FULL = os.environ.get("BACKOFFICE_BATTERY_FULL") == "1"
EXAMPLES, STEPS = (60, 40) if FULL else (12, 25)
ACCOUNTS = ["1111", "1121", "131", "156", "331", "4111", "5111", "632", "642", "1331"]
MONTHS = [1, 2, 3]
STATS: Counter = Counter()


class _Rollback(Exception):
    pass


class Ledger(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        STATS["machines"] += 1
        n = STATS["machines"]
        self.company = Company.objects.create(code=f"T6{n}", name="T6", chart="tt99")
        services.books_create(actor="t6", company=self.company)
        self.chief = self._person(Role.CHIEF_ACCOUNTANT, n)
        self.accountant = self._person(Role.ACCOUNTANT, n)
        self.frozen: dict[int, tuple] = {}  # posted entry -> its snapshot

    def _person(self, role, n):
        user = User.objects.create_user(
            f"{role}{n}@t6.vn", password="Kh0ng-doan-duoc!", full_name="T6"
        )
        Membership.objects.create(user=user, company=self.company, role=role)
        user.active_company = self.company
        return user

    def teardown(self):
        self._atomic.__exit__(_Rollback, _Rollback(), None)  # roll the example back

    # --- helpers --------------------------------------------------------------------
    def _period(self, month):
        return Period.objects.get(company=self.company, start=date(2026, month, 1))

    def _try(self, label, func):
        STATS["steps"] += 1
        try:
            with transaction.atomic():
                result = func()
        except ApplicationError:
            STATS[f"refused {label}"] += 1
            return None
        STATS[label] += 1
        if isinstance(result, Entry) and result.state == "posted":
            self.frozen[result.pk] = self._snapshot(result.pk)
        return result

    @staticmethod
    def _snapshot(pk):
        e = Entry.objects.get(pk=pk)
        return (e.number, e.state, e.date, e.total, e.journal_id, e.period_id,
                tuple(e.lines.order_by("pk").values_list("account_id", "debit", "credit", "posted")))  # fmt: skip

    def _lines(self, debits, credit_account):
        lines = [services.LineInput(a, debit=Decimal(x)) for a, x in debits]
        lines.append(services.LineInput(credit_account, credit=Decimal(sum(x for _a, x in debits))))
        return lines

    # --- rules ----------------------------------------------------------------------------
    entry = st.tuples(
        st.lists(st.tuples(st.sampled_from(ACCOUNTS), st.integers(1, 10**9)), min_size=1, max_size=3),
        st.sampled_from(ACCOUNTS), st.sampled_from(MONTHS), st.integers(1, 28),
        st.sampled_from(["GEN", "CASH", "BANK", "SALE"]),
    )  # fmt: skip
    who = st.sampled_from(["chief", "accountant"])

    @rule(e=entry, who=who)
    def post(self, e, who):
        debits, credit, month, day, journal = e
        actor = getattr(self, who)
        period = self._period(month)
        result = self._try("post", lambda: services.entry_create(
            actor=actor, company=self.company, date=date(2026, month, day), description="t6",
            lines=self._lines(debits, credit), journal=journal, post=True,
        ))  # fmt: skip
        if result is not None:
            assert period.state != PeriodState.LOCKED, "posted into a locked period"
            assert period.state == PeriodState.OPEN or who == "chief", (
                "accountant posted into a closed period"
            )

    @rule(e=entry, who=who)
    def draft(self, e, who):
        debits, credit, month, day, journal = e
        self._try("draft", lambda: services.entry_create(
            actor=getattr(self, who), company=self.company, date=date(2026, month, day),
            description="t6 draft", lines=self._lines(debits, credit), journal=journal,
        ))  # fmt: skip

    def _pick(self, state, i):
        pks = list(
            Entry.objects.filter(company=self.company, state=state)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        return Entry.objects.get(pk=pks[i % len(pks)]) if pks else None

    @rule(i=st.integers(0, 100), who=who)
    def post_draft(self, i, who):
        entry = self._pick("draft", i)
        if entry is not None:
            self._try(
                "post draft", lambda: services.entry_post(actor=getattr(self, who), entry=entry)
            )

    @rule(i=st.integers(0, 100), amount=st.integers(1, 10**6))
    def edit_draft(self, i, amount):
        entry = self._pick("draft", i)
        if entry is not None:
            self._try("edit draft", lambda: services.entry_update(
                actor=self.accountant, entry=entry, description="edited",
                lines=self._lines([("642", amount)], "331"),
            ))  # fmt: skip

    @rule(i=st.integers(0, 100))
    def delete_draft(self, i):
        entry = self._pick("draft", i)
        if entry is not None:
            self._try(
                "delete draft", lambda: services.entry_delete(actor=self.accountant, entry=entry)
            )

    @rule(i=st.integers(0, 100), who=who, month=st.sampled_from([None, *MONTHS]))
    def reverse(self, i, who, month):
        entry = self._pick("posted", i)
        if entry is not None:
            when = date(2026, month, 15) if month else None
            self._try(
                "reverse",
                lambda: services.entry_reverse(actor=getattr(self, who), entry=entry, date=when),
            )

    @rule(i=st.integers(0, 100), who=who)
    def change_posted(self, i, who):
        """Editing, deleting or re-posting a posted entry is always refused."""
        entry = self._pick("posted", i)
        if entry is None:
            return
        actor = getattr(self, who)
        for label, attempt in (
            (
                "edit posted",
                lambda: services.entry_update(actor=actor, entry=entry, description="x"),
            ),
            ("delete posted", lambda: services.entry_delete(actor=actor, entry=entry)),
            ("post posted", lambda: services.entry_post(actor=actor, entry=entry)),
        ):
            assert self._try(label, attempt) is None, f"{label} succeeded"

    @rule(i=st.integers(0, 100))
    def tamper(self, i):
        entry = self._pick("posted", i)
        if entry is None:
            return
        STATS["steps"] += 1
        try:
            with transaction.atomic():
                Line.objects.filter(entry=entry).update(debit=1)
                if connection.vendor == "postgresql":
                    connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
        except DatabaseError:
            STATS["refused tamper"] += 1
        else:
            raise AssertionError("a posted entry's lines were changed")

    @rule(month=st.sampled_from(MONTHS), state=st.sampled_from(list(PeriodState)), who=who)
    def period_state(self, month, state, who):
        self._try(f"period -> {state.value}", lambda: services.period_set_state(
            actor=getattr(self, who), period=self._period(month), state=state))  # fmt: skip

    # --- invariants ---------------------------------------------------------------------
    @invariant()
    def books_are_sound(self):
        company = self.company
        lines = Line.objects.filter(company=company, posted=True)
        tot = lines.aggregate(d=Sum("debit"), c=Sum("credit"))
        assert (tot["d"] or 0) == (tot["c"] or 0)
        from_lines = {
            (a, p): (d, c)
            for a, p, d, c in lines.values("account_id", "period_id")
            .annotate(d=Sum("debit"), c=Sum("credit")).values_list("account_id", "period_id", "d", "c")
        }  # fmt: skip
        balances = {(b.account_id, b.period_id): (b.debit, b.credit)
                    for b in AccountBalance.objects.filter(company=company)}  # fmt: skip
        assert balances == from_lines
        for pk, snap in self.frozen.items():
            assert self._snapshot(pk) == snap, "a posted entry changed"
        series = defaultdict(list)
        for number in Entry.objects.filter(company=company, state="posted").values_list(
            "number", flat=True
        ):
            prefix, n = re.fullmatch(r"(.+)/(\d{5})", number).groups()
            series[prefix].append(int(n))
        for numbers in series.values():
            assert sorted(numbers) == list(range(1, len(numbers) + 1)), "numbers not gap-free"
        assert not Line.objects.filter(
            company=company, posted=False, entry__state="posted"
        ).exists()


def test_t6_ledger_state_machine(db):
    STATS.clear()
    violations = 0
    try:
        run_state_machine_as_test(
            Ledger,
            settings=settings(max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None,
                              suppress_health_check=list(HealthCheck), derandomize=True),
        )  # fmt: skip
    except AssertionError:
        violations = 1
        raise
    finally:
        refused = sum(v for k, v in STATS.items() if k.startswith("refused"))
        print(
            f"T6 ledger state machine ({connection.vendor}): machines {STATS['machines']}, steps "
            f"{STATS['steps']}, posted {STATS['post'] + STATS['post draft']}, reversed "
            f"{STATS['reverse']}, refused {refused}, invariant violations {violations}"
            + (f" {dict(STATS)}" if os.environ.get("T6_VERBOSE") else "")
        )
