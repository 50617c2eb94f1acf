from __future__ import annotations

import pytest

from tests.contract.conftest import Backend
from tests.contract.subscriptions.backends import SubscriptionsBackend


@pytest.fixture
def subs(backend: Backend) -> SubscriptionsBackend:
    return SubscriptionsBackend(backend)
