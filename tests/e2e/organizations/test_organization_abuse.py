"""Adversarial tests: what an account may make the service do to others (mails, organisations)."""

from __future__ import annotations

from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from nexuscore.bootstrap.app import create_app
from tests.conftest import make_settings
from tests.e2e.conftest import Inbox, auth, join_org, verified_user

pytestmark = pytest.mark.e2e


async def _org(client: AsyncTestClient[Litestar], owner: dict[str, str], name: str = "Kopi Tiam") -> str:
    response = await client.post("/api/v1/orgs", json={"name": name}, headers=auth(owner))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_inviting_an_existing_member_is_a_conflict_and_mails_nothing(
    client: AsyncTestClient[Litestar], inbox: Inbox
) -> None:
    owner = await verified_user(client, inbox, "abuse-owner@example.sg")
    oid = await _org(client, owner)
    await join_org(client, inbox, oid, owner, "member@example.sg", "member")
    mails = inbox.count("member@example.sg", "Join")
    for email in ("member@example.sg", "MEMBER@Example.sg", "abuse-owner@example.sg"):
        again = await client.post(f"/api/v1/orgs/{oid}/invitations", json={"email": email}, headers=auth(owner))
        assert again.status_code == 409, again.text
        assert again.json()["type"].endswith("/conflict")
    pending = await client.get(f"/api/v1/orgs/{oid}/invitations", headers=auth(owner))
    assert pending.json()["items"] == []
    assert inbox.count("member@example.sg", "Join") == mails


async def test_an_unverified_account_cannot_send_invitations(client: AsyncTestClient[Litestar], inbox: Inbox) -> None:
    owner = await verified_user(client, inbox, "unverified-owner@example.sg", verify=False)
    oid = await _org(client, owner, "Totally Your Bank")
    refused = await client.post(
        f"/api/v1/orgs/{oid}/invitations", json={"email": "victim@example.sg"}, headers=auth(owner)
    )
    assert refused.status_code == 403, refused.text
    assert refused.json()["type"].endswith("/email-not-verified")
    assert (await client.get(f"/api/v1/orgs/{oid}/invitations", headers=auth(owner))).json()["items"] == []
    assert inbox.count("victim@example.sg", "Join") == 0


async def test_one_account_owns_a_bounded_number_of_organisations(app_postgres_url: str, tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path,
        DATABASE_URL=app_postgres_url,
        OUTBOX_RELAY_IN_PROCESS="true",
        OUTBOX_POLL_SECONDS="0.05",
        MAIL_BACKEND="file",
        MAX_ORGANIZATIONS_PER_USER="2",
    )
    async with AsyncTestClient(create_app(settings)) as client:
        owner = await verified_user(client, Inbox(settings.mail_dir), "many@example.sg")
        await _org(client, owner, "One")
        await _org(client, owner, "Two")
        third = await client.post("/api/v1/orgs", json={"name": "Three"}, headers=auth(owner))
        assert third.status_code == 409, third.text
        assert third.json()["type"].endswith("/too-many-organizations") and third.json()["limit"] == 2
        listed = await client.get("/api/v1/orgs", headers=auth(owner))
        assert sorted(o["name"] for o in listed.json()["items"]) == ["One", "Two"]


async def test_an_organisation_sends_a_bounded_number_of_invitations_an_hour(
    client: AsyncTestClient[Litestar], inbox: Inbox
) -> None:
    owner = await verified_user(client, inbox, "bulk-inviter@example.sg")
    oid = await _org(client, owner)
    statuses = [
        (
            await client.post(
                f"/api/v1/orgs/{oid}/invitations", json={"email": f"p{i}@example.sg"}, headers=auth(owner)
            )
        ).status_code
        for i in range(21)
    ]
    assert statuses == [201] * 20 + [429]
    # Revoking does not give the budget back (else invite-revoke loops would mail without end).
    pending = (await client.get(f"/api/v1/orgs/{oid}/invitations", headers=auth(owner))).json()["items"]
    await client.delete(f"/api/v1/orgs/{oid}/invitations/{pending[0]['id']}", headers=auth(owner))
    again = await client.post(f"/api/v1/orgs/{oid}/invitations", json={"email": "late@example.sg"}, headers=auth(owner))
    assert again.status_code == 429 and int(again.headers["retry-after"]) >= 1
