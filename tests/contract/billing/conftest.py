from __future__ import annotations

import pytest

from tests.contract.billing.backends import BillingBackend
from tests.contract.conftest import Backend


@pytest.fixture
def bill(backend: Backend) -> BillingBackend:
    return BillingBackend(backend)
