from __future__ import annotations

import pytest

from tests.contract.conftest import Backend
from tests.contract.leads.backends import LeadsBackend


@pytest.fixture
def leads(backend: Backend) -> LeadsBackend:
    return LeadsBackend(backend)
