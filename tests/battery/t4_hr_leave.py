"""T4 table of the HR leave area: leave types, holiday overrides (HR), leave
requests and the ledger (every member opens the screens but sees only their
own rows, their team's requests, or, with ``hr.view_leave``, everybody's).

The request and ledger screens list only the other company's row here: a
company-A row would be visible to HR roles and hidden from the rest, which the
matrix cannot express; ``hr/tests/test_leave_*`` prove that a colleague's and
another department's rows stay hidden.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from t4_base import ANY, Row, Screen

DESK = {
    "hr.leavetype": Screen("hr.view_leave", "hr.manage_leave", "hr.manage_leave", None),
    "hr.holidayoverride": Screen(
        "hr.view_leave", "hr.manage_leave", "hr.manage_leave", "hr.manage_leave"
    ),
    # Add: HR for anyone, or a person with an employee record for themself (the T4
    # role users have none).
    "hr.leaverequest": Screen(ANY, "hr.manage_leave", None, None),
    "hr.leaveentry": Screen(ANY),
}
# The team calendar (any member: their own row and their team's; HR everybody) and the
# balances page (hr.view_leave) are pages of the ``hr`` namespace.
APP_URLS = {"hr": {"leave_calendar", "leave_balances"}}


def build_rows(a, b, alpha, bravo):
    from backoffice.hr.models import Employee, HolidayOverride, LeaveEntry, LeaveRequest, LeaveType

    rows = {}
    made = {}

    def base(company, tag):
        if tag not in made:
            emp = Employee.objects.create(company=company, code=f"T4L-{tag}",
                                          full_name=f"{tag}-LEAVE-PERSON",
                                          hire_date=date(2024, 1, 1))  # fmt: skip
            lt = LeaveType.objects.create(company=company, code=f"T4L-{tag}",
                                          name=f"{tag}-LEAVETYPE", category="annual",
                                          uses_balance=True)  # fmt: skip
            made[tag] = (emp, lt)
        return made[tag]

    def leave_type(company, tag):
        _emp, lt = base(company, tag)
        return Row(lt, f"{tag}-LEAVETYPE", str(lt.public_id))

    def holiday(company, tag):
        h = HolidayOverride.objects.create(company=company, date=date(2026, 2, 13),
                                           name=f"{tag}-SWAPDAY")  # fmt: skip
        return Row(h, f"{tag}-SWAPDAY", str(h.public_id))

    def request(company, tag):
        emp, lt = base(company, tag)
        r = LeaveRequest.objects.create(company=company, employee=emp, leave_type=lt,
                                        start_date=date(2026, 3, 2), end_date=date(2026, 3, 3),
                                        days=Decimal(2), reason=f"{tag}-LEAVE-REASON")  # fmt: skip
        return Row(r, f"{tag}-LEAVE-PERSON", str(r.public_id))

    def entry(company, tag):
        emp, lt = base(company, tag)
        e = LeaveEntry.objects.create(company=company, employee=emp, leave_type=lt, year=2026,
                                      date=date(2026, 1, 1), kind="accrual", days=Decimal(12),
                                      note=f"{tag}-LEDGER-NOTE")  # fmt: skip
        return Row(e, f"{tag}-LEAVE-PERSON", str(e.public_id))

    rows["hr.leavetype"] = {"own": leave_type(a, "ALPHA"), "other": leave_type(b, "BRAVO")}
    rows["hr.holidayoverride"] = {"own": holiday(a, "ALPHA"), "other": holiday(b, "BRAVO")}
    rows["hr.leaverequest"] = {"other": request(b, "BRAVO")}
    rows["hr.leaveentry"] = {"other": entry(b, "BRAVO")}
    return rows
