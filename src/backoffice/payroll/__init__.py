"""Payroll for Vietnam: statutory rules as effective-dated data, payroll runs,
payslips and their posting to the ledger.

Invariants:

* Every statutory parameter (PIT scale, family deductions, insurance rates and
  caps, regional minimum wages, union fund and dues, meal cap, overtime rates,
  flat withholding) is a dated row: shipped in ``payroll/data/rules/*.csv``
  and, for law changes after a release, added in the desk (``RuleValue`` /
  ``PitBracketRow``). A month is computed with the rows in force on its first
  day (:mod:`backoffice.payroll.rules`).
* The calculation of one employee-month is pure (:mod:`.calculations`): no
  ORM, Decimal only, each item rounded to the đồng half-up.
* A run goes draft -> computed -> pending (approval engine) -> approved ->
  paid -> posted; it can be recomputed until it is approved; afterwards a
  correction is an adjustment run. Posting goes through
  ``accounting.posting`` only.
* Amounts per person are encrypted at rest (one encrypted JSON document per
  payslip); runs keep plaintext aggregates only. Only payroll roles and the
  HR manager see runs and amounts; an employee sees their own payslips.
"""
