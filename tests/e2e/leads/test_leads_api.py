"""Every row of the leads API table (imports and exports aside), with its failures, through HTTP."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from nexuscore.bootstrap.app import create_app
from nexuscore.platform.settings import Settings
from tests.e2e.conftest import Inbox, concurrently
from tests.e2e.conftest import auth as _auth
from tests.e2e.conftest import join_org as _join
from tests.e2e.conftest import verified_user as _user

pytestmark = pytest.mark.e2e
Client = AsyncTestClient[Litestar]
PROBLEMS = "https://nexuscore.sg/problems/"


async def _org(client: Client, owner: dict[str, str], name: str) -> str:
    response = await client.post("/api/v1/orgs", json={"name": name}, headers=_auth(owner))
    assert response.status_code == 201, response.text
    org_id: str = response.json()["id"]
    return org_id


@dataclass
class Team:
    org: str
    owner: dict[str, str]
    admin: dict[str, str]
    member: dict[str, str]
    viewer: dict[str, str]

    @property
    def leads(self) -> str:
        return f"/api/v1/orgs/{self.org}/leads"


async def _team(client: Client, inbox: Inbox, prefix: str = "") -> Team:
    owner = await _user(client, inbox, f"{prefix}owner@kopi.sg")
    org = await _org(client, owner, f"{prefix}Kopi Tiam Pte Ltd")
    # Joined in this order: the round-robin order is owner, admin, member (viewers own no leads).
    admin = await _join(client, inbox, org, owner, f"{prefix}admin@kopi.sg", "admin")
    member = await _join(client, inbox, org, owner, f"{prefix}member@kopi.sg", "member")
    viewer = await _join(client, inbox, org, owner, f"{prefix}viewer@kopi.sg", "viewer")
    return Team(org, owner, admin, member, viewer)


@pytest.fixture
async def team(client: Client, inbox: Inbox) -> Team:
    return await _team(client, inbox)


async def _create(client: Client, team: Team, by: dict[str, str] | None = None, **fields: Any) -> dict[str, Any]:
    fields.setdefault("firstName", "Wei Ling")
    response = await client.post(team.leads, json=fields, headers=_auth(by or team.member))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["type"] == PROBLEMS + code, body
    return body


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _fields(response: Any) -> set[str]:
    """The camelCase fields a 422 blames. The platform's problem mapper names a missing body field
    only in the message, and an aliased query parameter by its Python name: both are read back."""
    fields = set()
    for error in _problem(response, 422, "validation-error")["errors"]:
        missing = re.search(r"missing required field `([^`]+)`(?: - at `\$\.([^`]+)`)?", error["message"])
        if error["field"] == "body" and missing:
            fields.add(f"{missing.group(2)}.{missing.group(1)}" if missing.group(2) else missing.group(1))
        else:
            fields.add(_camel(error["field"]))
    return fields


# ---- create, read, update, archive -----------------------------------------------------------


async def test_create_read_update_and_archive_a_lead(client: Client, team: Team) -> None:
    created = await _create(
        client,
        team,
        firstName=" Wei Ling ",
        lastName="Tan",
        email="WeiLing@Kopi.SG",
        phone="9123 4567",
        company="Kopi Tiam Pte Ltd",
        companyUen="201912345k",
        jobTitle="Director",
        source="referral",
        tags=["VIP", "f&b"],
        estimatedValue="12500.50",
        nextFollowUp="2026-04-01",
        ownerId=team.member["id"],
        marketingConsent={"granted": True, "source": "website form"},
        dncStatus="clear",
    )
    assert created["firstName"] == "Wei Ling" and created["email"] == "weiling@kopi.sg"
    assert created["phone"] == "+6591234567" and created["companyUen"] == "201912345K"
    assert created["estimatedValue"] == "12500.50" and created["currency"] == "SGD"
    assert created["tags"] == ["vip", "f&b"] and created["status"] == "new"
    assert created["ownerId"] == team.member["id"] and created["createdBy"] == team.member["id"]
    assert created["score"] == 50 and created["scoreReasons"] == [
        {"factor": "completeness", "detail": "Has email, phone, company, job title, company UEN", "points": 30},
        {"factor": "source", "detail": "Source: referral", "points": 20},
    ]
    assert created["marketingConsent"]["granted"] is True and created["marketingConsent"]["recordedAt"]
    assert created["dncStatus"] == "clear" and created["dncCheckedAt"] and created["marketingEligible"] is True
    url = f"{team.leads}/{created['id']}"

    assert (await client.get(url, headers=_auth(team.viewer))).json() == created

    patched = await client.patch(url, json={"company": None, "jobTitle": "CEO"}, headers=_auth(team.member))
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert (body["company"], body["jobTitle"], body["email"], body["tags"]) == (
        None,
        "CEO",
        "weiling@kopi.sg",
        created["tags"],
    )
    assert body["score"] == 44 and body["updatedAt"] >= created["updatedAt"]

    _problem(await client.delete(url, headers=_auth(team.member)), 403, "permission-denied")
    assert (await client.delete(url, headers=_auth(team.admin))).status_code == 204
    _problem(await client.get(url, headers=_auth(team.owner)), 404, "not-found")
    _problem(await client.patch(url, json={"jobTitle": "x"}, headers=_auth(team.owner)), 404, "not-found")
    _problem(await client.delete(url, headers=_auth(team.owner)), 404, "not-found")
    assert (await client.get(team.leads, headers=_auth(team.owner))).json()["total"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "firstName"),
        ({"firstName": "   "}, "firstName"),
        ({"firstName": "A", "email": "nope"}, "email"),
        ({"firstName": "A", "phone": "12345"}, "phone"),
        ({"firstName": "A", "companyUen": "12345"}, "companyUen"),
        ({"firstName": "A", "estimatedValue": "-1"}, "estimatedValue"),
        ({"firstName": "A", "estimatedValue": 12500.5}, "estimatedValue"),
        ({"firstName": "A", "tags": ["<script>"]}, "tags"),
        ({"firstName": "A", "source": "telepathy"}, "source"),
        ({"firstName": "A", "dncStatus": "clear", "dncCheckedAt": "2999-01-01"}, "dncCheckedAt"),
        ({"firstName": "A", "marketingConsent": {"granted": True}}, "marketingConsent"),
        # Mass assignment: server-owned fields are refused, not ignored.
        ({"firstName": "A", "id": str(uuid4())}, "id"),
        ({"firstName": "A", "score": 100}, "score"),
        ({"firstName": "A", "createdBy": str(uuid4())}, "createdBy"),
        ({"firstName": "A", "organizationId": str(uuid4())}, "organizationId"),
        ({"firstName": "A", "status": "won"}, "status"),
        ({"firstName": "A", "archivedAt": "2026-01-01T00:00:00Z"}, "archivedAt"),
    ],
)
async def test_create_validates_and_refuses_unknown_fields(
    client: Client, inbox: Inbox, body: dict[str, Any], field: str
) -> None:
    owner = await _user(client, inbox, "solo@kopi.sg")
    org = await _org(client, owner, "Solo Pte Ltd")
    response = await client.post(f"/api/v1/orgs/{org}/leads", json=body, headers=_auth(owner))
    assert any(f == field or f.startswith(f"{field}.") for f in _fields(response)), response.text
    assert (await client.get(f"/api/v1/orgs/{org}/leads", headers=_auth(owner))).json()["total"] == 0


async def test_patch_refuses_server_owned_fields_and_bad_owners(client: Client, inbox: Inbox, team: Team) -> None:
    lead = await _create(client, team)
    url = f"{team.leads}/{lead['id']}"
    for body in ({"score": 99}, {"id": str(uuid4())}, {"createdBy": team.owner["id"]}, {"status": "won"}):
        assert _fields(await client.patch(url, json=body, headers=_auth(team.member))) == set(body)
    outsider = await _user(client, inbox, "outsider@else.sg")
    for owner in (team.viewer["id"], outsider["id"]):
        assert _fields(await client.patch(url, json={"ownerId": owner}, headers=_auth(team.member))) == {"ownerId"}
    assert _fields(await client.patch(url, json={"marketingConsent": None}, headers=_auth(team.member))) == {
        "marketingConsent"
    }
    assert (await client.get(url, headers=_auth(team.member))).json() == lead


async def test_duplicates_are_a_conflict_naming_the_existing_lead(client: Client, team: Team) -> None:
    first = await _create(client, team, email="ann@kopi.sg", phone="91234567")
    by_email = _problem(
        await client.post(team.leads, json={"firstName": "B", "email": "ANN@kopi.sg "}, headers=_auth(team.member)),
        409,
        "duplicate-lead",
    )
    assert (by_email["existingLeadId"], by_email["matchedOn"]) == (first["id"], "email")
    by_phone = _problem(
        await client.post(team.leads, json={"firstName": "B", "phone": "+65 9123 4567"}, headers=_auth(team.member)),
        409,
        "duplicate-lead",
    )
    assert (by_phone["existingLeadId"], by_phone["matchedOn"]) == (first["id"], "phone")
    other = await _create(client, team, email="other@kopi.sg")
    patched = await client.patch(f"{team.leads}/{other['id']}", json={"phone": "9123-4567"}, headers=_auth(team.member))
    assert _problem(patched, 409, "duplicate-lead")["existingLeadId"] == first["id"]


async def test_creating_past_the_lead_limit_is_402(identity_settings: Settings, inbox: Inbox) -> None:
    settings = dataclasses.replace(identity_settings, leads_default_limit=2)
    async with AsyncTestClient(create_app(settings)) as client:
        owner = await _user(client, inbox, "quota@kopi.sg")
        org = await _org(client, owner, "Quota Pte Ltd")
        url = f"/api/v1/orgs/{org}/leads"
        ids = []
        for name in ("A", "B"):
            response = await client.post(url, json={"firstName": name}, headers=_auth(owner))
            assert response.status_code == 201
            ids.append(response.json()["id"])
        over = _problem(await client.post(url, json={"firstName": "C"}, headers=_auth(owner)), 402, "quota-exceeded")
        assert over["limit"] == 2
        assert (await client.delete(f"{url}/{ids[0]}", headers=_auth(owner))).status_code == 204
        assert (await client.post(url, json={"firstName": "C"}, headers=_auth(owner))).status_code == 201


async def test_concurrent_creates_at_the_lead_limit_never_pass_it(identity_settings: Settings, inbox: Inbox) -> None:
    # Each create counts and then inserts; without serialising that per organisation, several
    # requests arriving together all see room for one more and all get in.
    settings = dataclasses.replace(identity_settings, leads_default_limit=3)
    async with AsyncTestClient(create_app(settings)) as client:
        owner = await _user(client, inbox, "race@kopi.sg")
        org = await _org(client, owner, "Race Pte Ltd")
        url = f"/api/v1/orgs/{org}/leads"
        for name in ("A", "B"):
            assert (await client.post(url, json={"firstName": name}, headers=_auth(owner))).status_code == 201

        responses = await concurrently(
            client, [("POST", url, {"json": {"firstName": f"Racer {n}"}, "headers": _auth(owner)}) for n in range(8)]
        )

        assert sorted(r.status_code for r in responses) == [201] + [402] * 7
        listed = await client.get(url, headers=_auth(owner))
        assert listed.json()["total"] == 3


# ---- who may do what --------------------------------------------------------------------------


async def test_signed_out_callers_outsiders_and_other_tenants_get_nothing(
    client: Client, inbox: Inbox, team: Team
) -> None:
    lead = await _create(client, team)
    url = f"{team.leads}/{lead['id']}"
    _problem(await client.get(team.leads), 401, "authentication-required")
    _problem(await client.get(url), 401, "authentication-required")
    _problem(await client.post(team.leads, json={"firstName": "X"}), 401, "authentication-required")

    rival = await _team(client, inbox, prefix="rival-")
    theirs = await _create(client, rival, email="theirs@rival.sg")
    # A member of another organisation: the organisation itself is "not found".
    for method, path, body in (
        ("GET", team.leads, None),
        ("POST", team.leads, {"firstName": "X"}),
        ("GET", url, None),
        ("PATCH", url, {"company": "Stolen"}),
        ("DELETE", url, None),
    ):
        response = await client.request(method, path, json=body, headers=_auth(rival.owner))
        _problem(response, 404, "not-found")
    # Another tenant's lead id under one's own organisation: "not found" too, never "forbidden".
    their_url = f"{team.leads}/{theirs['id']}"
    own = team.owner
    for response in (
        await client.get(their_url, headers=_auth(own)),
        await client.patch(their_url, json={"company": "Mine"}, headers=_auth(own)),
        await client.delete(their_url, headers=_auth(own)),
        await client.post(f"{their_url}/status", json={"status": "contacted"}, headers=_auth(own)),
        await client.get(f"{their_url}/activities", headers=_auth(own)),
        await client.post(f"{their_url}/activities", json={"kind": "call"}, headers=_auth(own)),
        await client.post(f"{url}/merge", json={"otherLeadId": theirs["id"]}, headers=_auth(own)),
        await client.post(f"{their_url}/merge", json={"otherLeadId": lead["id"]}, headers=_auth(own)),
        await client.post(
            f"{team.leads}/assign", json={"leadIds": [theirs["id"]], "ownerId": own["id"]}, headers=_auth(own)
        ),
    ):
        _problem(response, 404, "not-found")
    untouched = (await client.get(f"{rival.leads}/{theirs['id']}", headers=_auth(rival.owner))).json()
    assert untouched == theirs


async def test_viewers_read_members_edit_admins_archive_and_merge(client: Client, team: Team) -> None:
    a = await _create(client, team, email="a@x.sg")
    b = await _create(client, team, email="b@x.sg")
    url = f"{team.leads}/{a['id']}"
    viewer = _auth(team.viewer)
    assert (await client.get(team.leads, headers=viewer)).status_code == 200
    assert (await client.get(url, headers=viewer)).status_code == 200
    assert (await client.get(f"{url}/activities", headers=viewer)).status_code == 200
    for response in (
        await client.post(team.leads, json={"firstName": "X"}, headers=viewer),
        await client.patch(url, json={"company": "X"}, headers=viewer),
        await client.post(f"{url}/status", json={"status": "contacted"}, headers=viewer),
        await client.post(f"{url}/activities", json={"kind": "note", "body": "hi"}, headers=viewer),
        await client.post(
            f"{team.leads}/assign", json={"leadIds": [a["id"]], "strategy": "round_robin"}, headers=viewer
        ),
        await client.delete(url, headers=viewer),
        await client.post(f"{url}/merge", json={"otherLeadId": b["id"]}, headers=viewer),
        await client.delete(url, headers=_auth(team.member)),
        await client.post(f"{url}/merge", json={"otherLeadId": b["id"]}, headers=_auth(team.member)),
    ):
        _problem(response, 403, "permission-denied")
    assert (await client.get(url, headers=viewer)).json() == a


# ---- pipeline ---------------------------------------------------------------------------------


async def test_status_moves_follow_the_pipeline(client: Client, team: Team) -> None:
    lead = await _create(client, team)
    url = f"{team.leads}/{lead['id']}"
    moved = await client.post(f"{url}/status", json={"status": "qualified"}, headers=_auth(team.member))
    assert moved.status_code == 200 and moved.json()["status"] == "qualified"
    illegal = _problem(
        await client.post(f"{url}/status", json={"status": "new"}, headers=_auth(team.member)),
        409,
        "business-rule-violation",
    )
    assert (illegal["from"], illegal["to"]) == ("qualified", "new")
    assert _fields(await client.post(f"{url}/status", json={"status": "lost"}, headers=_auth(team.member))) == {
        "lostReason"
    }
    assert _fields(await client.post(f"{url}/status", json={"status": "closed"}, headers=_auth(team.member))) == {
        "status"
    }
    lost = await client.post(
        f"{url}/status", json={"status": "lost", "lostReason": "Budget cut"}, headers=_auth(team.member)
    )
    assert lost.status_code == 200 and lost.json()["lostReason"] == "Budget cut"
    reopened = await client.post(f"{url}/status", json={"status": "new"}, headers=_auth(team.member))
    assert reopened.json()["status"] == "new" and reopened.json()["lostReason"] is None
    timeline = (await client.get(f"{url}/activities", headers=_auth(team.viewer))).json()["items"]
    assert [(a["kind"], a["details"]) for a in timeline] == [
        ("status_change", {"from": "lost", "to": "new"}),
        ("status_change", {"from": "qualified", "to": "lost"}),
        ("status_change", {"from": "new", "to": "qualified"}),
    ]


# ---- activities -------------------------------------------------------------------------------


async def test_logging_activities_builds_the_timeline_and_the_score(client: Client, team: Team) -> None:
    lead = await _create(client, team)
    url = f"{team.leads}/{lead['id']}"
    now = datetime.now(UTC)
    for kind, body, days in (("note", "Met at FHA", 3), ("call", "", 2), ("meeting", "Coffee", 1)):
        logged = await client.post(
            f"{url}/activities",
            json={"kind": kind, "body": body, "occurredAt": (now - timedelta(days=days)).isoformat()},
            headers=_auth(team.member),
        )
        assert logged.status_code == 201, logged.text
        assert logged.json()["kind"] == kind and logged.json()["createdBy"] == team.member["id"]
    page = (await client.get(f"{url}/activities?limit=2", headers=_auth(team.viewer))).json()
    assert [a["kind"] for a in page["items"]] == ["meeting", "call"]
    assert (page["total"], page["hasMore"]) == (3, True)
    rest = (await client.get(f"{url}/activities?limit=2&offset=2", headers=_auth(team.viewer))).json()
    assert [a["kind"] for a in rest["items"]] == ["note"] and rest["hasMore"] is False
    scored = (await client.get(url, headers=_auth(team.viewer))).json()
    assert scored["score"] == lead["score"] + 22 + 20
    assert {r["factor"] for r in scored["scoreReasons"]} == {"source", "engagement", "recency"}

    for body, field in (
        ({"kind": "status_change"}, "kind"),
        ({"kind": "assignment"}, "kind"),
        ({"kind": "telepathy"}, "kind"),
        ({"kind": "note", "body": " "}, "body"),
        ({"kind": "call", "occurredAt": (now + timedelta(hours=1)).isoformat()}, "occurredAt"),
        ({"kind": "call", "occurredAt": "2026-03-01T09:00:00"}, "occurredAt"),
        ({"kind": "call", "createdBy": team.owner["id"]}, "createdBy"),
    ):
        assert _fields(await client.post(f"{url}/activities", json=body, headers=_auth(team.member))) == {field}
    assert _fields(await client.get(f"{url}/activities?limit=101", headers=_auth(team.member))) == {"limit"}
    assert (await client.get(f"{url}/activities", headers=_auth(team.viewer))).json()["total"] == 3


# ---- merge ------------------------------------------------------------------------------------


async def test_merging_a_duplicate_into_a_lead(client: Client, team: Team) -> None:
    keep = await _create(client, team, firstName="Wei Ling", email="wl@kopi.sg", tags=["vip"])
    dup = await _create(
        client,
        team,
        firstName="W.L.",
        lastName="Tan",
        email="weiling@gmail.com",
        phone="91234567",
        company="Kopi Tiam",
        source="referral",
        tags=["f&b"],
        marketingConsent={"granted": True, "source": "event sign-up"},
    )
    logged = await client.post(
        f"{team.leads}/{dup['id']}/activities", json={"kind": "meeting", "body": "FHA"}, headers=_auth(team.member)
    )
    assert logged.status_code == 201
    url = f"{team.leads}/{keep['id']}/merge"

    merged = await client.post(url, json={"otherLeadId": dup["id"]}, headers=_auth(team.admin))
    assert merged.status_code == 200, merged.text
    body = merged.json()
    lead = body["lead"]
    assert body["mergedLeadId"] == dup["id"] and body["movedActivities"] == 1
    assert (lead["email"], lead["lastName"], lead["phone"], lead["company"], lead["source"]) == (
        "wl@kopi.sg",
        "Tan",
        "+6591234567",
        "Kopi Tiam",
        "referral",
    )
    assert lead["tags"] == ["vip", "f&b"] and lead["marketingConsent"]["source"] == "event sign-up"
    assert lead["score"] > keep["score"]
    _problem(await client.get(f"{team.leads}/{dup['id']}", headers=_auth(team.admin)), 404, "not-found")
    timeline = (await client.get(f"{team.leads}/{keep['id']}/activities", headers=_auth(team.admin))).json()["items"]
    assert [a["kind"] for a in timeline] == ["merge", "meeting"]
    assert timeline[0]["details"]["mergedLeadId"] == dup["id"]
    # The merged-away lead's phone now belongs to the survivor.
    again = await client.post(team.leads, json={"firstName": "X", "phone": "91234567"}, headers=_auth(team.member))
    assert _problem(again, 409, "duplicate-lead")["existingLeadId"] == keep["id"]

    _problem(await client.post(url, json={"otherLeadId": keep["id"]}, headers=_auth(team.admin)), 409, "conflict")
    _problem(await client.post(url, json={"otherLeadId": dup["id"]}, headers=_auth(team.admin)), 404, "not-found")
    _problem(await client.post(url, json={"otherLeadId": str(uuid4())}, headers=_auth(team.admin)), 404, "not-found")
    assert _fields(await client.post(url, json={"otherLeadId": "nope"}, headers=_auth(team.admin)))


# ---- assignment -------------------------------------------------------------------------------


async def test_assigning_leads(client: Client, inbox: Inbox, team: Team) -> None:
    leads = [await _create(client, team, email=f"{i}@x.sg") for i in range(5)]
    ids = [lead["id"] for lead in leads]
    assign = f"{team.leads}/assign"

    to_member = await client.post(
        assign, json={"leadIds": ids[1:3], "ownerId": team.member["id"]}, headers=_auth(team.member)
    )
    assert to_member.status_code == 200, to_member.text
    assert to_member.json()["changed"] == 2
    assert {i["ownerId"] for i in to_member.json()["items"]} == {team.member["id"]}

    round_robin = await client.post(
        assign, json={"leadIds": ids, "strategy": "round_robin"}, headers=_auth(team.member)
    )
    assert round_robin.status_code == 200, round_robin.text
    owners = [i["ownerId"] for i in round_robin.json()["items"]]
    order = [team.owner["id"], team.admin["id"], team.member["id"]]  # by joining time; the viewer is skipped
    assert owners == [order[i % 3] for i in range(5)]
    assert round_robin.json()["changed"] == 4  # the third lead was already the member's
    listed = (await client.get(f"{team.leads}?ownerId={team.admin['id']}", headers=_auth(team.viewer))).json()
    assert {lead["id"] for lead in listed["items"]} == {ids[1], ids[4]}
    timeline = (await client.get(f"{team.leads}/{ids[1]}/activities", headers=_auth(team.viewer))).json()["items"]
    assert [(a["kind"], a["details"]["ownerId"], a["details"]["via"]) for a in timeline] == [
        ("assignment", team.admin["id"], "round_robin"),
        ("assignment", team.member["id"], "manual"),
    ]
    nxt = await client.post(assign, json={"leadIds": [ids[0]], "strategy": "round_robin"}, headers=_auth(team.member))
    assert nxt.json()["items"][0]["ownerId"] == order[5 % 3]  # the turn carries over between requests

    # All or nothing: an unknown id fails the request and nobody is reassigned.
    unknown = str(uuid4())
    missing = await client.post(
        assign, json={"leadIds": [ids[0], unknown], "ownerId": team.owner["id"]}, headers=_auth(team.member)
    )
    assert _problem(missing, 404, "not-found")["missingLeadIds"] == [unknown]
    assert (await client.get(f"{team.leads}/{ids[0]}", headers=_auth(team.member))).json()["ownerId"] == order[2]

    outsider = await _user(client, inbox, "stranger@else.sg")
    for body, field in (
        ({"leadIds": ids, "ownerId": team.viewer["id"]}, "ownerId"),
        ({"leadIds": ids, "ownerId": outsider["id"]}, "ownerId"),
        ({"leadIds": ids}, "ownerId"),
        ({"leadIds": ids, "ownerId": team.member["id"], "strategy": "round_robin"}, "ownerId"),
        ({"leadIds": ids, "strategy": "random"}, "strategy"),
        ({"leadIds": [], "ownerId": team.member["id"]}, "leadIds"),
        ({"leadIds": [str(uuid4()) for _ in range(501)], "ownerId": team.member["id"]}, "leadIds"),
    ):
        assert _fields(await client.post(assign, json=body, headers=_auth(team.member))) == {field}, body


# ---- list: filters, sort, pages ---------------------------------------------------------------


async def test_listing_filters_sorts_and_pages(client: Client, team: Team) -> None:
    alice = await _create(
        client, team, firstName="Alice", lastName="Ng", company="Kopi Tiam", tags=["vip"], source="event"
    )
    bob = await _create(
        client,
        team,
        firstName="Bob",
        lastName="Lim",
        email="bob@teh.sg",
        ownerId=team.admin["id"],
        nextFollowUp="2026-03-05",
    )
    chen = await _create(
        client, team, firstName="Chen", lastName="Ong", estimatedValue="500", nextFollowUp="2026-03-09"
    )
    await client.post(f"{team.leads}/{chen['id']}/status", json={"status": "contacted"}, headers=_auth(team.member))

    async def ids(query: str = "") -> list[str]:
        response = await client.get(f"{team.leads}?{query}", headers=_auth(team.viewer))
        assert response.status_code == 200, response.text
        return [lead["id"] for lead in response.json()["items"]]

    a, b, c = alice["id"], bob["id"], chen["id"]
    assert await ids() == [c, b, a]
    assert await ids("sort=createdAt") == [a, b, c]
    assert await ids("status=new") == [b, a]
    assert await ids("status=new,contacted") == [c, b, a]
    assert await ids("status=won&status=contacted") == [c]
    assert await ids(f"ownerId={team.admin['id']}") == [b]
    assert await ids("source=event") == [a]
    assert await ids("tag=VIP") == [a]
    assert await ids("q=kopi") == [a]
    assert await ids("q=BOB%40teh") == [b]
    assert await ids("q=chen%20ong") == [c]
    assert await ids("scoreMin=11") == [a]
    assert await ids("followUpBefore=2026-03-09") == [b]
    assert await ids(f"createdFrom={bob['createdAt'].replace('+', '%2B')}") == [c, b]
    assert await ids(f"createdTo={bob['createdAt'].replace('+', '%2B')}") == [b, a]
    assert await ids("sort=-score") == [a, b, c]
    assert await ids("sort=lastName") == [b, a, c]
    assert await ids("sort=nextFollowUp") == [b, c, a]

    page = (await client.get(f"{team.leads}?limit=2&sort=createdAt", headers=_auth(team.viewer))).json()
    assert ([x["id"] for x in page["items"]], page["total"], page["hasMore"]) == ([a, b], 3, True)
    assert await ids("limit=2&offset=2&sort=createdAt") == [c]

    for query, field in (
        ("sort=email", "sort"),
        ("sort=-id", "sort"),
        ("status=closed", "status"),
        ("limit=101", "limit"),
        ("offset=-1", "offset"),
        ("scoreMin=101", "scoreMin"),
        ("source=telepathy", "source"),
        ("ownerId=nope", "ownerId"),
        ("followUpBefore=soon", "followUpBefore"),
    ):
        assert _fields(await client.get(f"{team.leads}?{query}", headers=_auth(team.viewer))) == {field}, query


# ---- events -----------------------------------------------------------------------------------


async def test_lead_events_land_in_the_audit_trail_without_personal_data(client: Client, team: Team) -> None:
    keep = await _create(client, team, email="keep@kopi.sg", ownerId=team.member["id"])
    dup = await _create(client, team, email="dup@kopi.sg")
    url = f"{team.leads}/{keep['id']}"
    await client.patch(url, json={"phone": "91234567", "jobTitle": "CEO"}, headers=_auth(team.member))
    await client.post(f"{url}/status", json={"status": "contacted"}, headers=_auth(team.member))
    await client.post(f"{url}/merge", json={"otherLeadId": dup["id"]}, headers=_auth(team.admin))
    third = await _create(client, team, firstName="Third")
    await client.delete(f"{team.leads}/{third['id']}", headers=_auth(team.admin))

    response = await client.get(f"/api/v1/orgs/{team.org}/audit-events?limit=100", headers=_auth(team.owner))
    events = [e for e in response.json()["items"] if e["type"].startswith("lead.")]
    by_type: dict[str, list[dict[str, Any]]] = {}
    for event in events:
        by_type.setdefault(event["type"], []).append(event)
    assert set(by_type) == {
        "lead.created",
        "lead.assigned",
        "lead.updated",
        "lead.status_changed",
        "lead.merged",
        "lead.archived",
    }
    assert len(by_type["lead.created"]) == 3
    [updated] = by_type["lead.updated"]
    assert updated["payload"] == {"fields": ["phone", "jobTitle"]} and updated["subject"] == f"lead:{keep['id']}"
    assert by_type["lead.status_changed"][0]["payload"] == {"from": "new", "to": "contacted"}
    assert by_type["lead.merged"][0]["payload"]["mergedLeadId"] == dup["id"]
    assert {e["subject"] for e in by_type["lead.archived"]} == {f"lead:{dup['id']}", f"lead:{third['id']}"}
    assert by_type["lead.assigned"][0]["payload"]["ownerId"] == team.member["id"]
    assert all(e["actorId"] in {team.member["id"], team.admin["id"]} for e in events)
    text = str(events)
    assert "keep@kopi.sg" not in text and "dup@kopi.sg" not in text and "6591234567" not in text
