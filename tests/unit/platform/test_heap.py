"""The start-up heap is frozen once per process, so full collections stop walking it."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.unit

PROBE = """
import gc
from nexuscore.platform.heap import freeze_startup_heap
before = gc.get_freeze_count()
first = freeze_startup_heap()
frozen = gc.get_freeze_count()
second = freeze_startup_heap()
print(before, first, frozen > 1000, second, gc.get_freeze_count() == frozen)
"""


def test_the_first_call_freezes_what_is_alive_and_later_calls_do_nothing() -> None:
    # A fresh interpreter: this test process may already have frozen its heap for an app.
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.split() == ["0", "True", "True", "False", "True"]
