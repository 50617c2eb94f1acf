from __future__ import annotations

import pytest

from tests.contract.conftest import Backend
from tests.contract.organizations.backends import OrganizationsBackend


@pytest.fixture
def organizations(backend: Backend) -> OrganizationsBackend:
    return OrganizationsBackend(backend)
