"""Human resources: the people of a company and their working lives.

Employees and remote collaborators (``Employee``, kind), their organisation
(department, position, reporting line, job history with effective dates),
labour contracts under the Labour Code 2019, leave (an append-only ledger;
balances are sums), attendance and overtime, onboarding/offboarding
checklists that create tasks for HR, IT and accounting.

Invariants:
* every row belongs to one company; reads go through ``hr.selectors``;
* national ID, tax code, social insurance number, bank account and salaries
  are encrypted at rest; lists show them masked; revealing one is audited;
* salaries are visible to salary roles (``core.view_salary``) and the person;
* a leave balance is the sum of its ledger rows, never edited;
* Labour Code limits (probation, fixed-term length and count) are refused in
  the service with the article cited.
"""
