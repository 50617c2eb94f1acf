"""The breach registers through HTTP, with a controlled clock: notifiable breaches get a PDPC
deadline three Singapore calendar days after their assessment, overdue ones come first, and
each change is an event of the incident timeline."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from nexuscore.bootstrap.runtime import Runtime
from nexuscore.kernel.clock import FixedClock
from tests.e2e.conftest import Inbox, auth, verified_user
from tests.e2e.privacy_records.conftest import NOW, Client, make_staff, refreshed, tenant_with_roles

pytestmark = pytest.mark.e2e


def _iso(delta: timedelta) -> str:
    return (NOW + delta).isoformat()


def _breach(**extra: Any) -> dict[str, Any]:
    return {
        "description": "A laptop with the lead list was stolen",
        "discoveredAt": _iso(timedelta(days=-6)),
        "affectedCount": 600,
        "categories": ["contact", "identifiers"],
        **extra,
    }


async def test_tenant_register_deadlines_overdue_first_and_timeline(
    client: Client, inbox: Inbox, clock: FixedClock
) -> None:
    t = await tenant_with_roles(client, inbox, "brc")
    oid, admin, member = t["oid"], t["admin"], t["member"]
    path = f"/api/v1/orgs/{oid}/privacy/breaches"

    # Assessed 5 days ago (08:00 SGT on 27 Nov): due by the end of 30 Nov SGT, so overdue now.
    late = await client.post(path, json=_breach(assessedAt=_iso(timedelta(days=-5, hours=-2))), headers=auth(admin))
    assert late.status_code == 201, late.text
    late_body = late.json()
    assert late_body["notifiable"] is True and late_body["overdue"] is True
    assert late_body["pdpcDeadline"] == "2026-11-30"
    assert late_body["pdpcDueAt"] == "2026-11-30T16:00:00Z"
    assert [e["type"] for e in late_body["timeline"]] == ["privacy.breach_recorded"]

    # Assessed at 00:30 SGT today (16:30 UTC yesterday): the Singapore day counts, due 5 Dec.
    open_ = await client.post(
        path,
        json=_breach(affectedCount=3, significantHarm=True, assessedAt=_iso(timedelta(hours=-9, minutes=-30))),
        headers=auth(admin),
    )
    assert open_.status_code == 201, open_.text
    assert open_.json()["pdpcDeadline"] == "2026-12-05" and open_.json()["overdue"] is False
    # Few people, no significant harm: not notifiable, no deadline.
    minor = await client.post(
        path, json=_breach(affectedCount=12, assessedAt=_iso(timedelta(days=-1))), headers=auth(admin)
    )
    assert minor.status_code == 201 and minor.json()["notifiable"] is False and minor.json()["pdpcDeadline"] is None

    listed = await client.get(path, headers=auth(admin))
    assert listed.status_code == 200, listed.text
    assert [b["id"] for b in listed.json()["items"]] == [late_body["id"], open_.json()["id"], minor.json()["id"]]
    overdue = await client.get(f"{path}?overdue=true", headers=auth(t["owner"]))
    assert [b["id"] for b in overdue.json()["items"]] == [late_body["id"]]

    # Three days and a half later the open one is late too (the clock moves, nothing else).
    clock.advance(timedelta(days=3, hours=14))
    admin, owner = await refreshed(client, admin), await refreshed(client, t["owner"])
    overdue = await client.get(f"{path}?overdue=true", headers=auth(admin))
    assert [b["id"] for b in overdue.json()["items"]] == [late_body["id"], open_.json()["id"]]

    # The PDPC is told: no longer overdue; the update is on the timeline.
    told = await client.patch(
        f"{path}/{late_body['id']}",
        json={"pdpcNotifiedAt": clock.now().isoformat(), "individualsNotifiedAt": clock.now().isoformat()},
        headers=auth(admin),
    )
    assert told.status_code == 200, told.text
    assert told.json()["overdue"] is False
    assert [(e["type"], e["changed"], e["actorId"]) for e in told.json()["timeline"]] == [
        ("privacy.breach_recorded", [], admin["id"]),
        ("privacy.breach_updated", ["pdpcNotifiedAt", "individualsNotifiedAt"], admin["id"]),
    ]
    assert [b["id"] for b in (await client.get(f"{path}?overdue=true", headers=auth(owner))).json()["items"]] == [
        open_.json()["id"]
    ]
    # Nothing changed: no new timeline entry.
    same = await client.patch(f"{path}/{late_body['id']}", json={"affectedCount": 600}, headers=auth(admin))
    assert same.status_code == 200 and len(same.json()["timeline"]) == 2
    # The events carry no personal values (no description).
    events = await client.get(f"/api/v1/orgs/{oid}/audit-events?type=privacy.breach_recorded", headers=auth(owner))
    assert events.status_code == 200, events.text
    payloads = [e["payload"] for e in events.json()["items"]]
    assert len(payloads) == 3 and all(set(p) == {"affectedCount", "notifiable", "categories"} for p in payloads)

    # Bad input: 422 and nothing changes.
    member = await refreshed(client, member)
    for payload in (
        _breach(assessedAt=_iso(timedelta(days=-7))),  # before discovery
        _breach(categories=[]),
        _breach(categories=["gossip"]),
        _breach(pdpcNotifiedAt=_iso(timedelta(days=-1))),  # told before any assessment
        _breach(affectedCount=-1),
        _breach(discoveredAt=(clock.now() + timedelta(days=1)).isoformat()),
        _breach(organizationId=oid),
    ):
        response = await client.post(path, json=payload, headers=auth(admin))
        assert response.status_code == 422, (payload, response.text)
    bad_patch = await client.patch(
        f"{path}/{minor.json()['id']}", json={"assessedAt": _iso(timedelta(days=-30))}, headers=auth(admin)
    )
    assert bad_patch.status_code == 422
    assert (await client.get(path, headers=auth(admin))).json()["total"] == 3

    # Roles: the register is for admins and owners.
    assert (await client.get(path, headers=auth(member))).status_code == 403
    assert (await client.post(path, json=_breach(), headers=auth(member))).status_code == 403
    assert (await client.get(f"{path}/{late_body['id']}", headers=auth(member))).status_code == 403

    # Another tenant's admin finds none of these.
    stranger = await verified_user(client, inbox, "brc-stranger@other.sg")
    other = (await client.post("/api/v1/orgs", json={"name": "Other Pte Ltd"}, headers=auth(stranger))).json()["id"]
    theirs = f"/api/v1/orgs/{other}/privacy/breaches"
    assert (await client.get(f"{theirs}/{late_body['id']}", headers=auth(stranger))).status_code == 404
    assert (
        await client.patch(f"{theirs}/{late_body['id']}", json={"affectedCount": 1}, headers=auth(stranger))
    ).status_code == 404
    assert (await client.get(theirs, headers=auth(stranger))).json()["total"] == 0
    assert (await client.get(f"{path}/{late_body['id']}", headers=auth(stranger))).status_code == 404


async def test_staff_register_is_the_platforms_own(client: Client, inbox: Inbox, runtime: Runtime) -> None:
    t = await tenant_with_roles(client, inbox, "brs")
    staff = await verified_user(client, inbox, "ops@nexuscore.sg")
    await make_staff(client, runtime, staff["id"])
    admin_path = "/api/v1/admin/privacy/breaches"
    assert (await client.get(admin_path, headers=auth(t["owner"]))).status_code == 403
    assert (await client.post(admin_path, json=_breach(), headers=auth(t["owner"]))).status_code == 403
    assert (await client.get(admin_path)).status_code == 401

    ours = await client.post(admin_path, json=_breach(assessedAt=_iso(timedelta(hours=-1))), headers=auth(staff))
    assert ours.status_code == 201, ours.text
    assert ours.json()["pdpcDeadline"] == "2026-12-05"
    tenant_breach = await client.post(
        f"/api/v1/orgs/{t['oid']}/privacy/breaches", json=_breach(), headers=auth(t["admin"])
    )
    assert tenant_breach.status_code == 201
    # Each register holds its own: the tenant's is not the platform's, and the other way round.
    listed = await client.get(admin_path, headers=auth(staff))
    assert [b["id"] for b in listed.json()["items"]] == [ours.json()["id"]]
    assert (await client.get(f"{admin_path}/{tenant_breach.json()['id']}", headers=auth(staff))).status_code == 404
    tenant_side = f"/api/v1/orgs/{t['oid']}/privacy/breaches/{ours.json()['id']}"
    assert (await client.get(tenant_side, headers=auth(t["owner"]))).status_code == 404

    updated = await client.patch(
        f"{admin_path}/{ours.json()['id']}", json={"affectedCount": 20, "significantHarm": False}, headers=auth(staff)
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["notifiable"] is False and updated.json()["pdpcDeadline"] is None
    assert [e["changed"] for e in updated.json()["timeline"]] == [[], ["affectedCount"]]
    assert (await client.post(admin_path, json=_breach(categories=[]), headers=auth(staff))).status_code == 422
