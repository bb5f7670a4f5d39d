"""Waits bounded by a timeout, for tests that check a limit stops something: the call runs in a
thread and the test waits for it no longer than the limit plus slack, so an answer that comes
late fails by timeout (no elapsed time is measured or asserted)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import pytest

T = TypeVar("T")


def returns_within(limit: float, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``call(*args, **kwargs)``'s value, or the exception it raised, if it returns within
    ``limit`` seconds; else the test fails (the call is left to finish in a daemon thread)."""
    outcome: list[tuple[bool, Any]] = []

    def run() -> None:
        try:
            outcome.append((True, call(*args, **kwargs)))
        except BaseException as exc:  # handed to the test below
            outcome.append((False, exc))

    thread = threading.Thread(target=run, name="bounded-call", daemon=True)
    thread.start()
    thread.join(timeout=limit)
    if not outcome:
        pytest.fail(f"{getattr(call, '__name__', call)} did not return within {limit} s")
    returned, value = outcome[0]
    if not returned:
        raise value
    return value  # type: ignore[no-any-return]
