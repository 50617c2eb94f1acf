from __future__ import annotations

import pytest

from tests.contract.conftest import Backend
from tests.contract.identity.backends import IdentityBackend


@pytest.fixture
def identity(backend: Backend) -> IdentityBackend:
    return IdentityBackend(backend)
