"""Billing end to end: the real app on PostgreSQL (the application's role, RLS on), mail as
.eml files, the local payment gateway behind billing profiles, the real renderers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import update

from nexuscore.identity.adapters.sql.tables import UserRow
from nexuscore.platform.database import create_engine
from nexuscore.platform.settings import Settings
from tests.e2e.conftest import Inbox, auth, join_org, verified_user

Client = AsyncTestClient[Litestar]
PROFILE: dict[str, Any] = {
    "legalName": "Acme Pte. Ltd.",
    "billingEmail": "accounts@acme.sg",
    "address": {"lines": ["1 Raffles Place", "#20-01"], "postalCode": "048616", "country": "SG"},
    "uen": "201912345K",
    "gstRegistrationNumber": "201912345K",
}


async def make_staff(settings: Settings, user_id: str) -> None:
    engine = create_engine(settings.database_url, pool_size=1)
    try:
        async with engine.begin() as conn:
            await conn.execute(update(UserRow).where(UserRow.id == UUID(user_id)).values(is_staff=True))
    finally:
        await engine.dispose()


@dataclass
class Org:
    id: str
    owner: dict[str, str]
    member: dict[str, str]


async def org_with_profile(client: Client, inbox: Inbox, slug: str, **profile: Any) -> Org:
    owner = await verified_user(client, inbox, f"owner@{slug}.sg")
    created = await client.post("/api/v1/orgs", json={"name": slug.title()}, headers=auth(owner))
    assert created.status_code == 201, created.text
    oid = created.json()["id"]
    saved = await client.put(f"/api/v1/orgs/{oid}/billing-profile", json={**PROFILE, **profile}, headers=auth(owner))
    assert saved.status_code == 200, saved.text
    member = await join_org(client, inbox, oid, owner, f"member@{slug}.sg", "member")
    return Org(oid, owner, member)


@pytest.fixture
async def staff(client: Client, inbox: Inbox, identity_settings: Settings) -> dict[str, str]:
    user = await verified_user(client, inbox, "staff@nexuscore.sg")
    await make_staff(identity_settings, user["id"])
    return user
