"""Staff and the requests about users (the platform answers for them), through HTTP: a user's
account deletion whose Stripe step fails (the stand-in in front of localstripe is down) ends
in `error`; staff list it and, once the gateway is back, retry it, and it completes, the retry
in its history under the staff member. Non-staff get 403; a tenant's request is not found here."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.identity.adapters.sql.tables import UserRow
from nexuscore.kernel.personal_data import ERASED_ADDRESS_SUFFIX
from nexuscore.platform.settings import Settings
from nexuscore.subscriptions.adapters.sql.tables import BillingProfileRow
from tests.conftest import make_settings
from tests.e2e.conftest import Inbox, auth, join_org, login, verified_user
from tests.e2e.privacy.conftest import Client, org, system_read
from tests.integration.subscriptions.conftest import another_standin
from tests.integration.subscriptions.conftest import stripe_api_base as stripe_api_base

pytestmark = pytest.mark.e2e
URL = "/api/v1/admin/privacy/requests"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def gateway_port(stripe_api_base: str) -> int:
    """A port of this test's own where a stand-in in front of the package's localstripe is
    brought up and down (`another_standin`): the app's Stripe gateway points there."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    return port


@pytest.fixture
def identity_settings(app_postgres_url: str, tmp_path: Path, gateway_port: int) -> Settings:
    return make_settings(
        tmp_path,
        DATABASE_URL=app_postgres_url,
        OUTBOX_RELAY_IN_PROCESS="true",
        OUTBOX_POLL_SECONDS="0.05",
        MAIL_BACKEND="file",
        APP_BASE_URL="https://app.example.sg",
        STRIPE_SECRET_KEY="sk_test_platform_requests",
        STRIPE_API_BASE=f"http://127.0.0.1:{gateway_port}",
    )


async def _staff(client: Client, inbox: Inbox, runtime: Any, email: str) -> dict[str, str]:
    await verified_user(client, inbox, email)

    async def make_staff(session: AsyncSession) -> None:
        await session.execute(update(UserRow).where(UserRow.email == email).values(is_staff=True))

    await system_read(client, runtime, make_staff)
    return {"Authorization": f"Bearer {(await login(client, email)).json()['accessToken']}"}


async def test_staff_retry_a_users_failed_deletion_once_the_gateway_is_back(
    client: Client, inbox: Inbox, runtime: Any, gateway_port: int
) -> None:
    with another_standin(gateway_port):
        owner = await verified_user(client, inbox, "owner@kaya.sg")
        org_id = await org(client, owner, "Kaya Toast Pte Ltd")
        cat = await join_org(client, inbox, org_id, owner, "cat@kaya.sg", "member")
        # Cat is the billing contact: her address is on the organisation's Stripe customer.
        profile = {
            "legalName": "Kaya Toast Pte Ltd",
            "billingEmail": "cat@kaya.sg",
            "address": {"lines": ["1 Kaya Road"], "postalCode": "123456", "country": "SG"},
            "uen": "201912345K",
        }
        put = await client.put(f"/api/v1/orgs/{org_id}/billing-profile", json=profile, headers=auth(owner))
        assert put.status_code == 200, put.text
        staff = await _staff(client, inbox, runtime, "ops@nexuscore.sg")

    # The gateway is down: the subscriptions step fails and the deletion ends in error.
    deleted = await client.request("DELETE", "/api/v1/me", json={"password": PASSWORD}, headers=auth(cat))
    assert deleted.status_code == 202, deleted.text
    request_id = deleted.json()["id"]
    # A tenant's request about a lead: not the platform's.
    lead_request = await client.post(
        f"/api/v1/orgs/{org_id}/privacy/requests",
        json={"kind": "access", "subject": {"email": "someone@lead.sg"}, "receivedVia": "email"},
        headers=auth(owner),
    )
    assert lead_request.status_code == 201, lead_request.text

    in_error = await client.get(URL, params={"status": "error"}, headers=staff)
    assert in_error.status_code == 200, in_error.text
    assert [r["id"] for r in in_error.json()["items"]] == [request_id]
    failed = in_error.json()["items"][0]
    assert failed["subjectKind"] == "user" and failed["organizationId"] is None
    assert "subscriptions" in failed["error"]
    everything = await client.get(URL, headers=staff)
    assert lead_request.json()["id"] not in [r["id"] for r in everything.json()["items"]]

    # Not staff: 403, for the owner and for the list and the retry alike; a tenant's id is 404.
    for method, path in (("GET", URL), ("POST", f"{URL}/{request_id}/retry")):
        refused = await client.request(method, path, headers=auth(owner))
        assert refused.status_code == 403, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
    assert (await client.post(f"{URL}/{lead_request.json()['id']}/retry", headers=staff)).status_code == 404
    assert (await client.get(URL, params={"status": "nonsense"}, headers=staff)).status_code == 422

    with another_standin(gateway_port):
        retried = await client.post(f"{URL}/{request_id}/retry", headers=staff)
        assert retried.status_code == 200, retried.text
        done = await client.get(URL, params={"status": "complete"}, headers=staff)
    (request,) = done.json()["items"]
    assert request["id"] == request_id
    staff_id = (await client.get("/api/v1/me", headers=staff)).json()["id"]
    retry_entry = next(h for h in request["history"] if h["action"] == "retried")
    assert retry_entry["actor"] == f"staff:{staff_id}"
    assert [h["action"] for h in request["history"]][-1] == "completed"
    assert request["error"] is None
    # Only a request in error is retried.
    again = await client.post(f"{URL}/{request_id}/retry", headers=staff)
    assert again.status_code == 409, again.text

    async def billing_email(session: AsyncSession) -> Any:
        return await session.scalar(select(BillingProfileRow.billing_email))

    assert str(await system_read(client, runtime, billing_email)).endswith(ERASED_ADDRESS_SUFFIX)
