"""The erasure proof on PostgreSQL: a subject seeded everywhere (account, sessions, memberships,
invitations, an email change, leads in two tenants with activities, events), erased through
every provider (her account deletion, and each tenant's deletion request about her lead),
then every text and JSON column of every table, event payloads included, is scanned for her
email, phone and name."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import JSON, String, Text, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.bootstrap.models import metadata
from nexuscore.bootstrap.runtime import Runtime
from tests.e2e.conftest import PASSWORD, Inbox, auth, link_token, register, signed_in, verified_user
from tests.e2e.privacy.conftest import Client, lead, org, settled, system_read

pytestmark = pytest.mark.e2e

EMAIL, NEW_EMAIL, PHONE, NAME = "zelda@quokka.sg", "zelda.new@quokka.sg", "+6598765432", "Zelda Quokka"
NEEDLES = (EMAIL, NEW_EMAIL, PHONE, "98765432", NAME)


async def _scan(session: AsyncSession) -> dict[str, int]:
    """table.column -> rows whose text contains a needle (case-insensitive)."""
    found: dict[str, int] = {}
    for table in metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, String | Text | JSON) and "JSON" not in type(column.type).__name__.upper():
                continue
            text = cast(column, Text)
            for needle in NEEDLES:
                n = await session.scalar(select(func.count()).select_from(table).where(text.ilike(f"%{needle}%")))
                if n:
                    found[f"{table.name}.{column.name}:{needle}"] = n
    return found


async def test_after_erasure_no_table_and_no_event_names_the_subject(
    client: Client, inbox: Inbox, runtime: Runtime
) -> None:
    owner = await verified_user(client, inbox, "owner@kopi.sg")
    kopi = await org(client, owner, "Kopi Tiam Pte Ltd")
    other = await verified_user(client, inbox, "owner@teh.sg")
    teh = await org(client, other, "Teh Tarik Pte Ltd")

    # Her account: sessions, a membership from an invitation, a pending email change.
    assert (await register(client, EMAIL, name=NAME)).status_code == 201
    verify = link_token(await inbox.wait_for(EMAIL, "Verify your email"))
    assert (await client.post("/api/v1/auth/verify-email", json={"token": verify})).status_code == 200
    invited = await client.post(
        f"/api/v1/orgs/{teh}/invitations", json={"email": EMAIL, "role": "member"}, headers=auth(other)
    )
    assert invited.status_code == 201, invited.text
    tokens = await signed_in(client, EMAIL)
    me = {"Authorization": f"Bearer {tokens['accessToken']}"}
    joined = await client.post(
        "/api/v1/invitations/accept", json={"token": link_token(await inbox.wait_for(EMAIL, "Join"))}, headers=me
    )
    assert joined.status_code == 200, joined.text
    change = await client.post("/api/v1/me/email", json={"newEmail": NEW_EMAIL, "password": PASSWORD}, headers=me)
    assert change.status_code in (202, 204), change.text
    # She is a lead in both tenants, with notes naming her.
    for org_id, admin in ((kopi, owner), (teh, other)):
        found = await lead(client, org_id, admin, firstName="Zelda", lastName="Quokka", email=EMAIL, phone=PHONE)
        note = await client.post(
            f"/api/v1/orgs/{org_id}/leads/{found['id']}/activities",
            json={"kind": "call", "body": f"Called {NAME} on {PHONE}, follow up at {EMAIL}"},
            headers=auth(admin),
        )
        assert note.status_code == 201, note.text
        edit = await client.patch(
            f"/api/v1/orgs/{org_id}/leads/{found['id']}", json={"jobTitle": "Director"}, headers=auth(admin)
        )
        assert edit.status_code == 200, edit.text
    before = await system_read(client, runtime, _scan)
    assert any(k.startswith("leads_lead.email") for k in before) and any(k.startswith("identity_user") for k in before)
    assert any(k.startswith("leads_activity.body") for k in before)
    assert f"events_domain_event.payload:{NEW_EMAIL}" in before  # the email change's event
    assert f"identity_action_token.new_email:{NEW_EMAIL}" in before

    # Erasure: her account, then each tenant's deletion request about her lead.
    deleted = await client.request("DELETE", "/api/v1/me", json={"password": PASSWORD}, headers=me)
    assert deleted.status_code == 202, deleted.text
    for org_id, admin in ((kopi, owner), (teh, other)):
        base = f"/api/v1/orgs/{org_id}/privacy/requests"
        made = await client.post(
            base, json={"kind": "deletion", "subject": {"email": EMAIL}, "receivedVia": "email"}, headers=auth(admin)
        )
        assert made.status_code == 201, made.text
        await client.post(f"{base}/{made.json()['id']}/approve", headers=auth(admin))
        done = await settled(client, f"{base}/{made.json()['id']}", auth(admin))
        assert done["status"] == "complete", done

    after = await system_read(client, runtime, _scan)
    assert after == {}, after

    async def what_remains(session: AsyncSession) -> Any:
        from nexuscore.events.adapters.sql.tables import DomainEventRow

        types = await session.scalars(select(DomainEventRow.type).where(DomainEventRow.type.like("privacy.%")))
        return sorted(set(types))

    # The audit trail keeps that it happened (no values): erasures and completions.
    assert {"privacy.subject_erased", "privacy.completed", "privacy.approved"} <= set(
        await system_read(client, runtime, what_remains)
    )
