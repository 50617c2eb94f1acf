"""The generated Python client (sdk/python) against a running server: `nexuscore serve` and a
worker on PostgreSQL and Redis, mails read from the file sink. A frontend team's whole first
day: register, verify, sign in, organisation, invitation, leads, pipeline, CSV in and out, and
the errors a client must handle, read through the generated error types."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import PASSWORD, link_token
from tests.e2e.sdk import calls
from tests.e2e.served import ServedApi, served_api

pytestmark = pytest.mark.e2e
PROBLEMS = "https://nexuscore.sg/problems/"
HEADER = "First Name,Last Name,Email,Phone,Company,Tags,Marketing Consent,DNC Status,DNC Checked At"


@pytest.fixture
def api(app_postgres_url: str, redis_url: str, tmp_path: Path) -> Iterator[ServedApi]:
    with served_api(tmp_path / "server", app_postgres_url, redis_url) as served:
        yield served


async def _import_finished(owner: calls.AuthenticatedClient, org_id: Any, import_id: Any) -> Any:
    for _ in range(300):  # polls the worker's progress, bounded
        job = calls.lead_import(owner, org_id, import_id)
        if job.status in ("completed", "failed"):
            return job
        await asyncio.sleep(0.05)
    pytest.fail(f"import {import_id} not finished: {job}")


async def test_a_frontend_teams_first_day_through_the_generated_python_client(api: ServedApi) -> None:
    anon = calls.anonymous(api.base_url)

    # register -> verify (the mailed link) -> sign in
    for email, name in (("ann@example.sg", "Ann Tan"), ("ben@example.sg", "Ben Lim")):
        registered = calls.register_user(anon, email, PASSWORD, name)
        assert registered.status_code == 201 and registered.parsed.email == email
        token = link_token(await api.inbox.wait_for(email, "Verify your email"))
        assert calls.verify(anon, token).status_code == 200
    ann = calls.sign_in(anon, "ann@example.sg", PASSWORD)
    assert calls.me(ann).parsed.full_name == "Ann Tan"

    # error paths: a taken email 409, wrong password and no token 401, bad input 422
    status, taken = calls.problem(calls.register_user, anon, "ann@example.sg", PASSWORD, "Ann Again")
    assert status == 409 and taken["type"].startswith(PROBLEMS)
    status, wrong = calls.problem(calls.sign_in_detailed, anon, "ann@example.sg", "not the password at all")
    assert status == 401 and wrong["status"] == 401
    org_id = calls.create_org(ann, "Kopi Tiam Pte Ltd")
    status, unauthenticated = calls.problem(calls.leads_detailed, anon, org_id)
    assert status == 401 and unauthenticated["type"].startswith(PROBLEMS)
    status, invalid = calls.problem(calls.leads_detailed, ann, org_id, limit=1000)
    assert status == 422 and any("limit" in error["field"] for error in invalid["errors"])

    # organisation -> invitation (mailed) -> accept
    calls.invite(ann, org_id, "ben@example.sg", "member")
    ben = calls.sign_in(anon, "ben@example.sg", PASSWORD)
    calls.accept(ben, link_token(await api.inbox.wait_for("ben@example.sg", "Join")))
    assert {m.email for m in calls.members(ann, org_id)} == {"ann@example.sg", "ben@example.sg"}

    # leads: create, duplicate 409 with the existing lead, list with filters, pipeline
    first = calls.new_lead(ben, org_id, first_name="Siti", email="siti@teh.sg", tags=["hot"], company="Teh Co")
    assert first.status_code == 201
    calls.new_lead(ben, org_id, first_name="Raj", email="raj@roti.sg", tags=["cold"])
    status, duplicate = calls.problem(calls.new_lead, ben, org_id, first_name="Siti", email="SITI@teh.sg")
    assert status == 409 and duplicate["type"] == PROBLEMS + "duplicate-lead"
    assert duplicate["existingLeadId"] == str(first.parsed.id)
    hot = calls.leads(ann, org_id, tag="hot")
    assert [lead.first_name for lead in hot.items] == ["Siti"] and hot.total == 1
    assert calls.leads(ann, org_id, q="roti").total == 1
    lead_id = first.parsed.id
    for step in ("contacted", "qualified"):
        moved = calls.move(ben, org_id, lead_id, step)
        assert moved.status_code == 200 and moved.parsed.status == step
    status, illegal = calls.problem(calls.move, ben, org_id, lead_id, "new")
    assert status == 409 and illegal["type"] == PROBLEMS + "business-rule-violation"
    assert calls.leads(ann, org_id, status=["qualified"]).total == 1

    # CSV import: a dry run previews, the real one is a 202 job the worker finishes
    data = ("\r\n".join([HEADER, "Mei,Ong,mei@ong.sg,,Ong Pte,hot,,,", "Dup,Siti,siti@teh.sg,,,,,,"]) + "\r\n").encode()
    preview = calls.import_csv(ann, org_id, data, dry_run=True)
    assert preview.status_code == 200 and preview.parsed.new_rows == 1 and preview.parsed.duplicate_rows == 1
    assert calls.leads(ann, org_id).total == 2  # the preview wrote nothing
    accepted = calls.import_csv(ann, org_id, data, dry_run=False)
    assert accepted.status_code == 202
    job = await _import_finished(ann, org_id, accepted.parsed.id)
    assert job.status == "completed" and job.counts.created == 1 and len(job.duplicates) == 1

    # CSV export with a filter
    exported = calls.export_csv(ann, org_id, tag="hot")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode())))
    assert sorted(row["firstName"] for row in rows) == ["Mei", "Siti"]

    # a member may not export: 403 problem
    status, forbidden = calls.problem(calls.export_csv, ben, org_id)
    assert status == 403 and forbidden["status"] == 403
