"""Report screens, namespace "accounting". Mounted by backoffice/urls.py at
``desk/accounting/`` (before the admin site, so the desk's two-factor rule
and layout apply): /desk/accounting/reports/trial-balance/ ..."""

from django.urls import path

from backoffice.accounting import views

app_name = "accounting"

urlpatterns = [
    path("reports/trial-balance/", views.trial_balance, name="trial_balance"),
    path("reports/general-journal/", views.general_journal, name="general_journal"),
    path("reports/ledger/", views.ledger, name="ledger"),
    path("reports/cash-book/", views.cash_book, name="cash_book"),
    path("reports/bank-book/", views.bank_book, name="bank_book"),
    path("reports/balance-sheet/", views.balance_sheet, name="balance_sheet"),
    path("reports/income-statement/", views.income_statement, name="income_statement"),
    path("reports/cash-flow/", views.cash_flow, name="cash_flow"),
]
urlpatterns += [
    path("periods/<int:pk>/close/", views.period_close, name="period_close"),
]
