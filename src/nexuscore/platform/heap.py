"""Keep the garbage collector's full passes short in long-running processes.

Everything alive once the app has started (modules, routes, the OpenAPI schema, SQLAlchemy
metadata) lives as long as the process. Left in the collector's oldest generation, every
full collection walks all of it again: 100-160 ms with the event loop stopped, measured
during a login storm, which is exactly a tail-latency stall for every other request.
Freezing that start-up heap moves it out of the collector's sight; it is still freed by
reference counting, only cycles among frozen objects are never collected.
"""

from __future__ import annotations

import gc

_frozen = False


def freeze_startup_heap() -> bool:
    """Collect once, then freeze what survives; only the first call per process does it.

    Once per process because the test suite builds many apps in one process: freezing again
    would keep each torn-down app's cycles forever.
    """
    global _frozen
    if _frozen:
        return False
    gc.collect()
    gc.freeze()
    _frozen = True
    return True
