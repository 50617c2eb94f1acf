"""The staff routes read the principal before they touch the session themselves.

Litestar resolves independent dependencies concurrently; the principal's session lookup and
the unit of work's RLS binding ran on one AsyncSession at once and answered 500 ("This
session is provisioning a new connection") under the fuzzer's load.
"""

from __future__ import annotations

import inspect

from nexuscore.webhooks.adapters.http.controllers import WebhookInboxController


def test_the_staff_routes_unit_of_work_waits_for_the_staff_check() -> None:
    provider = WebhookInboxController.dependencies["webhooks_uow"]
    assert "webhooks_staff" in inspect.signature(provider.dependency).parameters
