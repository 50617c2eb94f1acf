"""Retention schedules, the dry run and the daily purge through HTTP and the real task: what
the preview shows is what the next run removes, counted and deleted by one rule."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from nexuscore.bootstrap.runtime import Runtime
from nexuscore.kernel.clock import FixedClock
from nexuscore.privacy.adapters.tasks.retention import PURGE_TASK
from tests.e2e.conftest import Inbox, auth, verified_user
from tests.e2e.privacy_records.conftest import NOW, Client, make_staff, refreshed, run_task, tenant_with_roles

pytestmark = pytest.mark.e2e


async def _lead(client: Client, oid: str, user: dict[str, str], name: str) -> str:
    body = {"firstName": name, "lastName": "Tan", "email": f"{name.lower()}@tan.sg"}
    response = await client.post(f"/api/v1/orgs/{oid}/leads", json=body, headers=auth(user))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _activity(client: Client, oid: str, user: dict[str, str], lead_id: str) -> None:
    response = await client.post(
        f"/api/v1/orgs/{oid}/leads/{lead_id}/activities", json={"kind": "note", "body": "Called"}, headers=auth(user)
    )
    assert response.status_code == 201, response.text


async def _lose(client: Client, oid: str, user: dict[str, str], lead_id: str) -> None:
    response = await client.post(
        f"/api/v1/orgs/{oid}/leads/{lead_id}/status",
        json={"status": "lost", "lostReason": "Budget"},
        headers=auth(user),
    )
    assert response.status_code == 200, response.text


async def _archive(client: Client, oid: str, user: dict[str, str], lead_id: str) -> None:
    assert (await client.delete(f"/api/v1/orgs/{oid}/leads/{lead_id}", headers=auth(user))).status_code == 204


async def _at(client: Client, clock: FixedClock, moment: datetime, *people: dict[str, Any]) -> list[dict[str, Any]]:
    clock.set(moment)
    return [await refreshed(client, p) for p in people]


async def test_preview_and_purge_agree(client: Client, inbox: Inbox, clock: FixedClock, runtime: Runtime) -> None:
    t = await tenant_with_roles(client, inbox, "ret")
    oid = t["oid"]
    path = f"/api/v1/orgs/{oid}/privacy/retention"

    # 30 months ago: a lead lost then, one archived then, one still open with an old note.
    owner, member = await _at(client, clock, NOW - timedelta(days=913), t["owner"], t["member"])
    old_lost = await _lead(client, oid, member, "Oldlost")
    await _activity(client, oid, member, old_lost)
    await _lose(client, oid, member, old_lost)
    old_archived = await _lead(client, oid, member, "Oldarchived")
    await _archive(client, oid, owner, old_archived)
    open_lead = await _lead(client, oid, member, "Open")
    await _activity(client, oid, member, open_lead)
    # 40 days ago: recent enough for every schedule.
    owner, member = await _at(client, clock, NOW - timedelta(days=40), owner, member)
    new_lost = await _lead(client, oid, member, "Newlost")
    await _lose(client, oid, member, new_lost)
    await _activity(client, oid, member, open_lead)
    new_archived = await _lead(client, oid, member, "Newarchived")
    await _archive(client, oid, owner, new_archived)
    owner, admin, member = await _at(client, clock, NOW, owner, t["admin"], member)

    schedules = await client.get(path, headers=auth(admin))
    assert schedules.status_code == 200, schedules.text
    assert [(s["category"], s["months"], s["isDefault"]) for s in schedules.json()["schedules"]] == [
        ("lost_leads", 24, True),
        ("archived_leads", 12, True),
        ("activities", 36, True),
    ]
    assert {s["category"] for s in schedules.json()["platformDefaults"]} == {"user_sessions", "audit_logs"}

    preview = await client.get(f"{path}/preview", headers=auth(admin))
    assert preview.status_code == 200, preview.text
    counts = preview.json()["counts"]
    assert counts["lostLeads"] == 1 and counts["archivedLeads"] == 1
    # The old lead's note and whatever the leads context logged about the two purged leads.
    assert counts["activities"] >= 1 and counts["total"] == sum(
        counts[k] for k in ("lostLeads", "archivedLeads", "activities")
    )
    assert preview.json()["runAt"] == "2026-12-02T19:00:00Z" and preview.json()["runDay"] == "2026-12-03"

    # A longer schedule keeps the lost lead: the preview follows the schedule.
    longer = await client.put(path, json={"schedules": [{"category": "lost_leads", "months": 36}]}, headers=auth(admin))
    assert longer.status_code == 200, longer.text
    assert longer.json()["schedules"][0] == {**longer.json()["schedules"][0], "months": 36, "isDefault": False}
    assert (await client.get(f"{path}/preview", headers=auth(admin))).json()["counts"]["lostLeads"] == 0
    back = await client.put(path, json={"schedules": [{"category": "lost_leads", "months": 24}]}, headers=auth(owner))
    assert back.status_code == 200
    expected = (await client.get(f"{path}/preview", headers=auth(admin))).json()
    assert expected["counts"] == counts

    # The platform categories' dry run (staff): the sessions of 30 months ago have ended, and
    # the events of then are older than the audit trail's 24 months.
    staff = await verified_user(client, inbox, "ret-staff@nexuscore.sg")
    await make_staff(client, runtime, staff["id"])
    platform_path = "/api/v1/admin/privacy/retention/preview"
    assert (await client.get(platform_path, headers=auth(owner))).status_code == 403
    assert (await client.get(platform_path)).status_code == 401
    platform = await client.get(platform_path, headers=auth(staff))
    assert platform.status_code == 200, platform.text
    platform_counts = platform.json()["counts"]
    assert platform_counts["userSessions"] >= 2 and platform_counts["auditLogs"] >= 1
    assert platform_counts["total"] == platform_counts["userSessions"] + platform_counts["auditLogs"]
    assert platform.json()["runAt"] == expected["runAt"] and platform.json()["runDay"] == "2026-12-03"
    assert platform.json()["cutoffs"] == {
        "userSessions": "2025-12-03T00:00:00+08:00",
        "auditLogs": "2024-12-03T00:00:00+08:00",
    }

    # The run, at the time the previews named: it removes exactly what they counted.
    clock.set(datetime.fromisoformat(expected["runAt"]))
    removed = await run_task(client, runtime, PURGE_TASK)
    assert removed == counts["total"] + platform_counts["total"]
    owner, admin, member = [await refreshed(client, p) for p in (owner, admin, member)]
    leads = await client.get(f"/api/v1/orgs/{oid}/leads?limit=100&status=lost", headers=auth(member))
    assert [lead["id"] for lead in leads.json()["items"]] == [new_lost]
    assert (await client.get(f"/api/v1/orgs/{oid}/leads/{old_lost}", headers=auth(member))).status_code == 404
    timeline = await client.get(f"/api/v1/orgs/{oid}/leads/{open_lead}/activities", headers=auth(member))
    assert timeline.status_code == 200 and len(timeline.json()["items"]) >= 1
    events = await client.get(f"/api/v1/orgs/{oid}/audit-events?type=privacy.retention_purged", headers=auth(owner))
    assert events.status_code == 200, events.text
    [event] = events.json()["items"]
    assert event["payload"]["counts"] == {
        "lost_leads": counts["lostLeads"],
        "archived_leads": counts["archivedLeads"],
        "activities": counts["activities"],
    }
    assert event["payload"]["runDay"] == "2026-12-03"
    # Nothing is left for the next run.
    assert (await client.get(f"{path}/preview", headers=auth(admin))).json()["counts"]["total"] == 0
    staff = await refreshed(client, {**staff, "email": "ret-staff@nexuscore.sg"})
    after = (await client.get(platform_path, headers=auth(staff))).json()["counts"]
    assert after == {"userSessions": 0, "auditLogs": 0, "total": 0}

    # Roles and bad input.
    assert (await client.get(path, headers=auth(member))).status_code == 403
    assert (await client.get(f"{path}/preview", headers=auth(member))).status_code == 403
    ok = {"schedules": [{"category": "activities", "months": 12}]}
    assert (await client.put(path, json=ok, headers=auth(member))).status_code == 403
    for payload in (
        {"schedules": [{"category": "user_sessions", "months": 6}]},
        {"schedules": [{"category": "activities", "months": 0}]},
        {"schedules": [{"category": "activities", "months": 121}]},
        {"schedules": [{"category": "gossip", "months": 6}]},
        {"schedules": []},
        {"schedules": [{"category": "activities", "months": 6}], "organizationId": oid},
    ):
        response = await client.put(path, json=payload, headers=auth(admin))
        assert response.status_code == 422, (payload, response.text)
    assert [s["months"] for s in (await client.get(path, headers=auth(admin))).json()["schedules"]] == [24, 12, 36]
