"""The server does what its OpenAPI document says, where the document used to lie: parameter
names in errors, dryRun where a client puts it, 415 naming what is accepted, every list a page."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.e2e.conftest import Inbox, auth, join_org, verified_user

pytestmark = pytest.mark.e2e
Client = AsyncTestClient[Litestar]
CSV = b"First Name,Email\r\nAnn,ann@kopi.sg\r\nBen,ben@kopi.sg\r\n"


async def _owner_and_org(client: Client, inbox: Inbox, prefix: str) -> tuple[dict[str, str], str]:
    owner = await verified_user(client, inbox, f"{prefix}owner@kopi.sg")
    response = await client.post("/api/v1/orgs", json={"name": f"{prefix} Kopi"}, headers=auth(owner))
    assert response.status_code == 201, response.text
    return owner, str(response.json()["id"])


def _fields(response: object) -> list[str]:
    body = response.json()  # type: ignore[attr-defined]
    return sorted(e["field"] for e in body["errors"])


async def test_query_parameter_errors_name_the_parameter_as_the_client_spells_it(client: Client, inbox: Inbox) -> None:
    owner, oid = await _owner_and_org(client, inbox, "names")
    bad = {"createdFrom": "x", "createdTo": "x", "scoreMin": "x", "followUpBefore": "x", "ownerId": "x"}
    for name, value in bad.items():
        response = await client.get(f"/api/v1/orgs/{oid}/leads", params={name: value}, headers=auth(owner))
        assert response.status_code == 422, response.text
        assert _fields(response) == [name]
    too_low = await client.get(f"/api/v1/orgs/{oid}/leads", params={"scoreMin": "-1"}, headers=auth(owner))
    assert too_low.status_code == 422 and _fields(too_low) == ["scoreMin"]
    for name in ("from", "to", "actorId"):
        response = await client.get(f"/api/v1/orgs/{oid}/audit-events", params={name: "x"}, headers=auth(owner))
        assert response.status_code == 422, response.text
        assert _fields(response) == [name]


async def test_dry_run_is_honoured_in_the_query_and_a_contradiction_is_refused(client: Client, inbox: Inbox) -> None:
    owner, oid = await _owner_and_org(client, inbox, "dry")
    url = f"/api/v1/orgs/{oid}/leads/imports"
    files = {"file": ("leads.csv", CSV, "text/csv")}
    preview = await client.post(url, params={"dryRun": "true"}, files=files, headers=auth(owner))
    assert preview.status_code == 200, preview.text
    assert preview.json()["dryRun"] is True and preview.json()["newRows"] == 2
    listed = await client.get(f"/api/v1/orgs/{oid}/leads", headers=auth(owner))
    assert listed.json()["total"] == 0  # nothing was imported
    contradiction = await client.post(
        url, params={"dryRun": "false"}, files=files, data={"dryRun": "true"}, headers=auth(owner)
    )
    assert contradiction.status_code == 422 and _fields(contradiction) == ["dryRun"]
    both = await client.post(url, params={"dryRun": "true"}, files=files, data={"dryRun": "true"}, headers=auth(owner))
    assert both.status_code == 200 and both.json()["dryRun"] is True
    assert (await client.get(url, headers=auth(owner))).json()["total"] == 0


async def test_past_imports_are_listed_newest_first_as_a_page(client: Client, inbox: Inbox) -> None:
    owner, oid = await _owner_and_org(client, inbox, "past")
    url = f"/api/v1/orgs/{oid}/leads/imports"
    ids = []
    for name in ("first.csv", "second.csv"):
        started = await client.post(url, files={"file": (name, CSV, "text/csv")}, headers=auth(owner))
        assert started.status_code == 202, started.text
        assert started.headers["location"] == f"{url}/{started.json()['id']}"
        ids.append(started.json()["id"])
    page = (await client.get(url, params={"limit": 1}, headers=auth(owner))).json()
    assert [i["id"] for i in page["items"]] == [ids[1]]
    assert (page["total"], page["limit"], page["offset"], page["hasMore"]) == (2, 1, 0, True)
    rest = (await client.get(url, params={"limit": 1, "offset": 1}, headers=auth(owner))).json()
    assert [i["id"] for i in rest["items"]] == [ids[0]] and rest["hasMore"] is False


async def test_a_body_in_another_media_type_is_415_naming_what_is_accepted(client: Client, inbox: Inbox) -> None:
    owner, oid = await _owner_and_org(client, inbox, "media")
    as_json = await client.post(f"/api/v1/orgs/{oid}/leads/imports", json={"dryRun": True}, headers=auth(owner))
    assert as_json.status_code == 415, as_json.text
    assert as_json.headers["content-type"].startswith("application/problem+json")
    assert as_json.json()["accepts"] == ["multipart/form-data"]
    as_form = await client.post(
        "/api/v1/auth/login", files={"email": (None, "a@kopi.sg"), "password": (None, "x" * 12)}
    )
    assert as_form.status_code == 415 and as_form.json()["accepts"] == ["application/json"]
    as_text = await client.post(
        f"/api/v1/orgs/{oid}/leads/imports", content=CSV, headers={**auth(owner), "Content-Type": "text/csv"}
    )
    assert as_text.status_code == 415 and "multipart/form-data" in as_text.json()["accepts"]


async def test_every_list_is_a_page(client: Client, inbox: Inbox) -> None:
    owner, oid = await _owner_and_org(client, inbox, "pages")
    await client.post("/api/v1/orgs", json={"name": "pages Second"}, headers=auth(owner))
    await join_org(client, inbox, oid, owner, "pages-member@kopi.sg", "member")
    await client.post(f"/api/v1/orgs/{oid}/invitations", json={"email": "pages-guest@kopi.sg"}, headers=auth(owner))
    for url, total in (
        ("/api/v1/orgs", 2),
        (f"/api/v1/orgs/{oid}/members", 2),
        (f"/api/v1/orgs/{oid}/invitations", 1),
        ("/api/v1/me/sessions", 1),
    ):
        first = (await client.get(url, params={"limit": 1}, headers=auth(owner))).json()
        assert set(first) == {"items", "total", "limit", "offset", "hasMore"}, url
        assert (len(first["items"]), first["total"], first["hasMore"]) == (1, total, total > 1), url
        refused = await client.get(url, params={"limit": 101}, headers=auth(owner))
        assert refused.status_code == 422 and _fields(refused) == ["limit"], url
