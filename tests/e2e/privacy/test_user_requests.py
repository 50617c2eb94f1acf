"""A user's requests about their own account, through HTTP: the access bundle behind a mailed
link, and deleting the account (password, last-owner refusal, then erasure)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.bootstrap.runtime import Runtime
from nexuscore.identity.adapters.sql.tables import UserRow
from nexuscore.kernel.clock import FixedClock
from nexuscore.privacy.adapters.sql.tables import PrivacyRequestRow
from tests.e2e.conftest import Inbox, auth, join_org, login, verified_user
from tests.e2e.privacy.conftest import Client, org, settled, system_read

pytestmark = pytest.mark.e2e
PROBLEMS = "https://nexuscore.sg/problems/"


def _link(inbox_text: str) -> str:
    found = re.search(r"https://app\.example\.sg(/api/v1/public/privacy/bundles/[A-Za-z0-9_\-]+)", inbox_text)
    assert found, inbox_text
    return found.group(1)


async def test_an_access_request_mails_a_link_to_a_bundle_of_the_users_data_only(
    client: Client, inbox: Inbox, clock: FixedClock
) -> None:
    ann = await verified_user(client, inbox, "ann@kopi.sg")
    await verified_user(client, inbox, "bob@kopi.sg")
    org_id = await org(client, ann, "Kopi Tiam Pte Ltd")

    response = await client.post("/api/v1/me/privacy/export", headers=auth(ann))
    assert response.status_code == 202, response.text
    created = response.json()
    assert created["kind"] == "access" and created["subjectKind"] == "user" and created["daysLeft"] == 30
    done = await settled(client, f"/api/v1/me/privacy/requests/{created['id']}", auth(ann))
    assert done["status"] == "complete"
    assert [h["action"] for h in done["history"]] == ["received", "approved", "processing", "completed"]

    mail = await inbox.wait_for("ann@kopi.sg", "Your personal data is ready")
    link = _link(mail.get_body(("plain",)).get_content())  # type: ignore[union-attr]
    download = await client.get(link)  # no sign-in: the link is the authority
    assert download.status_code == 200 and download.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    data = json.loads(archive.read("personal_data.json"))
    assert data["identity"]["identity_user"][0]["fields"]["email"] == "ann@kopi.sg"
    assert data["identity"]["identity_session"]  # where she signed in from
    assert data["organizations"]["organizations_membership"][0]["organizationId"] == org_id
    everything = b"".join(archive.read(n) for n in archive.namelist()).decode()
    assert "bob@kopi.sg" not in everything and "Bob" not in everything
    log = json.loads(archive.read("use_and_disclosure_log.json"))
    assert {"user.registered", "user.logged_in"} <= {e["type"] for e in log}
    assert "identity/identity_user.csv" in archive.namelist()

    # The signed-in route serves the same bundle; another user does not see the request.
    mine = await client.get(f"/api/v1/me/privacy/requests/{created['id']}/bundle", headers=auth(ann))
    assert mine.status_code == 200 and mine.content == download.content
    bob = {"Authorization": f"Bearer {(await login(client, 'bob@kopi.sg')).json()['accessToken']}"}
    assert (await client.get(f"/api/v1/me/privacy/requests/{created['id']}", headers=bob)).status_code == 404
    assert (await client.get(f"/api/v1/me/privacy/requests/{created['id']}/bundle", headers=bob)).status_code == 404

    # Seven days later the link is dead.
    clock.advance(timedelta(days=7))
    expired = await client.get(link)
    assert expired.status_code == 404 and expired.json()["type"] == PROBLEMS + "bundle-expired"
    assert (await client.get("/api/v1/public/privacy/bundles/not-a-token")).status_code == 404


async def test_deleting_the_account_needs_the_password_and_no_sole_ownership(
    client: Client, inbox: Inbox, runtime: Runtime
) -> None:
    owner = await verified_user(client, inbox, "owner@kopi.sg")
    org_id = await org(client, owner, "Kopi Tiam Pte Ltd")
    cat = await join_org(client, inbox, org_id, owner, "cat@kopi.sg", "member")

    wrong = await client.request("DELETE", "/api/v1/me", json={"password": "not it"}, headers=auth(cat))
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "password"
    refused = await client.request(
        "DELETE", "/api/v1/me", json={"password": "correct horse battery staple"}, headers=auth(owner)
    )
    assert refused.status_code == 409, refused.text
    assert refused.json()["organizationIds"] == [org_id]
    assert "only owner" in refused.json()["detail"]
    assert (
        await client.request("DELETE", "/api/v1/me", json={"password": "x", "isStaff": True}, headers=auth(cat))
    ).status_code == 422

    accepted = await client.request(
        "DELETE", "/api/v1/me", json={"password": "correct horse battery staple"}, headers=auth(cat)
    )
    assert accepted.status_code == 202, accepted.text
    request_id = accepted.json()["id"]

    async def look(session: AsyncSession) -> tuple[Any, Any]:
        user = (await session.scalars(select(UserRow).where(UserRow.email == "cat@kopi.sg"))).first()
        return user, await session.get(PrivacyRequestRow, UUID(request_id))

    # With tasks inline, the erasure ran before the answer came back.
    user, row = await system_read(client, runtime, look)
    assert user is None
    assert row is not None and row.status == "complete" and row.erased
    assert row.subject_email is not None and row.subject_email.endswith("@erased.invalid")
    assert [h["action"] for h in row.history] == ["received", "approved", "processing", "completed"]
    # The account is gone: no sign-in, and the team lost its member.
    assert (await login(client, "cat@kopi.sg")).status_code == 401
    members = await client.get(f"/api/v1/orgs/{org_id}/members", headers=auth(owner))
    assert [m["userId"] for m in members.json()["items"]] == [owner["id"]]


async def test_the_data_map_is_for_staff(client: Client, inbox: Inbox, runtime: Runtime) -> None:
    ann = await verified_user(client, inbox, "ann@kopi.sg")
    assert (await client.get("/api/v1/admin/privacy/data-map", headers=auth(ann))).status_code == 403
    assert (await client.get("/api/v1/admin/privacy/data-map")).status_code == 401

    async def make_staff(session: AsyncSession) -> None:
        await session.execute(update(UserRow).where(UserRow.email == "ann@kopi.sg").values(is_staff=True))

    await system_read(client, runtime, make_staff)
    staff = {"Authorization": f"Bearer {(await login(client, 'ann@kopi.sg')).json()['accessToken']}"}
    response = await client.get("/api/v1/admin/privacy/data-map", headers=staff)
    assert response.status_code == 200, response.text
    fields = {(f["table"], f["column"]): f for f in response.json()["fields"]}
    assert fields[("leads_lead", "email")]["masking"] == "delete_row"
    assert fields[("events_domain_event", "payload")]["masking"] == "salted_hash"
    retained = fields[("subscriptions_billing_profile", "legal_name")]
    assert retained["masking"] == "retain" and retained["retainYears"] == 5 and "IRAS" in retained["retainReason"]
