"""Lead CSV imports and exports through HTTP, on PostgreSQL as the non-owner role (RLS on),
with the import task running on the in-process broker."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from nexuscore.bootstrap.app import create_app
from nexuscore.kernel.clock import business_date
from nexuscore.platform.settings import Settings
from tests.conftest import make_settings
from tests.e2e.conftest import Inbox
from tests.e2e.conftest import auth as _auth
from tests.e2e.conftest import join_org as _join
from tests.e2e.conftest import verified_user as _user

pytestmark = pytest.mark.e2e
Client = AsyncTestClient[Litestar]
PROBLEMS = "https://nexuscore.sg/problems/"
HEADER = "First Name,Last Name,Email,Phone,Company,Tags,Marketing Consent,DNC Status,DNC Checked At"


# ---- helpers -----------------------------------------------------------------------------------


async def _org(client: Client, owner: dict[str, str], name: str = "Kopi Tiam Pte Ltd") -> str:
    response = await client.post("/api/v1/orgs", json={"name": name}, headers=_auth(owner))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode()


async def _upload(
    client: Client, oid: str, user: dict[str, str], data: bytes, *, dry_run: bool | None = None, name: str = "leads.csv"
) -> Any:
    form = {} if dry_run is None else {"dryRun": "true" if dry_run else "false"}
    return await client.post(
        f"/api/v1/orgs/{oid}/leads/imports",
        files={"file": (name, data, "text/csv")},
        data=form,
        headers=_auth(user),
    )


async def _finished(client: Client, location: str, user: dict[str, str], timeout: float = 30.0) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        response = await client.get(location, headers=_auth(user))
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        if body["status"] in ("completed", "failed"):
            return body
        if asyncio.get_running_loop().time() > deadline:
            pytest.fail(f"import still {body['status']} after {timeout}s: {body}")
        await asyncio.sleep(0.05)


async def _import(client: Client, oid: str, user: dict[str, str], data: bytes) -> dict[str, Any]:
    response = await _upload(client, oid, user, data)
    assert response.status_code == 202, response.text
    return await _finished(client, response.headers["location"], user)


async def _leads(client: Client, oid: str, user: dict[str, str], query: str = "") -> list[dict[str, Any]]:
    response = await client.get(f"/api/v1/orgs/{oid}/leads?limit=100{query}", headers=_auth(user))
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def _audit(client: Client, oid: str, user: dict[str, str], event_type: str) -> list[dict[str, Any]]:
    response = await client.get(f"/api/v1/orgs/{oid}/audit-events?type={event_type}", headers=_auth(user))
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def _export(client: Client, oid: str, user: dict[str, str], query: str = "") -> tuple[Any, list[dict[str, str]]]:
    response = await client.get(f"/api/v1/orgs/{oid}/leads/export{query}", headers=_auth(user))
    rows = list(csv.DictReader(io.StringIO(response.text))) if response.status_code == 200 else []
    return response, rows


def _days_ago(days: int) -> str:
    # DNC validity counts days in Singapore, as the export does.
    return (business_date(datetime.now(UTC)) - timedelta(days=days)).isoformat()


# ---- imports -----------------------------------------------------------------------------------


async def test_a_dry_run_previews_errors_and_duplicates_and_writes_nothing(client: Client, inbox: Inbox) -> None:
    owner = await _user(client, inbox, "owner@kopi.sg")
    oid = await _org(client, owner)
    existing = await client.post(
        f"/api/v1/orgs/{oid}/leads", json={"firstName": "Old", "email": "ann@kopi.sg"}, headers=_auth(owner)
    )
    assert existing.status_code == 201, existing.text
    data = _csv(
        "Ann,Tan,ANN@kopi.sg,,,,,,,blue",  # 1: duplicate of the existing lead
        "Bob,Lim,bob@kopi.sg,91234567,Kopi,,,,,",  # 2
        "Cid,Ng,not-an-email,,,,maybe,,,",  # 3: two errors
        "Bob,Again,,+65 9123 4567,,,,,,",  # 4: duplicate of row 2
        header=HEADER + ",Favourite Colour",
    )
    response = await _upload(client, oid, owner, data, dry_run=True)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["dryRun"] is True
    assert (body["totalRows"], body["validRows"], body["newRows"], body["errorRows"], body["duplicateRows"]) == (
        4,
        3,
        1,
        1,
        2,
    )
    assert {(e["row"], e["field"]) for e in body["errors"]} == {(3, "email"), (3, "marketingConsent")}
    assert body["duplicates"] == [
        {"row": 1, "matchedOn": "email", "existingLeadId": existing.json()["id"]},
        {"row": 4, "matchedOn": "phone", "duplicateOfRow": 2},
    ]
    assert body["ignoredColumns"] == ["Favourite Colour"] and "firstName" in body["columns"]
    assert body["overLimit"] is False and body["activeLeads"] == 1
    assert len(await _leads(client, oid, owner)) == 1
    assert await _audit(client, oid, owner, "lead.imported") == []


async def test_an_import_runs_in_the_background_until_completed(client: Client, inbox: Inbox) -> None:
    owner = await _user(client, inbox, "boss@kopi.sg")
    oid = await _org(client, owner)
    await client.post(
        f"/api/v1/orgs/{oid}/leads", json={"firstName": "Old", "phone": "+6591234567"}, headers=_auth(owner)
    )
    data = _csv(
        "Ann,Tan,ann@kopi.sg,,Kopi,VIP; retail,yes,clear," + _days_ago(3),  # 1
        "Dup,Phone,,9123 4567,,,,,",  # 2: duplicate of the existing lead
        '"Eve, Jr",Ong,eve@kopi.sg,,"Ong, Tan & Co",,no,,',  # 3: quoted cells with commas
        "Bad,Row,not-an-email,,,,,,",  # 4: error
        "Ann,Again,ANN@KOPI.SG,,,,,,",  # 5: duplicate of row 1
        "Too,Few,cells",  # 6: malformed (3 cells for 9 columns)
    )
    response = await _upload(client, oid, owner, data, dry_run=False, name="crm export.csv")
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert accepted["status"] == "pending" and accepted["totalRows"] == 6 and accepted["processedRows"] == 0
    assert accepted["counts"] == {"created": 0, "duplicates": 0, "errors": 0}
    assert accepted["filename"] == "crm export.csv"
    location = response.headers["location"]
    assert location == f"/api/v1/orgs/{oid}/leads/imports/{accepted['id']}"

    job = await _finished(client, location, owner)
    assert job["status"] == "completed" and job["processedRows"] == 6, job
    assert job["counts"] == {"created": 2, "duplicates": 2, "errors": 2}
    assert [(e["row"], e["field"]) for e in job["errors"]] == [(4, "email"), (6, None)]
    assert [(d["row"], d["matchedOn"], "existingLeadId" in d, d.get("duplicateOfRow")) for d in job["duplicates"]] == [
        (2, "phone", True, None),
        (5, "email", False, 1),
    ]
    assert job["startedAt"] and job["finishedAt"] and job["failure"] is None

    created = {lead["firstName"]: lead for lead in await _leads(client, oid, owner, "&source=import")}
    assert set(created) == {"Ann", "Eve, Jr"}
    ann = created["Ann"]
    assert ann["tags"] == ["vip", "retail"] and ann["marketingEligible"] is True and ann["score"] > 0
    assert (
        created["Eve, Jr"]["company"] == "Ong, Tan & Co" and created["Eve, Jr"]["marketingConsent"]["granted"] is False
    )
    (event,) = await _audit(client, oid, owner, "lead.imported")
    assert event["payload"] == {"importId": accepted["id"], "created": 2, "duplicates": 2, "errors": 2}
    assert event["actorId"] == owner["id"]


@pytest.mark.parametrize(
    ("data", "status", "problem"),
    [
        ("Prénom,Email\r\nZoë,z@x.sg\r\n".encode("latin-1"), 400, "malformed-csv"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 400, "malformed-csv"),
        (b"", 400, "malformed-csv"),
        (b"Email,Phone\r\na@x.sg,\r\n", 422, "validation-error"),
        (b"First Name,Email\r\n", 422, "validation-error"),
    ],
)
async def test_files_that_are_not_usable_csv_are_refused(
    client: Client, inbox: Inbox, data: bytes, status: int, problem: str
) -> None:
    owner = await _user(client, inbox, "files@kopi.sg")
    oid = await _org(client, owner)
    for dry_run in (True, False):
        response = await _upload(client, oid, owner, data, dry_run=dry_run)
        assert response.status_code == status, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["type"] == PROBLEMS + problem
    urlencoded = await client.post(f"/api/v1/orgs/{oid}/leads/imports", data={"dryRun": "true"}, headers=_auth(owner))
    assert urlencoded.status_code == 415
    no_file = await client.post(
        f"/api/v1/orgs/{oid}/leads/imports", files={"dryRun": (None, "true")}, headers=_auth(owner)
    )
    assert no_file.status_code == 422 and [e["field"] for e in no_file.json()["errors"]] == ["file"]
    wrong_part = await client.post(
        f"/api/v1/orgs/{oid}/leads/imports", files={"upload": ("x.csv", b"First Name\r\nAnn\r\n")}, headers=_auth(owner)
    )
    assert wrong_part.status_code == 422 and [e["field"] for e in wrong_part.json()["errors"]] == ["upload"]


async def test_files_over_ten_megabytes_or_fifty_thousand_rows_are_413(client: Client, inbox: Inbox) -> None:
    owner = await _user(client, inbox, "big@kopi.sg")
    oid = await _org(client, owner)
    header = b"First Name,Notes\r\n"
    just_over = header + b"Ann," + b"x" * (10 * 1024 * 1024 - len(header) - 4) + b"\r\n"
    assert len(just_over) == 10 * 1024 * 1024 + 2
    way_over = just_over + b"y" * (1024 * 1024)  # past the route's body limit: refused while streaming in
    many_rows = header + b"Ann,x\r\n" * 50_001
    for data in (just_over, way_over, many_rows):
        response = await _upload(client, oid, owner, data, dry_run=False)
        assert response.status_code == 413, response.text[:300]
        assert response.json()["type"] == PROBLEMS + "payload-too-large"
    fits = await _upload(client, oid, owner, header + b"Ann,x\r\n" * 50_000, dry_run=True)
    assert fits.status_code == 200 and fits.json()["totalRows"] == 50_000
    assert await _leads(client, oid, owner) == []


@pytest.fixture
def limited_settings(app_postgres_url: str, tmp_path: Path) -> Settings:
    return make_settings(
        tmp_path,
        DATABASE_URL=app_postgres_url,
        OUTBOX_RELAY_IN_PROCESS="true",
        OUTBOX_POLL_SECONDS="0.05",
        MAIL_BACKEND="file",
        APP_BASE_URL="https://app.example.sg",
        LEADS_DEFAULT_LIMIT="3",
    )


@pytest.fixture
async def limited_client(limited_settings: Settings) -> AsyncIterator[Client]:
    async with AsyncTestClient(create_app(limited_settings)) as c:
        yield c


async def test_an_import_over_the_lead_limit_is_402_up_front(
    limited_client: Client, limited_settings: Settings
) -> None:
    client, inbox = limited_client, Inbox(limited_settings.mail_dir)
    owner = await _user(client, inbox, "limit@kopi.sg")
    oid = await _org(client, owner)
    await client.post(f"/api/v1/orgs/{oid}/leads", json={"firstName": "Old", "email": "a@x.sg"}, headers=_auth(owner))
    rows = [f"P{i},L,p{i}@x.sg,,,,,," for i in range(3)]
    refused = await _upload(client, oid, owner, _csv(*rows), dry_run=False)
    assert refused.status_code == 402, refused.text
    assert refused.json()["type"] == PROBLEMS + "quota-exceeded" and refused.json()["limit"] == 3
    preview = (await _upload(client, oid, owner, _csv(*rows), dry_run=True)).json()
    assert preview["overLimit"] is True and preview["leadLimit"] == 3
    # Duplicates do not count: 1 existing + 2 new fits a limit of 3.
    job = await _import(client, oid, owner, _csv("Dup,L,a@x.sg,,,,,,", *rows[:2]))
    assert job["counts"] == {"created": 2, "duplicates": 1, "errors": 0}


async def test_members_and_viewers_may_not_import_or_export(client: Client, inbox: Inbox) -> None:
    owner = await _user(client, inbox, "own@kopi.sg")
    oid = await _org(client, owner)
    admin = await _join(client, inbox, oid, owner, "admin@kopi.sg", "admin")
    job = await _import(client, oid, admin, _csv("Ann,Tan,a@x.sg,,,,,,"))
    for role in ("member", "viewer"):
        user = await _join(client, inbox, oid, owner, f"{role}@kopi.sg", role)
        for dry_run in (True, False):
            response = await _upload(client, oid, user, _csv("Bob,Lim,b@x.sg,,,,,,"), dry_run=dry_run)
            assert response.status_code == 403, response.text
            assert response.json()["type"] == PROBLEMS + "permission-denied"
        location = f"/api/v1/orgs/{oid}/leads/imports/{job['id']}"
        assert (await client.get(location, headers=_auth(user))).status_code == 403
        assert (await _export(client, oid, user))[0].status_code == 403
    assert [lead["firstName"] for lead in await _leads(client, oid, owner)] == ["Ann"]
    assert await _audit(client, oid, owner, "lead.exported") == []


async def test_another_tenants_import_is_404(client: Client, inbox: Inbox) -> None:
    ann = await _user(client, inbox, "ann@kopi.sg")
    bob = await _user(client, inbox, "bob@teh.sg")
    ann_org, bob_org = await _org(client, ann), await _org(client, bob, "Teh Tarik Pte Ltd")
    job = await _import(client, ann_org, ann, _csv("Ann,Tan,a@x.sg,,,,,,"))
    through_own_org = await client.get(f"/api/v1/orgs/{bob_org}/leads/imports/{job['id']}", headers=_auth(bob))
    assert through_own_org.status_code == 404 and through_own_org.json()["type"] == PROBLEMS + "not-found"
    through_ann_org = await client.get(f"/api/v1/orgs/{ann_org}/leads/imports/{job['id']}", headers=_auth(bob))
    assert through_ann_org.status_code == 404
    assert (await _export(client, ann_org, bob))[0].status_code == 404
    assert (await client.get(f"/api/v1/orgs/{bob_org}/leads/imports/{bob_org}", headers=_auth(bob))).status_code == 404


# ---- exports -----------------------------------------------------------------------------------


async def test_export_streams_csv_with_filters_and_neutralised_formulas(client: Client, inbox: Inbox) -> None:
    owner = await _user(client, inbox, "exp@kopi.sg")
    oid = await _org(client, owner)
    other = await _user(client, inbox, "other@teh.sg")
    other_org = await _org(client, other, "Teh Tarik Pte Ltd")
    await _import(client, other_org, other, _csv("Stranger,Lee,s@teh.sg,,,,,,"))
    await _import(
        client,
        oid,
        owner,
        _csv(
            '"=HYPERLINK(""http://evil.example"",""click"")",Tan,ann@kopi.sg,91234567,@SUM(A1),vip,,,',
            "Bob,-Lim,bob@kopi.sg,,+Co,retail,,,",
        ),
    )
    response, rows = await _export(client, oid, owner)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="leads-general-') and disposition.endswith('.csv"')
    assert response.text.startswith("id,firstName,lastName,email,phone,")
    assert [r["email"] for r in rows] == ["ann@kopi.sg", "bob@kopi.sg"]  # oldest first; no other tenant's
    evil, bob = rows
    assert evil["firstName"] == '\'=HYPERLINK("http://evil.example","click")'
    assert evil["company"] == "'@SUM(A1)" and evil["phone"] == "'+6591234567"
    assert bob["lastName"] == "'-Lim" and bob["company"] == "'+Co" and bob["source"] == "import"

    _, vip_only = await _export(client, oid, owner, "?tag=vip&status=new")
    assert [r["email"] for r in vip_only] == ["ann@kopi.sg"]
    bad = await client.get(f"/api/v1/orgs/{oid}/leads/export?status=maybe", headers=_auth(owner))
    assert bad.status_code == 422

    events = await _audit(client, oid, owner, "lead.exported")
    assert [(e["payload"]["count"], e["payload"]["purpose"]) for e in events] == [(1, "general"), (2, "general")]
    assert events[0]["payload"]["filters"] == {"status": ["new"], "tag": "vip"} and events[0]["payload"]["completed"]
    assert events[1]["payload"]["filters"] == {} and events[1]["actorId"] == owner["id"]


async def test_a_marketing_export_leaves_out_leads_that_may_not_be_marketed_to(client: Client, inbox: Inbox) -> None:
    owner = await _user(client, inbox, "mkt@kopi.sg")
    oid = await _org(client, owner)
    job = await _import(
        client,
        oid,
        owner,
        _csv(
            f"Ok,A,ok@x.sg,,,,yes,clear,{_days_ago(5)}",
            f"Edge,A,edge@x.sg,,,,yes,clear,{_days_ago(21)}",
            f"NoConsent,A,no@x.sg,,,,no,clear,{_days_ago(5)}",
            f"Silent,A,silent@x.sg,,,,,clear,{_days_ago(5)}",
            f"Listed,A,listed@x.sg,,,,yes,listed,{_days_ago(5)}",
            f"Stale,A,stale@x.sg,,,,yes,clear,{_days_ago(22)}",
            "Unchecked,A,unchecked@x.sg,,,,yes,,",
        ),
    )
    assert job["counts"]["created"] == 7, job
    response, rows = await _export(client, oid, owner, "?purpose=marketing")
    assert response.status_code == 200, response.text
    assert sorted(r["firstName"] for r in rows) == ["Edge", "Ok"]
    assert {r["marketingConsent"] for r in rows} == {"yes"} and {r["dncStatus"] for r in rows} == {"clear"}
    assert 'filename="leads-marketing-' in response.headers["content-disposition"]
    _, everyone = await _export(client, oid, owner)
    assert len(everyone) == 7
    events = await _audit(client, oid, owner, "lead.exported")
    assert [(e["payload"]["purpose"], e["payload"]["count"]) for e in events] == [("general", 7), ("marketing", 2)]
    assert (await client.get(f"/api/v1/orgs/{oid}/leads/export?purpose=spam", headers=_auth(owner))).status_code == 422


# ---- the embedded default ----------------------------------------------------------------------


async def test_import_and_export_work_on_the_embedded_default(tmp_path: Path) -> None:
    """SQLite and the in-process broker: no row-level security, no row locks, same behaviour."""
    from nexuscore.platform.migrations import upgrade_head

    url = f"sqlite+aiosqlite:///{tmp_path / 'var' / 'nexuscore.db'}"
    (tmp_path / "var").mkdir()
    await asyncio.to_thread(upgrade_head, url)
    settings = make_settings(tmp_path, DATABASE_URL=url, MAIL_BACKEND="file", OUTBOX_POLL_SECONDS="0.05")
    async with AsyncTestClient(create_app(settings)) as client:
        owner = await _user(client, Inbox(settings.mail_dir), "lite@kopi.sg")
        oid = await _org(client, owner)
        job = await _import(
            client, oid, owner, _csv(*(f"P{n},L,p{n}@x.sg,,,,,," for n in range(5)), "Dup,L,p0@x.sg,,,,,,")
        )
        assert job["counts"] == {"created": 5, "duplicates": 1, "errors": 0}
        response, rows = await _export(client, oid, owner)
        assert response.status_code == 200 and len(rows) == 5
        assert [e["payload"]["count"] for e in await _audit(client, oid, owner, "lead.exported")] == [5]
