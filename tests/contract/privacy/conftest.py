from __future__ import annotations

import pytest

from tests.contract.conftest import Backend
from tests.contract.privacy.backends import PrivacyBackend


@pytest.fixture
def privacy(backend: Backend) -> PrivacyBackend:
    return PrivacyBackend(backend)
