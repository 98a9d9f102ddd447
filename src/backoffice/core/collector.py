"""Pausing Python's cyclic garbage collector around bulk work.

    from backoffice.core.collector import collector_paused

    with collector_paused():
        ...  # build and store hundreds of thousands of rows

A bulk operation (a payroll run, a journal import of a million lines) keeps
hundreds of thousands of objects alive until it ends. Each time the live
objects grow by a quarter, the collector walks the whole heap, finding
nothing to free: a fifth of a 10,000-person payroll run and about a third of
the CSV reading and checking of a journal import. Reference counting still
frees everything the block drops; only reference cycles wait until the
collector resumes after the block. Nested blocks leave it off until the
outermost one ends.

The switch is process-wide: in a threaded server, another request's code runs
with the collector off while a block is open, and two overlapping blocks in
different threads can switch it back on when the first of them ends (only
cyclic garbage waits longer or is collected sooner; nothing is freed early).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the block (see the module docstring)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
