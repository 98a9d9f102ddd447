"""Extension points of the workflow app (other apps plug in from their ready()).

``on_expense_claim_approved(func)``: ``func(*, claim, actor)`` is called inside
the transaction that approves an expense claim (the last approval step). The
accounting app posts the claim there (or later) and then calls
``workflow.services.expense_claim_mark_posted(...)``. An exception raised by a
hook aborts the approval: catch what the approver cannot fix and post later.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_expense_approved: list[Callable[..., Any]] = []


def on_expense_claim_approved(func: Callable[..., Any]) -> Callable[..., Any]:
    if func not in _expense_approved:
        _expense_approved.append(func)
    return func


def expense_claim_approved(*, claim: Any, actor: Any) -> None:
    for func in list(_expense_approved):
        func(claim=claim, actor=actor)


# ``on_task_closed(func)``: ``func(*, task, actor)`` runs inside the transaction
# that completes or cancels a task (HR closes an onboarding case when its last
# task is done).
_task_closed: list[Callable[..., Any]] = []


def on_task_closed(func: Callable[..., Any]) -> Callable[..., Any]:
    if func not in _task_closed:
        _task_closed.append(func)
    return func


def task_closed(*, task: Any, actor: Any) -> None:
    for func in list(_task_closed):
        func(task=task, actor=actor)
