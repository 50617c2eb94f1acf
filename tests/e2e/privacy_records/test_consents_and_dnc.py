"""Consent records and DNC checks through HTTP: the leads marketing export reads both from the
privacy context, so a withdrawal recorded here takes the lead out of the very next export."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest

from nexuscore.kernel.clock import FixedClock, business_date
from tests.e2e.conftest import Inbox, auth, verified_user
from tests.e2e.privacy_records.conftest import NOW, Client, new_org, refreshed, tenant_with_roles

pytestmark = pytest.mark.e2e
TODAY = business_date(NOW)
PHONE = "+6591234567"


def _consent(lead_id: str, purpose: str = "marketing_email", given: bool = False, **extra: Any) -> dict[str, Any]:
    return {"leadId": lead_id, "purpose": purpose, "given": given, "noticeVersion": "2026-11", "method": "api", **extra}


async def _lead(client: Client, oid: str, user: dict[str, str], **fields: Any) -> str:
    body = {"firstName": "Mei", "lastName": "Lim", "email": "mei@lim.sg", **fields}
    response = await client.post(f"/api/v1/orgs/{oid}/leads", json=body, headers=auth(user))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def _marketing_export(client: Client, oid: str, user: dict[str, str]) -> list[str]:
    response = await client.get(f"/api/v1/orgs/{oid}/leads/export?purpose=marketing", headers=auth(user))
    assert response.status_code == 200, response.text
    return [row["id"] for row in csv.DictReader(io.StringIO(response.text))]


async def _marketing(client: Client, oid: str, user: dict[str, str], lead_id: str) -> tuple[Any, bool]:
    """The lead's `marketingConsent` and `marketingEligible`, as the lead itself and the lead
    list show them (they agree)."""
    one = await client.get(f"/api/v1/orgs/{oid}/leads/{lead_id}", headers=auth(user))
    assert one.status_code == 200, one.text
    listed = await client.get(f"/api/v1/orgs/{oid}/leads", headers=auth(user))
    assert listed.status_code == 200, listed.text
    view = one.json()
    in_list = [item for item in listed.json()["items"] if item["id"] == lead_id]
    assert [(i["marketingConsent"], i["marketingEligible"]) for i in in_list] == [
        (view["marketingConsent"], view["marketingEligible"])
    ]
    eligible: bool = view["marketingEligible"]
    return view["marketingConsent"], eligible


async def _eligible(client: Client, oid: str, user: dict[str, str], lead_id: str) -> bool:
    return (await _marketing(client, oid, user, lead_id))[1]


async def test_a_withdrawal_through_privacy_stops_the_marketing_export_at_once(client: Client, inbox: Inbox) -> None:
    t = await tenant_with_roles(client, inbox, "cons")
    oid, owner, member, viewer = t["oid"], t["owner"], t["member"], t["viewer"]
    lead_id = await _lead(
        client,
        oid,
        member,
        phone=PHONE,
        marketingConsent={"granted": True, "source": "website form"},
        dncStatus="clear",
        dncCheckedAt=(TODAY - timedelta(days=2)).isoformat(),
    )
    # The consent given through the leads API is a record of each marketing purpose here.
    seen = await client.get(f"/api/v1/orgs/{oid}/privacy/consents?leadId={lead_id}", headers=auth(member))
    assert seen.status_code == 200, seen.text
    body = seen.json()
    assert [(c["purpose"], c["given"], c["method"]) for c in body["current"]] == [
        ("marketing_call", True, "api"),
        ("marketing_email", True, "api"),
        ("marketing_sms", True, "api"),
    ]
    assert body["subjectKind"] == "lead" and body["total"] == 3
    assert {r["note"] for r in body["history"]} == {"website form"}
    # ... and its DNC result a check of its phone.
    checks = await client.get(f"/api/v1/orgs/{oid}/privacy/dnc-checks?phone=91234567", headers=auth(owner))
    assert checks.status_code == 200, checks.text
    assert [(c["phone"], c["result"], c["validToday"]) for c in checks.json()["items"]] == [(PHONE, "clear", True)]
    assert await _marketing_export(client, oid, owner) == [lead_id]
    assert await _eligible(client, oid, member, lead_id) is True

    withdrawn = await client.post(
        f"/api/v1/orgs/{oid}/privacy/consents",
        json=_consent(lead_id, "marketing_email", False, method="verbal", note="call on 2 Dec"),
        headers=auth(member),
    )
    assert withdrawn.status_code == 201, withdrawn.text
    state = {c["purpose"]: c["given"] for c in withdrawn.json()["current"]}
    assert state == {"marketing_call": True, "marketing_email": False, "marketing_sms": True}
    assert withdrawn.json()["history"][0]["recordedBy"] == member["id"]
    assert await _marketing_export(client, oid, owner) == []  # at once: no relay, no projection
    # The lead itself says so at once too: its consent is privacy's, withdrawn as of the call
    # (the note is consent history, which viewers may not read: the lead names the method only).
    at_call = NOW.isoformat().replace("+00:00", "Z")
    withdrawal = {"granted": False, "source": "privacy consent record (verbal)", "recordedAt": at_call}
    assert await _marketing(client, oid, member, lead_id) == (withdrawal, False)
    assert await _marketing(client, oid, viewer, lead_id) == (withdrawal, False)
    # ... and so does a general export's file: the consent that holds now, not the row's copy.
    general = await client.get(f"/api/v1/orgs/{oid}/leads/export?purpose=general", headers=auth(owner))
    assert general.status_code == 200, general.text
    [exported] = [row for row in csv.DictReader(io.StringIO(general.text)) if row["id"] == lead_id]
    assert (exported["marketingConsent"], exported["marketingConsentRecordedAt"]) == ("no", NOW.isoformat())

    # An unrelated edit of the lead does not bring the old consent back.
    edited = await client.patch(f"/api/v1/orgs/{oid}/leads/{lead_id}", json={"jobTitle": "CFO"}, headers=auth(member))
    assert edited.status_code == 200, edited.text
    assert edited.json()["marketingEligible"] is False
    assert await _marketing_export(client, oid, owner) == []

    # Given again (a fresh record, later than the withdrawal): back in the export.
    again = await client.post(
        f"/api/v1/orgs/{oid}/privacy/consents", json=_consent(lead_id, "marketing_email", True), headers=auth(member)
    )
    assert again.status_code == 201, again.text
    assert await _marketing_export(client, oid, owner) == [lead_id]
    consent, eligible = await _marketing(client, oid, member, lead_id)
    assert eligible is True and consent["granted"] is True and consent["source"] == "privacy consent record (api)"

    # Roles: viewers neither read nor write consents.
    path = f"/api/v1/orgs/{oid}/privacy/consents"
    assert (await client.get(f"{path}?leadId={lead_id}", headers=auth(viewer))).status_code == 403
    assert (await client.post(path, json=_consent(lead_id), headers=auth(viewer))).status_code == 403

    # Another tenant: its ids are not found, ours are not reachable.
    stranger = await verified_user(client, inbox, "cons-stranger@other.sg")
    other = await new_org(client, stranger, "Other Pte Ltd")
    assert (await client.get(f"{path}?leadId={lead_id}", headers=auth(stranger))).status_code == 404
    mine_elsewhere = f"/api/v1/orgs/{other}/privacy/consents"
    assert (await client.get(f"{mine_elsewhere}?leadId={lead_id}", headers=auth(stranger))).status_code == 404
    assert (await client.post(mine_elsewhere, json=_consent(lead_id), headers=auth(stranger))).status_code == 404

    # Bad input: a 4xx problem, nothing recorded.
    bad = [
        _consent(lead_id, "spam"),
        _consent(lead_id, noticeVersion=""),
        _consent(lead_id, method="telepathy"),
        _consent(lead_id, at=(NOW + timedelta(days=1)).isoformat()),
        _consent(lead_id, organizationId=other),
        {"purpose": "marketing_email", "given": False, "noticeVersion": "1", "method": "api"},
    ]
    for payload in bad:
        response = await client.post(path, json=payload, headers=auth(member))
        assert response.status_code in (400, 422), (payload, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    assert (await client.get(path, headers=auth(member))).status_code == 422  # leadId is required (checked after auth)
    final = await client.get(f"{path}?leadId={lead_id}&limit=2", headers=auth(member))
    assert final.json()["total"] == 5 and len(final.json()["history"]) == 2 and final.json()["hasMore"]


async def test_dnc_checks_recorded_here_decide_the_marketing_export(
    client: Client, inbox: Inbox, clock: FixedClock
) -> None:
    t = await tenant_with_roles(client, inbox, "dnc")
    oid, owner, admin, member = t["oid"], t["owner"], t["admin"], t["member"]
    lead_id = await _lead(client, oid, member, phone="8123 4567", marketingConsent={"granted": True, "source": "event"})
    assert await _marketing_export(client, oid, owner) == []  # consent, but the number was never checked

    path = f"/api/v1/orgs/{oid}/privacy/dnc-checks"
    recorded = await client.post(
        path,
        json={"phone": "8123 4567", "result": "clear", "checkedOn": (TODAY - timedelta(days=3)).isoformat()},
        headers=auth(admin),
    )
    assert recorded.status_code == 201, recorded.text
    check = recorded.json()
    assert check["phone"] == "+6581234567" and check["validToday"] is True
    assert check["validUntil"] == (TODAY + timedelta(days=18)).isoformat()
    assert await _marketing_export(client, oid, owner) == [lead_id]
    # The lead follows privacy's check, though its own DNC fields were never filled in.
    assert await _eligible(client, oid, member, lead_id) is True

    # 19 days on, the check is 22 days old: no longer valid evidence.
    clock.advance(timedelta(days=19))
    owner, admin, member = [await refreshed(client, u) for u in (owner, admin, member)]
    assert await _marketing_export(client, oid, owner) == []
    assert await _eligible(client, oid, member, lead_id) is False
    fresh = await client.post(path, json={"phone": "+6581234567", "result": "clear"}, headers=auth(admin))
    assert fresh.status_code == 201 and fresh.json()["checkedOn"] == business_date(clock.now()).isoformat()
    assert await _marketing_export(client, oid, owner) == [lead_id]
    # The latest check decides: the number is now on the register.
    listed = await client.post(path, json={"phone": "+6581234567", "result": "listed"}, headers=auth(admin))
    assert listed.status_code == 201, listed.text
    assert await _marketing_export(client, oid, owner) == []
    assert await _eligible(client, oid, member, lead_id) is False

    page = await client.get(f"{path}?limit=2", headers=auth(owner))
    assert page.status_code == 200 and page.json()["total"] == 3 and len(page.json()["items"]) == 2

    # Roles: DNC records are admin and owner business.
    assert (await client.get(path, headers=auth(member))).status_code == 403
    assert (await client.post(path, json={"phone": PHONE, "result": "clear"}, headers=auth(member))).status_code == 403
    # Bad input.
    for payload in (
        {"phone": "12", "result": "clear"},
        {"phone": PHONE, "result": "maybe"},
        {"phone": PHONE, "result": "clear", "checkedOn": (business_date(clock.now()) + timedelta(days=1)).isoformat()},
        {"phone": PHONE, "result": "clear", "organizationId": oid},
    ):
        response = await client.post(path, json=payload, headers=auth(admin))
        assert response.status_code == 422, (payload, response.text)
    assert (await client.get(f"{path}?phone=not-a-phone", headers=auth(admin))).status_code == 422
    assert (await client.get(path, headers=auth(admin))).json()["total"] == 3


async def test_my_consents(client: Client, inbox: Inbox) -> None:
    ann = await verified_user(client, inbox, "ann@me.sg")
    bob = await verified_user(client, inbox, "bob@me.sg")
    path = "/api/v1/me/consents"
    empty = await client.get(path, headers=auth(ann))
    assert empty.status_code == 200 and empty.json()["current"] == [] and empty.json()["subjectId"] == ann["id"]
    body = {"purpose": "analytics", "given": True, "noticeVersion": "privacy-2026-10", "method": "form"}
    assert (await client.post(path, json=body, headers=auth(ann))).status_code == 201
    withdrawn = await client.post(path, json={**body, "given": False}, headers=auth(ann))
    assert withdrawn.status_code == 201, withdrawn.text
    assert [(c["purpose"], c["given"]) for c in withdrawn.json()["current"]] == [("analytics", False)]
    assert withdrawn.json()["subjectKind"] == "user" and withdrawn.json()["total"] == 2
    # Bob sees only his own (none).
    assert (await client.get(path, headers=auth(bob))).json()["total"] == 0
    assert (await client.get(path)).status_code == 401
    for payload in ({**body, "purpose": "spam"}, {**body, "subjectId": bob["id"]}, {**body, "noticeVersion": "x" * 41}):
        assert (await client.post(path, json=payload, headers=auth(ann))).status_code == 422
    assert (await client.get(path, headers=auth(ann))).json()["total"] == 2


async def test_a_withdrawal_on_a_duplicate_survives_its_merge(client: Client, inbox: Inbox, clock: FixedClock) -> None:
    """The person withdrew on the duplicate record after consenting on the survivor: merging
    the duplicate in must not make them marketable again."""
    t = await tenant_with_roles(client, inbox, "mrg")
    oid, owner, member = t["oid"], t["owner"], t["member"]
    dnc = {"dncStatus": "clear", "dncCheckedAt": TODAY.isoformat()}
    duplicate = await _lead(
        client, oid, member, email="mei.dup@lim.sg", marketingConsent={"granted": True, "source": "fair"}, **dnc
    )
    clock.advance(timedelta(minutes=5))
    survivor = await _lead(client, oid, member, marketingConsent={"granted": True, "source": "website"}, **dnc)
    clock.advance(timedelta(minutes=5))
    for purpose in ("marketing_email", "marketing_sms", "marketing_call"):
        withdrawn = await client.post(
            f"/api/v1/orgs/{oid}/privacy/consents", json=_consent(duplicate, purpose), headers=auth(member)
        )
        assert withdrawn.status_code == 201, withdrawn.text
    assert await _marketing_export(client, oid, owner) == [survivor]

    clock.advance(timedelta(minutes=5))
    owner = await refreshed(client, owner)
    merged = await client.post(
        f"/api/v1/orgs/{oid}/leads/{survivor}/merge", json={"otherLeadId": duplicate}, headers=auth(owner)
    )
    assert merged.status_code == 200, merged.text
    assert merged.json()["lead"]["marketingEligible"] is False
    assert await _marketing_export(client, oid, owner) == []
    seen = await client.get(f"/api/v1/orgs/{oid}/privacy/consents?leadId={survivor}", headers=auth(owner))
    assert seen.status_code == 200, seen.text
    assert {(c["purpose"], c["given"]) for c in seen.json()["current"]} == {
        ("marketing_email", False),
        ("marketing_sms", False),
        ("marketing_call", False),
    }
    assert {r["note"] for r in seen.json()["history"]} >= {"fair", "website"}  # both records' decisions
