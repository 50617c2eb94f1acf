"""Roles, bad input and the catalogue's rules over HTTP (PostgreSQL and SQLite)."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from nexuscore.platform.settings import Settings
from tests.e2e.conftest import Inbox, auth, join_org, verified_user
from tests.e2e.subscriptions.conftest import make_staff

Client = AsyncTestClient[Litestar]


async def test_roles_and_bad_input(client: Client, inbox: Inbox) -> None:
    owner = await verified_user(client, inbox, "o@acme.sg")
    oid = (await client.post("/api/v1/orgs", json={"name": "Acme"}, headers=auth(owner))).json()["id"]
    member = await join_org(client, inbox, oid, owner, "m@acme.sg", "member")
    viewer = await join_org(client, inbox, oid, owner, "v@acme.sg", "viewer")
    base = f"/api/v1/orgs/{oid}"

    assert (await client.get(f"{base}/subscription", headers=auth(member))).status_code == 200
    assert (await client.get(f"{base}/subscription", headers=auth(viewer))).status_code == 403
    checkout = {"planCode": "starter", "interval": "month"}
    assert (await client.post(f"{base}/subscription/checkout", json=checkout, headers=auth(member))).status_code == 403
    assert (await client.post(f"{base}/billing-portal", headers=auth(member))).status_code == 403
    cancel = await client.post(f"{base}/subscription/cancel", json={"atPeriodEnd": True}, headers=auth(member))
    assert cancel.status_code == 403
    # nothing to change or cancel before a checkout
    assert (await client.post(f"{base}/subscription/cancel", json={}, headers=auth(owner))).status_code == 409
    preview = await client.get(f"{base}/subscription/preview", params={"planCode": "growth"}, headers=auth(owner))
    assert preview.status_code == 409
    no_plan = await client.get(f"{base}/subscription/preview", headers=auth(owner))
    assert no_plan.status_code == 422 and no_plan.json()["errors"][0]["field"] == "planCode"

    for body, field in (
        ({"planCode": "starter", "interval": "week"}, "interval"),
        ({"planCode": "nope", "interval": "month"}, "planCode"),
        ({"planCode": "free", "interval": "month"}, "planCode"),
        ({"planCode": "starter", "interval": "month", "organizationId": oid}, "organizationId"),
    ):
        refused = await client.post(f"{base}/subscription/checkout", json=body, headers=auth(owner))
        assert refused.status_code == 422, refused.text
        assert field in {e["field"] for e in refused.json()["errors"]}

    # billing profile: admin+ writes, member reads, SG identifiers checked, synced to the customer
    unset = await client.get(f"{base}/billing-profile", headers=auth(owner))
    assert unset.status_code == 200 and unset.json() is None
    profile = {
        "legalName": "Acme Pte Ltd",
        "billingEmail": "Billing@Acme.sg",
        "address": {"lines": ["1 Raffles Place", "#20-01"], "postalCode": "048616", "country": "sg"},
        "uen": "201912345k",
        "gstRegistrationNumber": "M91234567X",
    }
    bad = await client.put(f"{base}/billing-profile", json={**profile, "uen": "12"}, headers=auth(owner))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "uen"
    assert (await client.put(f"{base}/billing-profile", json=profile, headers=auth(member))).status_code == 403
    saved = await client.put(f"{base}/billing-profile", json=profile, headers=auth(owner))
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert (body["uen"], body["billingEmail"], body["address"]["country"]) == ("201912345K", "billing@acme.sg", "SG")
    assert body["gatewayCustomerId"].startswith("cus_local_")
    assert (await client.get(f"{base}/billing-profile", headers=auth(member))).json() == body
    overseas = {**profile, "overseasEvidence": {"country": "SG", "establishedBy": "declaration"}}
    assert (await client.put(f"{base}/billing-profile", json=overseas, headers=auth(owner))).status_code == 422


async def test_catalogue_is_staff_only_and_prices_are_replaced(
    client: Client, inbox: Inbox, billing_settings: Settings
) -> None:
    user = await verified_user(client, inbox, "ops@nexuscore.sg")
    plan = {"code": "team", "name": "Team", "limits": {"seats": 10, "leads": 1000}, "prices": {"month": 9900}}
    assert (await client.post("/api/v1/admin/plans", json=plan, headers=auth(user))).status_code == 403
    assert (await client.get("/api/v1/admin/subscriptions", headers=auth(user))).status_code == 403
    await make_staff(billing_settings, user["id"])
    created = await client.post("/api/v1/admin/plans", json=plan, headers=auth(user))
    assert created.status_code == 201, created.text
    assert (await client.post("/api/v1/admin/plans", json=plan, headers=auth(user))).status_code == 409
    bad = await client.post(
        "/api/v1/admin/plans", json={**plan, "code": "Team!", "features": ["x"]}, headers=auth(user)
    )
    assert bad.status_code == 422
    repriced = await client.patch("/api/v1/admin/plans/team", json={"prices": {"month": 12900}}, headers=auth(user))
    assert repriced.status_code == 200 and repriced.json()["monthlyPrice"] == 12900
    archived = await client.patch("/api/v1/admin/plans/team", json={"archived": True}, headers=auth(user))
    assert archived.status_code == 200 and archived.json()["archived"] is True
    assert "team" not in [p["code"] for p in (await client.get("/api/v1/plans")).json()["items"]]
    assert "team" in [p["code"] for p in (await client.get("/api/v1/admin/plans", headers=auth(user))).json()["items"]]
    refused = await client.patch("/api/v1/admin/plans/free", json={"prices": {"month": 100}}, headers=auth(user))
    assert refused.status_code == 422
    assert (await client.patch("/api/v1/admin/plans/nope", json={"name": "X"}, headers=auth(user))).status_code == 404
