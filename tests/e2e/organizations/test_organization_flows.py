"""Every row of the organisations API table, with its failures, through HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.e2e.conftest import Inbox, bearer, link_token, signed_in
from tests.e2e.conftest import auth as _auth
from tests.e2e.conftest import join_org as _join
from tests.e2e.conftest import verified_user as _user

pytestmark = pytest.mark.e2e
Client = AsyncTestClient[Litestar]


async def _org(client: Client, owner: dict[str, str], name: str = "Kopi Tiam Pte Ltd", **fields: Any) -> dict[str, Any]:
    response = await client.post("/api/v1/orgs", json={"name": name, **fields}, headers=_auth(owner))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_create_list_get_update_organization(client: Client, inbox: Inbox) -> None:
    owner = await _user(client, inbox, "owner@example.sg")
    org = await _org(
        client,
        owner,
        uen="200312345a",
        gstRegNo="M91234567X",
        billingEmail="Billing@Kopi.sg",
        address={"line1": "1 Raffles Place", "postalCode": "048616"},
    )
    assert org["role"] == "owner" and org["country"] == "SG" and org["timezone"] == "Asia/Singapore"
    assert org["uen"] == "200312345A" and org["billingEmail"] == "billing@kopi.sg"
    assert org["address"]["city"] == "Singapore"
    listed = (await client.get("/api/v1/orgs", headers=_auth(owner))).json()["items"]
    assert [(o["id"], o["role"]) for o in listed] == [(org["id"], "owner")]
    assert (await client.get(f"/api/v1/orgs/{org['id']}", headers=_auth(owner))).json()["name"] == "Kopi Tiam Pte Ltd"
    patched = await client.patch(
        f"/api/v1/orgs/{org['id']}", json={"name": "Kopi Tiam Holdings", "uen": None}, headers=_auth(owner)
    )
    assert patched.status_code == 200
    assert patched.json()["name"] == "Kopi Tiam Holdings" and patched.json()["uen"] is None
    assert patched.json()["gstRegNo"] == "M91234567X"  # absent fields stay


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"uen": "12345"}, "uen"),
        ({"uen": "T08LL12345"}, "uen"),
        ({"gstRegNo": "GST123"}, "gstRegNo"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"country": "S1"}, "country"),
        ({"billingEmail": "nope"}, "billingEmail"),
        ({"name": "   "}, "name"),
    ],
)
async def test_create_organization_validates_singapore_fields(
    client: Client, inbox: Inbox, fields: dict[str, Any], field: str
) -> None:
    owner = await _user(client, inbox, "val@example.sg", verify=False)
    body = {"name": "Valid Name", **fields}
    response = await client.post("/api/v1/orgs", json=body, headers=_auth(owner))
    assert response.status_code == 422, response.text
    assert field in {e["field"] for e in response.json()["errors"]}
    assert (await client.get("/api/v1/orgs", headers=_auth(owner))).json()["items"] == []


@pytest.mark.parametrize("uen", ["53012345D", "200312345A", "T08LL1234A", "S99CC1234Z", "R18PF0001B"])
async def test_published_uen_formats_are_accepted(client: Client, inbox: Inbox, uen: str) -> None:
    owner = await _user(client, inbox, "uen@example.sg", verify=False)
    assert (await client.post("/api/v1/orgs", json={"name": "Ok", "uen": uen}, headers=_auth(owner))).status_code == 201


async def test_roles_and_the_permission_matrix(client: Client, inbox: Inbox) -> None:
    owner = await _user(client, inbox, "boss@example.sg")
    org = await _org(client, owner)
    oid = org["id"]
    admin = await _join(client, inbox, oid, owner, "admin@example.sg", "admin")
    member = await _join(client, inbox, oid, owner, "member@example.sg", "member")
    viewer = await _join(client, inbox, oid, admin, "viewer@example.sg", "viewer")

    members = (await client.get(f"/api/v1/orgs/{oid}/members", headers=_auth(viewer))).json()["items"]
    assert {(m["email"], m["role"]) for m in members} == {
        ("boss@example.sg", "owner"),
        ("admin@example.sg", "admin"),
        ("member@example.sg", "member"),
        ("viewer@example.sg", "viewer"),
    }
    # viewers and members cannot administer
    for user in (viewer, member):
        assert (await client.patch(f"/api/v1/orgs/{oid}", json={"name": "X"}, headers=_auth(user))).status_code == 403
        r = await client.patch(
            f"/api/v1/orgs/{oid}/members/{viewer['id']}", json={"role": "admin"}, headers=_auth(user)
        )
        assert r.status_code == 403
    # an admin manages non-owners but never the owner role
    r = await client.patch(f"/api/v1/orgs/{oid}/members/{member['id']}", json={"role": "viewer"}, headers=_auth(admin))
    assert r.status_code == 200 and r.json()["role"] == "viewer"
    r = await client.patch(f"/api/v1/orgs/{oid}/members/{member['id']}", json={"role": "owner"}, headers=_auth(admin))
    assert r.status_code == 403
    r = await client.patch(f"/api/v1/orgs/{oid}/members/{owner['id']}", json={"role": "member"}, headers=_auth(admin))
    assert r.status_code == 403
    assert (await client.delete(f"/api/v1/orgs/{oid}/members/{owner['id']}", headers=_auth(admin))).status_code == 403
    r = await client.post(
        f"/api/v1/orgs/{oid}/invitations", json={"email": "x@example.sg", "role": "owner"}, headers=_auth(admin)
    )
    assert r.status_code == 403
    # only an owner transfers ownership
    r = await client.post(f"/api/v1/orgs/{oid}/transfer-ownership", json={"userId": admin["id"]}, headers=_auth(admin))
    assert r.status_code == 403
    # the last owner cannot leave, be demoted or be removed
    assert (await client.post(f"/api/v1/orgs/{oid}/leave", headers=_auth(owner))).status_code == 409
    r = await client.patch(f"/api/v1/orgs/{oid}/members/{owner['id']}", json={"role": "admin"}, headers=_auth(owner))
    assert r.status_code == 409
    assert (await client.delete(f"/api/v1/orgs/{oid}/members/{owner['id']}", headers=_auth(owner))).status_code == 409
    # transfer, then the former owner (now admin) may leave
    r = await client.post(f"/api/v1/orgs/{oid}/transfer-ownership", json={"userId": admin["id"]}, headers=_auth(owner))
    assert r.status_code == 204
    listed = (await client.get(f"/api/v1/orgs/{oid}/members", headers=_auth(admin))).json()["items"]
    roles = {m["email"]: m["role"] for m in listed}
    assert roles["admin@example.sg"] == "owner" and roles["boss@example.sg"] == "admin"
    assert (await client.post(f"/api/v1/orgs/{oid}/leave", headers=_auth(owner))).status_code == 204
    assert (await client.get(f"/api/v1/orgs/{oid}", headers=_auth(owner))).status_code == 404
    # removal
    assert (await client.delete(f"/api/v1/orgs/{oid}/members/{viewer['id']}", headers=_auth(admin))).status_code == 204
    assert (await client.get(f"/api/v1/orgs/{oid}", headers=_auth(viewer))).status_code == 404


async def test_invitations_lifecycle(client: Client, inbox: Inbox, clean_postgres: str) -> None:
    owner = await _user(client, inbox, "inv-owner@example.sg")
    oid = (await _org(client, owner))["id"]
    first = await client.post(
        f"/api/v1/orgs/{oid}/invitations", json={"email": "Guest@Example.sg"}, headers=_auth(owner)
    )
    assert first.status_code == 201 and first.json()["role"] == "member" and first.json()["email"] == "guest@example.sg"
    old_token = link_token(await inbox.wait_for("guest@example.sg", "Join"))
    # a new invitation to the same email revokes the older one
    second = await client.post(
        f"/api/v1/orgs/{oid}/invitations", json={"email": "guest@example.sg", "role": "admin"}, headers=_auth(owner)
    )
    new_token = link_token(await inbox.wait_for("guest@example.sg", "Join", count=2))
    pending = (await client.get(f"/api/v1/orgs/{oid}/invitations", headers=_auth(owner))).json()["items"]
    assert [p["id"] for p in pending] == [second.json()["id"]]

    guest = await _user(client, inbox, "guest@example.sg", verify=False)
    unverified = await client.post("/api/v1/invitations/accept", json={"token": new_token}, headers=_auth(guest))
    assert unverified.status_code == 403  # verify the email first
    token = link_token(await inbox.wait_for("guest@example.sg", "Verify your email"))
    await client.post("/api/v1/auth/verify-email", json={"token": token})
    guest = {**guest, **bearer((await signed_in(client, "guest@example.sg"))["accessToken"])}
    revoked = await client.post("/api/v1/invitations/accept", json={"token": old_token}, headers=_auth(guest))
    assert revoked.status_code == 400 and revoked.json()["type"].endswith("/invalid-invitation")
    accepted = await client.post("/api/v1/invitations/accept", json={"token": new_token}, headers=_auth(guest))
    assert accepted.status_code == 200 and accepted.json() == {"organizationId": oid, "role": "admin"}
    reused = await client.post("/api/v1/invitations/accept", json={"token": new_token}, headers=_auth(guest))
    assert reused.status_code == 400
    # revoke
    third = await client.post(
        f"/api/v1/orgs/{oid}/invitations", json={"email": "later@example.sg"}, headers=_auth(owner)
    )
    assert (
        await client.delete(f"/api/v1/orgs/{oid}/invitations/{third.json()['id']}", headers=_auth(owner))
    ).status_code == 204
    assert (
        await client.delete(f"/api/v1/orgs/{oid}/invitations/{third.json()['id']}", headers=_auth(owner))
    ).status_code == 404
    assert (
        await client.post("/api/v1/invitations/accept", json={"token": "nonsense"}, headers=_auth(guest))
    ).status_code == 400
    assert (await client.post("/api/v1/invitations/accept", json={"token": new_token})).status_code == 401


async def test_delete_organization_stops_serving_and_can_be_cancelled(client: Client, inbox: Inbox) -> None:
    owner = await _user(client, inbox, "del-owner@example.sg")
    oid = (await _org(client, owner, name="Doomed Pte Ltd"))["id"]
    admin = await _join(client, inbox, oid, owner, "del-admin@example.sg", "admin")
    wrong = await client.request("DELETE", f"/api/v1/orgs/{oid}", json={"confirmName": "doomed"}, headers=_auth(owner))
    assert wrong.status_code == 422
    by_admin = await client.request(
        "DELETE", f"/api/v1/orgs/{oid}", json={"confirmName": "Doomed Pte Ltd"}, headers=_auth(admin)
    )
    assert by_admin.status_code == 403
    done = await client.request(
        "DELETE", f"/api/v1/orgs/{oid}", json={"confirmName": "Doomed Pte Ltd"}, headers=_auth(owner)
    )
    assert done.status_code == 202 and done.json()["purgeAfter"]
    for user in (owner, admin):
        assert (await client.get(f"/api/v1/orgs/{oid}", headers=_auth(user))).status_code == 404
        assert (await client.get(f"/api/v1/orgs/{oid}/members", headers=_auth(user))).status_code == 404
    # it has stopped serving: for everyone but its owner it is as if it did not exist
    assert (await client.post(f"/api/v1/orgs/{oid}/cancel-deletion", headers=_auth(admin))).status_code == 404
    assert (await client.post(f"/api/v1/orgs/{oid}/cancel-deletion", headers=_auth(owner))).status_code == 200
    assert (await client.get(f"/api/v1/orgs/{oid}", headers=_auth(admin))).status_code == 200


async def test_audit_events_are_paginated_filtered_and_admin_only(client: Client, inbox: Inbox) -> None:
    owner = await _user(client, inbox, "audit-owner@example.sg")
    oid = (await _org(client, owner))["id"]
    viewer = await _join(client, inbox, oid, owner, "audit-viewer@example.sg", "viewer")
    await client.patch(f"/api/v1/orgs/{oid}", json={"name": "Renamed"}, headers=_auth(owner))
    assert (await client.get(f"/api/v1/orgs/{oid}/audit-events", headers=_auth(viewer))).status_code == 403
    page = (await client.get(f"/api/v1/orgs/{oid}/audit-events?limit=2", headers=_auth(owner))).json()
    assert page["limit"] == 2 and len(page["items"]) == 2 and page["total"] >= 5 and page["hasMore"] is True
    types = {
        e["type"]
        for e in (await client.get(f"/api/v1/orgs/{oid}/audit-events?limit=100", headers=_auth(owner))).json()["items"]
    }
    assert {
        "org.created",
        "org.member_joined",
        "org.invitation_created",
        "org.invitation_accepted",
        "org.updated",
    } <= types
    only = (await client.get(f"/api/v1/orgs/{oid}/audit-events?type=org.updated", headers=_auth(owner))).json()
    assert only["total"] == 1 and only["items"][0]["actorId"] == owner["id"]
    by_viewer = (
        await client.get(f"/api/v1/orgs/{oid}/audit-events?actorId={viewer['id']}", headers=_auth(owner))
    ).json()
    assert by_viewer["total"] >= 1 and all(e["actorId"] == viewer["id"] for e in by_viewer["items"])
    assert (await client.get(f"/api/v1/orgs/{oid}/audit-events?limit=101", headers=_auth(owner))).status_code == 422
    future = (
        await client.get(f"/api/v1/orgs/{oid}/audit-events?from=2999-01-01T00:00:00Z", headers=_auth(owner))
    ).json()
    assert future["total"] == 0
