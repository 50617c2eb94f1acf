"""localstripe's own signed webhooks reach the running API's inbox and change our state (issue
12: "end to end with the stand-in: a subscription created or changed in the stand-in reaches the
inbox as a signed webhook and changes our state"). Nothing here signs a delivery: localstripe
does, with the endpoint secret it was configured with; the worker process handles them through
the real subscriptions context and its Stripe gateway (refetches go to the stand-in)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.served import ServedApi
from tests.e2e.webhooks.localstripe_served import (
    STRIPE_KEY,
    api_on_localstripe,
    eventually,
    inbox_events,
    owner_with_org,
    point_localstripe_at,
    seed_and_sync_plans,
)
from tests.integration.subscriptions.conftest import LOCALSTRIPE_PORT
from tests.integration.subscriptions.conftest import stripe_api_base as stripe_api_base

pytestmark = pytest.mark.e2e
LOCALSTRIPE = f"http://127.0.0.1:{LOCALSTRIPE_PORT}"


@pytest.fixture
def api(app_postgres_url: str, redis_url: str, tmp_path: Path, stripe_api_base: str) -> Iterator[ServedApi]:
    with api_on_localstripe(tmp_path / "server", app_postgres_url, redis_url, stripe_api_base) as served:
        yield served


async def test_a_subscription_made_at_localstripe_reaches_our_state_through_its_own_signed_webhooks(
    api: ServedApi,
    app_postgres_url: str,
    stripe_api_base: str,
) -> None:
    await seed_and_sync_plans(app_postgres_url, stripe_api_base)
    await point_localstripe_at(LOCALSTRIPE, api)
    async with httpx.AsyncClient(base_url=api.base_url) as http:
        authorization, org_id = await owner_with_org(http, api, "owner@kopi.sg", "Kopi Tiam Pte Ltd")
        headers = {"Authorization": authorization}

        async def subscription() -> dict[str, Any]:
            response = await http.get(f"/api/v1/orgs/{org_id}/subscription", headers=headers)
            assert response.status_code == 200, response.text
            body: dict[str, Any] = response.json()
            return body

        profile = {
            "legalName": "Kopi Tiam Pte Ltd",
            "billingEmail": "accounts@kopi.sg",
            "address": {"lines": ["1 Raffles Place", "#20-01"], "postalCode": "048616", "country": "SG"},
            "uen": "201912345K",
            "gstRegistrationNumber": "M91234567X",
        }
        saved = await http.put(f"/api/v1/orgs/{org_id}/billing-profile", json=profile, headers=headers)
        assert saved.status_code == 200, saved.text

        # checkout through our Stripe gateway; the stand-in completes it at localstripe
        started = await http.post(
            f"/api/v1/orgs/{org_id}/subscription/checkout",
            json={"planCode": "starter", "interval": "month"},
            headers=headers,
        )
        assert started.status_code == 201, started.text
        session_id = started.json()["sessionId"]
        assert (await subscription())["status"] is None  # nothing until Stripe says so
        async with httpx.AsyncClient() as stripe_http:
            paid = await stripe_http.post(f"{stripe_api_base}/_standin/checkout/{session_id}/pay")
            assert paid.status_code == 200, paid.text
        sub_id = paid.json()["subscription"]["id"]
        assert paid.json()["subscription"]["status"] == "active"  # its first invoice paid at once

        async def active() -> dict[str, Any] | None:
            body = await subscription()
            return body if body["status"] == "active" else None

        subscribed = await eventually(active, "customer.subscription.created to reach our state")
        assert (subscribed["planCode"], subscribed["interval"], subscribed["usage"]["seats"]["limit"]) == (
            "starter",
            "month",
            5,
        )

        # its first invoice: localstripe sends invoice.payment_succeeded (no invoice.finalized);
        # billing refetches the invoice and the customer's organisation and issues ours, paid
        async def invoiced() -> list[dict[str, Any]]:
            response = await http.get(f"/api/v1/orgs/{org_id}/invoices", headers=headers)
            assert response.status_code == 200, response.text
            items: list[dict[str, Any]] = response.json()["items"]
            return items if items and items[0]["status"] == "paid" else []

        [invoice] = await eventually(invoiced, "the paid invoice to reach billing")
        assert invoice["number"].startswith("INV-") and invoice["source"] == "stripe"
        assert (invoice["totalExcludingGst"], invoice["gstAmount"], invoice["totalIncludingGst"]) == (
            4_900,
            441,
            5_341,
        )
        # localstripe charged no tax; our GST stands. The mismatch is flagged for staff only
        # (tests/e2e/webhooks/test_billing_wired.py): the tenant's view does not carry it.
        assert "taxMismatch" not in invoice

        # cancelled at the gateway itself (the dashboard): only its webhook tells us
        async with httpx.AsyncClient(auth=(STRIPE_KEY, "")) as stripe_http:
            deleted = await stripe_http.delete(f"{stripe_api_base}/v1/subscriptions/{sub_id}")
            assert deleted.status_code == 200, deleted.text

        async def ended() -> dict[str, Any] | None:
            body = await subscription()
            return body if body["status"] == "canceled" else None

        canceled = await eventually(ended, "customer.subscription.deleted to reach our state")
        assert canceled["planCode"] == "free"

    stored = {(row.type, row.status) for row in await inbox_events(app_postgres_url)}
    assert ("customer.subscription.created", "processed") in stored
    assert ("customer.subscription.deleted", "processed") in stored
    assert ("invoice.payment_succeeded", "processed") in stored
    # localstripe's other events (customer.created, invoice.created, ...) are stored and answered
    assert all(status in ("processed", "ignored") for _, status in stored), stored
