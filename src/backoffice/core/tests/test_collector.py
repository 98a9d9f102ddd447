"""collector_paused: the cyclic collector is off inside, and back as it was after."""

from __future__ import annotations

import gc

import pytest

from backoffice.core.collector import collector_paused


def _nested_then_fail() -> None:
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # an inner block does not switch it back on
        raise RuntimeError


def test_the_collector_is_off_inside_and_on_again_after_even_on_error():
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        _nested_then_fail()
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
