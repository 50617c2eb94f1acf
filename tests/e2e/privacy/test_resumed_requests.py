"""A request that started before a deploy registered another personal data provider, on
PostgreSQL through the real tasks: the sweep resumes it, it gets (and runs) a step for the new
provider, and its bundle holds that provider's records."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from uuid import UUID

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.bootstrap.runtime import Runtime
from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.tenancy import Role, TenantContext
from nexuscore.privacy.adapters.http.state import PRIVACY_STATE_KEY, PrivacyHttpState
from nexuscore.privacy.adapters.sql.tables import PrivacyStepRow
from nexuscore.privacy.adapters.tasks.tasks import SWEEP_TASK, system_uows
from nexuscore.privacy.application import processing, requests
from nexuscore.privacy.domain.requests import SYSTEM_ACTOR
from tests.e2e.conftest import Inbox, auth, verified_user
from tests.e2e.privacy.conftest import Client, in_app, lead, org, settled, system_read
from tests.e2e.privacy_records.conftest import run_task

pytestmark = pytest.mark.e2e
NEW_PROVIDER = "privacy_records"  # the consent records: the lead has some, so the bundle shows them


class LostKicks:
    """The old deploy's queue: its worker went down before any kick reached it."""

    async def enqueue_begin(self, request_id: UUID) -> None:
        return None

    async def enqueue_steps(self, request_id: UUID, providers: Sequence[str]) -> None:
        return None


async def test_the_sweep_gives_a_request_begun_before_a_deploy_the_new_providers_step(
    client: Client, runtime: Runtime, inbox: Inbox, clock: FixedClock
) -> None:
    owner = await verified_user(client, inbox, "owner@kopi.sg")
    kopi = await org(client, owner, "Kopi Tiam Pte Ltd")
    ann = await lead(
        client, kopi, owner, firstName="Ann", lastName="Tan", email="ann@mail.sg",
        marketingConsent={"granted": True, "source": "stall sign-up sheet"},
    )  # fmt: skip
    base = f"/api/v1/orgs/{kopi}/privacy/requests"
    body = {"kind": "access", "subject": {"leadId": ann["id"]}, "receivedVia": "letter"}
    created = await client.post(base, json=body, headers=auth(owner))
    assert created.status_code == 201, created.text
    request_id = UUID(created.json()["id"])

    state: PrivacyHttpState = client.app.state[PRIVACY_STATE_KEY]
    current = state.services
    assert NEW_PROVIDER in current.provider_names
    before = replace(current, providers=[p for p in current.providers if p.name != NEW_PROVIDER], queue=LostKicks())
    uows = system_uows(runtime.sessions, clock)
    tenant = TenantContext(UUID(kopi), UUID(owner["id"]), Role.OWNER)

    async def approve_and_begin_on_the_old_deploy() -> None:
        async with uows() as uow:
            await requests.approve(uow, before, tenant=tenant, request_id=request_id)
        async with uows() as uow:
            await processing.begin(uow, before, request_id=request_id, actor=SYSTEM_ACTOR)

    await in_app(client, approve_and_begin_on_the_old_deploy)

    async def steps(session: AsyncSession) -> dict[str, str]:
        rows = await session.scalars(select(PrivacyStepRow).where(PrivacyStepRow.request_id == request_id))
        return {r.provider: r.status for r in rows}

    made = await system_read(client, runtime, steps)
    assert NEW_PROVIDER not in made and set(made.values()) == {"pending"}

    assert await run_task(client, runtime, SWEEP_TASK) == 0  # within the grace: its kicks may be on their way
    clock.advance(timedelta(minutes=6))

    async def one_late_step() -> None:  # one kick did arrive, late: the request is making progress
        async with uows() as uow:
            await processing.run_step(uow, before, request_id=request_id, provider="leads")

    await in_app(client, one_late_step)
    assert await run_task(client, runtime, SWEEP_TASK) == 0
    clock.advance(timedelta(minutes=6))
    assert await run_task(client, runtime, SWEEP_TASK) == 1  # idle since: resumed
    done = await settled(client, f"{base}/{request_id}", auth(owner))
    assert done["status"] == "complete", done["history"]
    added = [h for h in done["history"] if h["action"] == "steps_added"]
    assert len(added) == 1 and added[0]["actor"] == "system" and added[0]["note"].endswith(f": {NEW_PROVIDER}")
    finished = await system_read(client, runtime, steps)
    assert set(finished) == set(current.provider_names) and set(finished.values()) == {"done"}

    download = await client.get(f"{base}/{request_id}/bundle", headers=auth(owner))
    assert download.status_code == 200, download.text
    data = json.loads(zipfile.ZipFile(io.BytesIO(download.content)).read("personal_data.json"))
    consents = data[NEW_PROVIDER]["privacy_consent_record"]
    assert {r["fields"]["note"] for r in consents} == {"stall sign-up sheet"}
    assert [r["recordId"] for r in data["leads"]["leads_lead"]] == [ann["id"]]
