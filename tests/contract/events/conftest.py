from __future__ import annotations

import pytest

from tests.contract.conftest import Backend
from tests.contract.events.backends import EventsBackend


@pytest.fixture
def events(backend: Backend) -> EventsBackend:
    return EventsBackend(backend)
