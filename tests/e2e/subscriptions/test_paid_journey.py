"""The paid journey of issue 11 over HTTP, on PostgreSQL and on SQLite, with the local gateway:
plans listed -> checkout -> paid on the local checkout page -> active with the plan's limits ->
seats and leads limits enforced, plan-gated import -> upgrade with a proration preview ->
downgrade refused while over the new limits -> cancel at period end -> resume -> cancel now ->
back to free with the data intact."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from litestar import Litestar
from litestar.testing import AsyncTestClient

from nexuscore.platform.settings import Settings
from nexuscore.subscriptions.domain.model import Interval, SubscriptionSnapshot, SubscriptionStatus
from tests.e2e.conftest import Inbox, auth, verified_user
from tests.e2e.subscriptions.conftest import make_staff

Client = AsyncTestClient[Litestar]


async def _org(client: Client, owner: dict[str, str]) -> str:
    created = await client.post("/api/v1/orgs", json={"name": "Acme Pte Ltd"}, headers=auth(owner))
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def _sub(client: Client, oid: str, user: dict[str, str]) -> dict[str, Any]:
    response = await client.get(f"/api/v1/orgs/{oid}/subscription", headers=auth(user))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _sub_when(
    client: Client, oid: str, user: dict[str, str], status: str, timeout: float = 15.0
) -> dict[str, Any]:
    """The subscription once it has `status`: Pay's events reach us through the webhook inbox,
    processed after the redirect (the outbox relay runs in process here, as in `just dev`)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        found = await _sub(client, oid, user)
        if found["status"] == status or asyncio.get_running_loop().time() > deadline:
            return found
        await asyncio.sleep(0.05)


async def _lead(client: Client, oid: str, user: dict[str, str], n: int) -> Any:
    return await client.post(
        f"/api/v1/orgs/{oid}/leads", json={"firstName": f"Lead{n}", "email": f"lead{n}@example.sg"}, headers=auth(user)
    )


async def _invite(client: Client, oid: str, user: dict[str, str], n: int) -> Any:
    return await client.post(
        f"/api/v1/orgs/{oid}/invitations", json={"email": f"p{n}@example.sg", "role": "member"}, headers=auth(user)
    )


async def test_paid_journey(client: Client, inbox: Inbox, billing_settings: Settings) -> None:
    # the catalogue
    plans = (await client.get("/api/v1/plans")).json()["items"]
    assert [p["code"] for p in plans] == ["free", "starter", "growth", "enterprise"]
    assert plans[0]["monthlyPrice"] is None and plans[1]["monthlyPrice"] == 4900
    assert plans[1]["limits"] == {"seats": 5, "leads": 5000}

    # staff: starter sold without a trial and with a small lead allowance (the prices stay)
    staff = await verified_user(client, inbox, "staff@nexuscore.sg")
    assert (
        await client.patch("/api/v1/admin/plans/starter", json={"trialDays": 0}, headers=auth(staff))
    ).status_code == 403
    await make_staff(billing_settings, staff["id"])
    patched = await client.patch(
        "/api/v1/admin/plans/starter", json={"trialDays": 0, "limits": {"seats": 5, "leads": 3}}, headers=auth(staff)
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["monthlyPrice"] == 4900 and patched.json()["limits"]["leads"] == 3

    owner = await verified_user(client, inbox, "owner@acme.sg")
    oid = await _org(client, owner)
    free = await _sub(client, oid, owner)
    assert (free["planCode"], free["status"], free["usage"]["seats"]) == ("free", None, {"used": 1, "limit": 3})

    # checkout: the local gateway's page, then Pay
    started = await client.post(
        f"/api/v1/orgs/{oid}/subscription/checkout",
        json={"planCode": "starter", "interval": "month"},
        headers=auth(owner),
    )
    assert started.status_code == 201, started.text
    url, session_id = started.json()["checkoutUrl"], started.json()["sessionId"]
    assert url == f"http://testserver.local/dev/checkout/{session_id}"
    page = await client.get(f"/dev/checkout/{session_id}")
    assert page.status_code == 200 and "Pay</button>" in page.text and "S$49.00" in page.text
    assert 'enctype="multipart/form-data"' in page.text
    assert "style-src 'sha256-" in page.headers["content-security-policy"]
    assert "form-action 'self' https://app.example.sg" in page.headers["content-security-policy"]
    form = {"confirm": (None, "yes")}  # what the page's form posts (a browser sends a multipart body)
    paid = await client.post(f"/dev/checkout/{session_id}/pay", files=form, follow_redirects=False)
    assert paid.status_code == 303, paid.text
    assert paid.headers["location"] == f"https://app.example.sg/orgs/{oid}/billing?checkout=success"
    again_paid = await client.post(f"/dev/checkout/{session_id}/pay", files=form, follow_redirects=False)
    assert again_paid.status_code == 409

    active = await _sub_when(client, oid, owner, "active")
    assert (active["planCode"], active["status"], active["interval"]) == ("starter", "active", "month")
    assert active["usage"] == {"seats": {"used": 1, "limit": 5}, "leads": {"used": 0, "limit": 3}}
    again = await client.post(
        f"/api/v1/orgs/{oid}/subscription/checkout",
        json={"planCode": "growth", "interval": "month"},
        headers=auth(owner),
    )
    assert again.status_code == 409

    # seats: members + pending invitations, 402 past the limit
    for n in range(4):
        assert (await _invite(client, oid, owner, n)).status_code == 201
    over = await _invite(client, oid, owner, 9)
    assert over.status_code == 402, over.text
    assert over.json()["type"].endswith("/quota-exceeded") and over.json()["limit"] == 5

    # leads: the plan's limit
    for n in range(3):
        assert (await _lead(client, oid, owner, n)).status_code == 201
    fourth = await _lead(client, oid, owner, 3)
    assert fourth.status_code == 402 and fourth.json()["limit"] == 3
    # features: starter exports but does not import
    assert (await client.get(f"/api/v1/orgs/{oid}/leads/export", headers=auth(owner))).status_code == 200
    csv = b"First Name,Email\r\nZed,zed@example.sg\r\n"
    refused = await client.post(
        f"/api/v1/orgs/{oid}/leads/imports", files={"file": ("l.csv", csv, "text/csv")}, headers=auth(owner)
    )
    assert refused.status_code == 402, refused.text
    assert refused.json()["type"].endswith("/feature-not-in-plan") and refused.json()["feature"] == "lead_import"

    # upgrade: preview with proration and GST, then at once
    preview = await client.get(
        f"/api/v1/orgs/{oid}/subscription/preview",
        params={"planCode": "growth", "interval": "month"},
        headers=auth(owner),
    )
    assert preview.status_code == 200, preview.text
    p = preview.json()
    assert p["timing"] == "now" and p["nextInvoice"] == {
        "excludingGst": 14900,
        "gst": 1341,
        "includingGst": 16241,
        "gstRate": "0.09",
    }
    assert 0 < p["dueNow"]["excludingGst"] <= 10000  # the unused part of starter credited
    up = await client.post(
        f"/api/v1/orgs/{oid}/subscription/change", json={"planCode": "growth", "interval": "month"}, headers=auth(owner)
    )
    assert up.status_code == 200, up.text
    assert up.json()["planCode"] == "growth" and up.json()["usage"]["leads"]["limit"] == 50000
    assert (await _lead(client, oid, owner, 3)).status_code == 201  # 4 leads now

    # downgrade refused while over the new plan's limits, with the numbers
    down = await client.post(
        f"/api/v1/orgs/{oid}/subscription/change",
        json={"planCode": "starter", "interval": "month"},
        headers=auth(owner),
    )
    assert down.status_code == 409, down.text
    assert down.json()["exceeded"] == [{"limit": "leads", "used": 4, "allowed": 3}]

    # cancel at period end, resume, cancel now (owner only)
    admin_forbidden = await client.post(
        f"/api/v1/orgs/{oid}/subscription/cancel", json={"atPeriodEnd": True}, headers=auth(staff)
    )
    assert admin_forbidden.status_code in (403, 404)
    pending = await client.post(
        f"/api/v1/orgs/{oid}/subscription/cancel", json={"atPeriodEnd": True}, headers=auth(owner)
    )
    assert pending.status_code == 200 and pending.json()["cancelAtPeriodEnd"] is True
    assert pending.json()["planCode"] == "growth"
    resumed = await client.post(f"/api/v1/orgs/{oid}/subscription/resume", headers=auth(owner))
    assert resumed.status_code == 200 and resumed.json()["cancelAtPeriodEnd"] is False
    ended = await client.post(
        f"/api/v1/orgs/{oid}/subscription/cancel", json={"atPeriodEnd": False}, headers=auth(owner)
    )
    assert ended.status_code == 200, ended.text
    assert (ended.json()["planCode"], ended.json()["status"]) == ("free", "canceled")

    # back to free, nothing deleted: over-limit data stays readable, nothing more past the limit
    leads = (await client.get(f"/api/v1/orgs/{oid}/leads", headers=auth(owner))).json()
    assert leads["total"] == 4
    pending_invites = (await client.get(f"/api/v1/orgs/{oid}/invitations", headers=auth(owner))).json()["items"]
    assert len(pending_invites) == 4
    blocked = await _invite(client, oid, owner, 10)
    assert blocked.status_code == 402 and blocked.json()["limit"] == 3
    no_export = await client.get(f"/api/v1/orgs/{oid}/leads/export", headers=auth(owner))
    assert no_export.status_code == 402 and no_export.json()["feature"] == "lead_export"
    assert (await _lead(client, oid, owner, 5)).status_code == 201  # free allows 500 leads

    # staff see it in the list
    listed = await client.get("/api/v1/admin/subscriptions", params={"status": "canceled"}, headers=auth(staff))
    assert listed.status_code == 200, listed.text
    assert listed.json()["total"] == 1 and listed.json()["items"][0]["organizationId"] == oid

    # events in the store, in the audit trail
    audit = (await client.get(f"/api/v1/orgs/{oid}/audit-events", params={"limit": 100}, headers=auth(owner))).json()
    types = {e["type"] for e in audit["items"]}
    expected = {"subscription.checkout_started", "subscription.created", "subscription.activated"}
    expected |= {"subscription.plan_changed", "subscription.cancellation_scheduled", "subscription.resumed"}
    assert expected | {"subscription.canceled"} <= types


async def test_overdue_past_grace_is_read_only_except_billing(
    client: Client, inbox: Inbox, billing_settings: Settings
) -> None:
    from nexuscore.kernel.clock import SystemClock
    from nexuscore.platform.database import create_engine, session_maker
    from nexuscore.subscriptions.adapters.sql.unit_of_work import SqlSubscriptionsUnitOfWork
    from nexuscore.subscriptions.application.services import SubscriptionsServices
    from nexuscore.subscriptions.application.sync import sync_subscription

    owner = await verified_user(client, inbox, "late@acme.sg")
    oid = await _org(client, owner)
    member = await verified_user(client, inbox, "reader@acme.sg")
    assert (await _lead(client, oid, owner, 1)).status_code == 201
    eight_days_ago = datetime.now(UTC) - timedelta(days=8)
    snapshot = SubscriptionSnapshot(
        gateway_subscription_id="sub_overdue",
        gateway_customer_id="cus_overdue",
        organization_id=UUID(oid),
        status=SubscriptionStatus.PAST_DUE,
        plan_code="growth",
        interval=Interval.MONTH,
        created=eight_days_ago - timedelta(days=30),
        observed_at=eight_days_ago,
    )
    engine = create_engine(billing_settings.database_url, pool_size=1)
    try:
        async with session_maker(engine)() as session:
            services = SubscriptionsServices(SystemClock(), None, "")  # type: ignore[arg-type]
            await sync_subscription(SqlSubscriptionsUnitOfWork(session, SystemClock()), services, snapshot=snapshot)
    finally:
        await engine.dispose()

    standing = await _sub(client, oid, owner)
    assert (standing["status"], standing["readOnly"], standing["planCode"]) == ("past_due", True, "free")
    blocked = await _lead(client, oid, owner, 2)
    assert blocked.status_code == 402 and blocked.json()["type"].endswith("/payment-required")
    assert (await _invite(client, oid, owner, 1)).status_code == 402
    assert (await client.patch(f"/api/v1/orgs/{oid}", json={"name": "New"}, headers=auth(owner))).status_code == 402
    # reads still work, and the billing routes are open (the way to pay)
    assert (await client.get(f"/api/v1/orgs/{oid}/leads", headers=auth(owner))).json()["total"] == 1
    portal = await client.post(f"/api/v1/orgs/{oid}/billing-portal", headers=auth(owner))
    assert portal.status_code == 201, portal.text
    assert member  # a non-member gets 404 as everywhere, not 402
    assert (await _lead(client, oid, member, 3)).status_code == 404
