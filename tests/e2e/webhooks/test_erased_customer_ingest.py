"""Through the signed ingest route: the `customer.updated` the erasure itself causes carries
the real email in `previous_attributes`; the inbox stores it without. An ordinary
`customer.updated` is stored byte for byte as received."""

from __future__ import annotations

import json
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from nexuscore.bootstrap.runtime import Runtime
from nexuscore.kernel.personal_data import masked_email, salted_hash
from tests.e2e.webhooks.conftest import NOW, deliver, inbox_row, stripe_header

pytestmark = pytest.mark.e2e

REAL_EMAIL, REAL_NAME = "mei.erased@example.com", "Tan Mei Ling"


def customer_updated(event_id: str, obj: dict[str, Any], previous: dict[str, Any]) -> bytes:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": "customer.updated",
            "api_version": "2025-03-31.basil",
            "created": int(NOW.timestamp()),
            "livemode": False,
            "data": {"object": obj, "previous_attributes": previous},
        }
    ).encode()


async def test_the_erasures_customer_updated_is_stored_without_the_real_email(
    hooks: AsyncTestClient[Litestar], runtime: Runtime
) -> None:
    masked = {"email": masked_email(REAL_EMAIL, b"k"), "name": salted_hash(REAL_NAME, b"k")}
    body = customer_updated(
        "evt_erasure", {"id": "cus_1", "object": "customer", **masked}, {"email": REAL_EMAIL, "name": REAL_NAME}
    )
    response = await deliver(hooks, body, stripe_header(body))
    assert response.status_code == 200, response.text
    assert response.json() == {"received": True, "duplicate": False}

    row = await inbox_row(hooks, runtime, "evt_erasure")
    assert REAL_EMAIL not in row.payload.lower() and REAL_NAME.lower() not in row.payload.lower()
    stored = json.loads(row.payload)
    assert stored["data"]["previous_attributes"] == masked
    assert stored["data"]["object"]["email"] == masked["email"]
    # Stored once: the same delivery again is a duplicate that writes nothing.
    again = await deliver(hooks, body, stripe_header(body))
    assert again.json() == {"received": True, "duplicate": True}


async def test_an_ordinary_customer_updated_is_stored_as_received(
    hooks: AsyncTestClient[Litestar], runtime: Runtime
) -> None:
    body = customer_updated(
        "evt_ordinary",
        {"id": "cus_2", "object": "customer", "email": "new.contact@example.com", "name": "Acme Pte Ltd"},
        {"email": "old.contact@example.com", "name": "Acme Ltd"},
    )
    response = await deliver(hooks, body, stripe_header(body))
    assert response.status_code == 200, response.text
    row = await inbox_row(hooks, runtime, "evt_ordinary")
    assert row.payload == body.decode()
