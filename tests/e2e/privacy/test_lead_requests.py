"""Requests about leads, through HTTP: recorded by the tenant or made through the public
intake (emailed code: wrong, expired), the lifecycle, the bundle, erasure."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.bootstrap.runtime import Runtime
from nexuscore.kernel.clock import FixedClock
from nexuscore.leads.adapters.sql.tables import LeadRow
from nexuscore.privacy.adapters.sql.tables import PrivacySuppressionRow
from tests.e2e.conftest import Inbox, auth, bearer, join_org, signed_in, verified_user
from tests.e2e.leads.test_imports_exports import _import
from tests.e2e.privacy.conftest import Client, lead, org, settled, system_read

pytestmark = pytest.mark.e2e
PROBLEMS = "https://nexuscore.sg/problems/"


async def _two_tenants(client: Client, inbox: Inbox) -> dict[str, Any]:
    owner = await verified_user(client, inbox, "owner@kopi.sg")
    kopi = await org(client, owner, "Kopi Tiam Pte Ltd")
    member = await join_org(client, inbox, kopi, owner, "member@kopi.sg", "member")
    other_owner = await verified_user(client, inbox, "owner@teh.sg")
    teh = await org(client, other_owner, "Teh Tarik Pte Ltd")
    ann = await lead(client, kopi, owner, firstName="Ann", lastName="Tan", email="ann@mail.sg", phone="91234567")
    await lead(client, kopi, owner, firstName="Bob", lastName="Lim", email="bob@mail.sg")
    # The same name (and address) in another tenant: another subject, never in Kopi's answers.
    twin = await lead(client, teh, other_owner, firstName="Ann", lastName="Tan", email="ann@mail.sg", company="Teh Co")
    return {"owner": owner, "member": member, "kopi": kopi, "teh": teh, "other": other_owner, "ann": ann, "twin": twin}


async def test_a_tenant_access_request_about_a_lead_yields_her_data_and_nobody_elses(
    client: Client, inbox: Inbox
) -> None:
    w = await _two_tenants(client, inbox)
    base = f"/api/v1/orgs/{w['kopi']}/privacy/requests"
    body = {"kind": "access", "subject": {"email": "ANN@mail.sg"}, "receivedVia": "letter", "notes": "letter of 2 Dec"}
    assert (await client.post(base, json=body, headers=auth(w["member"]))).status_code == 403
    assert (
        await client.post(base, json={**body, "receivedVia": "public_form"}, headers=auth(w["owner"]))
    ).status_code == 422
    assert (
        await client.post(base, json={**body, "organizationId": w["teh"]}, headers=auth(w["owner"]))
    ).status_code == 422
    created = await client.post(base, json=body, headers=auth(w["owner"]))
    assert created.status_code == 201, created.text
    request = created.json()
    assert request["status"] == "pending" and request["email"] == "ann@mail.sg" and request["daysLeft"] == 30
    # Another tenant's admin does not see it.
    other = f"/api/v1/orgs/{w['teh']}/privacy/requests/{request['id']}"
    assert (await client.get(other, headers=auth(w["other"]))).status_code == 404
    assert (await client.post(f"{other}/approve", headers=auth(w["other"]))).status_code == 404

    approved = await client.post(f"{base}/{request['id']}/approve", headers=auth(w["owner"]))
    assert approved.status_code == 200, approved.text
    done = await settled(client, f"{base}/{request['id']}", auth(w["owner"]))
    assert done["status"] == "complete"
    again = await client.post(f"{base}/{request['id']}/approve", headers=auth(w["owner"]))
    assert again.status_code == 409 and again.json()["type"] == PROBLEMS + "request-state"

    download = await client.get(f"{base}/{request['id']}/bundle", headers=auth(w["owner"]))
    assert download.status_code == 200, download.text
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    data = json.loads(archive.read("personal_data.json"))
    leads = data["leads"]["leads_lead"]
    assert [r["recordId"] for r in leads] == [w["ann"]["id"]]
    assert leads[0]["fields"]["phone"] == "+6591234567"
    everything = b"".join(archive.read(n) for n in archive.namelist()).decode()
    assert w["twin"]["id"] not in everything and "Teh Co" not in everything and "bob@mail.sg" not in everything
    log = json.loads(archive.read("use_and_disclosure_log.json"))
    assert "lead.created" in {e["type"] for e in log}
    assert (await client.get(f"{base}/{request['id']}/bundle", headers=auth(w["other"]))).status_code == 404


async def test_public_intake_verifies_the_address_with_a_code(client: Client, inbox: Inbox, clock: FixedClock) -> None:
    w = await _two_tenants(client, inbox)
    public = f"/api/v1/public/orgs/{w['kopi']}/privacy/requests"
    known = await client.post(public, json={"kind": "access", "email": "ann@mail.sg"})
    unknown = await client.post(public, json={"kind": "access", "email": "nobody@mail.sg"})
    assert known.status_code == unknown.status_code == 202
    assert known.json().keys() == unknown.json().keys() and known.json()["detail"] == unknown.json()["detail"]
    assert known.json()["status"] == "identity_unverified"
    nowhere = "/api/v1/public/orgs/01900000-0000-7000-8000-00000000abcd/privacy/requests"
    assert (await client.post(nowhere, json={"kind": "access", "email": "a@b.sg"})).status_code == 404

    mail = await inbox.wait_for("ann@mail.sg", "confirmation code")
    code = re.search(r"code is (\d{6})", mail.get_body(("plain",)).get_content()).group(1)  # type: ignore[union-attr]
    verify = f"{public}/{known.json()['requestId']}/verify"
    wrong = "000000" if code != "000000" else "111111"
    bad = await client.post(verify, json={"code": wrong})
    assert bad.status_code == 422 and bad.json()["type"] == PROBLEMS + "verification-failed"
    assert "4 attempts left" in bad.json()["errors"][0]["message"]
    assert (await client.post(verify, json={"code": "12ab"})).status_code == 422
    # Another tenant's public route does not know the request.
    assert (
        await client.post(
            f"/api/v1/public/orgs/{w['teh']}/privacy/requests/{known.json()['requestId']}/verify", json={"code": code}
        )
    ).status_code == 404
    ok = await client.post(verify, json={"code": code})
    assert ok.status_code == 200, ok.text
    assert ok.json()["status"] == "pending"
    listed = await client.get(
        f"/api/v1/orgs/{w['kopi']}/privacy/requests", params={"status": "pending"}, headers=auth(w["owner"])
    )
    assert [r["id"] for r in listed.json()["items"]] == [known.json()["requestId"]]
    assert listed.json()["items"][0]["receivedVia"] == "public_form"
    assert [h["actor"] for h in listed.json()["items"][0]["history"]] == ["subject", "subject"]

    # The second request's code expires after 10 minutes.
    late_mail = await inbox.wait_for("nobody@mail.sg", "confirmation code")
    late_code = re.search(r"code is (\d{6})", late_mail.get_body(("plain",)).get_content()).group(1)  # type: ignore[union-attr]
    clock.advance(timedelta(minutes=11))
    expired = await client.post(f"{public}/{unknown.json()['requestId']}/verify", json={"code": late_code})
    assert expired.status_code == 409 and expired.json()["type"] == PROBLEMS + "verification-expired"


async def test_deny_extend_overdue_and_manual_completion(client: Client, inbox: Inbox, clock: FixedClock) -> None:
    w = await _two_tenants(client, inbox)
    base = f"/api/v1/orgs/{w['kopi']}/privacy/requests"
    make = {"subject": {"leadId": w["ann"]["id"]}, "receivedVia": "email"}
    correction = (await client.post(base, json={"kind": "correction", **make}, headers=auth(w["owner"]))).json()
    to_deny = (await client.post(base, json={"kind": "access", **make}, headers=auth(w["owner"]))).json()
    denied = await client.post(
        f"{base}/{to_deny['id']}/deny", json={"reason": "not the subject"}, headers=auth(w["owner"])
    )
    assert denied.status_code == 200 and denied.json()["status"] == "denied"
    assert denied.json()["history"][-1]["note"] == "not the subject"
    assert (
        await client.post(f"{base}/{to_deny['id']}/deny", json={"reason": ""}, headers=auth(w["owner"]))
    ).status_code == 422

    extended = await client.post(
        f"{base}/{correction['id']}/extend", json={"reason": "records off-site", "days": 10}, headers=auth(w["owner"])
    )
    assert extended.status_code == 200 and extended.json()["daysLeft"] == 40
    assert (
        await client.post(
            f"{base}/{correction['id']}/extend", json={"reason": "x", "days": 61}, headers=auth(w["owner"])
        )
    ).status_code == 422
    clock.advance(timedelta(days=41))
    w["owner"] = bearer((await signed_in(client, "owner@kopi.sg"))["accessToken"])  # the old token expired
    overdue = await client.get(base, params={"overdue": "true"}, headers=auth(w["owner"]))
    assert overdue.status_code == 200, overdue.text
    assert [r["id"] for r in overdue.json()["items"]] == [correction["id"]]
    assert overdue.json()["items"][0]["daysLeft"] == -1 and overdue.json()["items"][0]["overdue"]
    assert (await client.get(base, params={"status": "nonsense"}, headers=auth(w["owner"]))).status_code == 422

    await client.post(f"{base}/{correction['id']}/approve", headers=auth(w["owner"]))
    done = await client.post(
        f"{base}/{correction['id']}/complete", json={"note": "phone corrected"}, headers=auth(w["owner"])
    )
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "complete"
    actions = [h["action"] for h in done.json()["history"]]
    assert actions == ["received", "extended", "approved", "processing", "completed"]


async def test_a_deletion_request_erases_the_lead_and_suppresses_her_contacts(
    client: Client, inbox: Inbox, runtime: Runtime
) -> None:
    w = await _two_tenants(client, inbox)
    base = f"/api/v1/orgs/{w['kopi']}/privacy/requests"
    created = await client.post(
        base,
        json={"kind": "deletion", "subject": {"phone": "+65 9123 4567"}, "receivedVia": "phone"},
        headers=auth(w["owner"]),
    )
    assert created.status_code == 201, created.text
    await client.post(f"{base}/{created.json()['id']}/approve", headers=auth(w["owner"]))
    done = await settled(client, f"{base}/{created.json()['id']}", auth(w["owner"]))
    assert done["status"] == "complete" and done["erased"] and done["phone"].startswith("h:")
    assert "1 rows deleted" in done["history"][-1]["note"]
    assert (
        await client.get(f"/api/v1/orgs/{w['kopi']}/leads/{w['ann']['id']}", headers=auth(w["owner"]))
    ).status_code == 404
    # The other tenant's Ann is another subject: untouched.
    assert (
        await client.get(f"/api/v1/orgs/{w['teh']}/leads/{w['twin']['id']}", headers=auth(w["other"]))
    ).status_code == 200

    async def look(session: AsyncSession) -> tuple[int, int]:
        leads = await session.scalar(select(func.count()).select_from(LeadRow).where(LeadRow.email == "ann@mail.sg"))
        suppressed = await session.scalar(select(func.count()).select_from(PrivacySuppressionRow))
        return leads or 0, suppressed or 0

    leads_left, suppressed = await system_read(client, runtime, look)
    assert leads_left == 1  # the twin
    assert suppressed == 2  # her email (found on the lead) and her phone, hashed

    # An import does not bring her back, unless the row records her consent given now.
    csv = (
        b"First Name,Last Name,Email,Phone,Marketing Consent\r\n"
        b"Ann,Tan,ann@mail.sg,,\r\n"
        b"Ann,Tan,,+6591234567,no\r\n"
        b"Carl,Ong,carl@mail.sg,,\r\n"
    )
    job = await _import(client, w["kopi"], w["owner"], csv)
    assert job["counts"]["created"] == 1 and job["counts"]["errors"] == 2, job
    assert {e["row"] for e in job["errors"]} == {1, 2} and "erased" in job["errors"][0]["message"]
    consented = await _import(
        client, w["kopi"], w["owner"], b"First Name,Email,Marketing Consent\r\nAnn,ann@mail.sg,yes\r\n"
    )
    assert consented["counts"]["created"] == 1, consented
    # The other tenant's list is its own: nothing of Kopi's erasure applies there.
    theirs = await _import(client, w["teh"], w["other"], b"First Name,Email\r\nAnn,ann2@mail.sg\r\n")
    assert theirs["counts"]["created"] == 1


async def _lead_bundle(client: Client, org_id: str, admin: dict[str, str], lead_id: str) -> zipfile.ZipFile:
    base = f"/api/v1/orgs/{org_id}/privacy/requests"
    body = {"kind": "access", "subject": {"leadId": lead_id}, "receivedVia": "email"}
    created = await client.post(base, json=body, headers=auth(admin))
    assert created.status_code == 201, created.text
    request_id = created.json()["id"]
    assert (await client.post(f"{base}/{request_id}/approve", headers=auth(admin))).status_code == 200
    assert (await settled(client, f"{base}/{request_id}", auth(admin)))["status"] == "complete"
    download = await client.get(f"{base}/{request_id}/bundle", headers=auth(admin))
    assert download.status_code == 200, download.text
    return zipfile.ZipFile(io.BytesIO(download.content))


async def test_the_bundle_says_who_viewed_her_record_and_when(client: Client, inbox: Inbox) -> None:
    w = await _two_tenants(client, inbox)
    kopi_leads = f"/api/v1/orgs/{w['kopi']}/leads"
    bob = (await client.get(kopi_leads, params={"q": "Bob"}, headers=auth(w["owner"]))).json()["items"][0]
    # The member opens Ann's record twice and her timeline: one view (coalesced per day).
    for path in ("", "", "/activities"):
        assert (await client.get(f"{kopi_leads}/{w['ann']['id']}{path}", headers=auth(w["member"]))).status_code == 200
    # The owner only lists leads (no view recorded) and opens Bob's record (Bob's view).
    assert (await client.get(kopi_leads, headers=auth(w["owner"]))).status_code == 200
    assert (await client.get(f"{kopi_leads}/{bob['id']}", headers=auth(w["owner"]))).status_code == 200
    # A view of a missing lead is a 404 and records nothing.
    missing = "01900000-0000-7000-8000-00000000abcd"
    assert (await client.get(f"{kopi_leads}/{missing}", headers=auth(w["member"]))).status_code == 404

    log = json.loads(
        (await _lead_bundle(client, w["kopi"], w["owner"], w["ann"]["id"])).read("use_and_disclosure_log.json")
    )
    views = [e for e in log if e["type"] == "lead.viewed"]
    assert [(e["actor_id"], e["payload"], e["entry"]) for e in views] == [
        (w["member"]["id"], {"role": "member"}, f"viewed by {w['member']['id']} (member)")
    ]
    assert views[0]["about_subject"] is True and views[0]["occurred_at"]
    archive = await _lead_bundle(client, w["kopi"], w["owner"], w["ann"]["id"])
    assert "viewed by " + w["member"]["id"] in archive.read("use_and_disclosure_log.csv").decode()

    # Ann's namesake in the other tenant: nobody opened her record, so no view in her log.
    twin_log = json.loads(
        (await _lead_bundle(client, w["teh"], w["other"], w["twin"]["id"])).read("use_and_disclosure_log.json")
    )
    assert [e for e in twin_log if e["type"] == "lead.viewed"] == []
    assert w["member"]["id"] not in json.dumps(twin_log)
