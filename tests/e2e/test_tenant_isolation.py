"""Tenant isolation (OWASP API1 and API3), driven by the app's own OpenAPI document.

The sweep reads GET /schema/openapi.json, takes EVERY operation whose path has a path
parameter, fills the parameters with organisation A's ids (chosen by parameter name, any
A-owned id for names it does not know), synthesises a body that passes validation from the
requestBody schema, and calls it as organisation B's owner. Each call must:

- answer 404 under /api/v1/orgs/{orgId}/... and /api/v1/me/... (403 or 404 elsewhere),
  exactly as a random, non-existent id answers (existence is not confirmed);
- return nothing of A that the caller did not send (ids, names, emails, UEN);
- change nothing of A (snapshot through A's owner and member before and after).

Routes added by later issues ({leadId}, {invoiceId}, ...) are covered without editing
this file: before the sweep, A's owner creates one object through every tenant collection
(`POST /api/v1/orgs/{orgId}/<things>` with a JSON body, required fields only), so `{thingId}`
parameters get a real object of A; every tenant list (`GET /api/v1/orgs/{orgId}/<things>`)
joins the before/after snapshot. A route that cannot honour the contract fails here until it
does.

The rest checks roles inside a tenant (a viewer gets 403, escalation and mass assignment
fail), invitation tokens (expired, revoked, reused, foreign) and last-owner protection.
"""

from __future__ import annotations

import itertools
import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.engine import make_url

from tests.e2e.conftest import Inbox, bearer, concurrently, link_token, register, signed_in

pytestmark = pytest.mark.e2e
Client = AsyncTestClient[Litestar]

METHODS = ("get", "put", "post", "patch", "delete")
PATH_PARAM = re.compile(r"\{([^}:]+)(?::[^}]*)?\}")
PROBLEM = "application/problem+json"
JOIN = "Join "
MAX_COMBINATIONS = 24  # per operation, when several parameters each have several of A's ids
INTRUDER_EMAIL = "intruder@bravo.example.sg"

# Operations that exist today; the sweep must find at least these (guards the OpenAPI parsing).
KNOWN_ID_OPERATIONS = {
    "GET /api/v1/orgs/{orgId}",
    "PATCH /api/v1/orgs/{orgId}",
    "DELETE /api/v1/orgs/{orgId}",
    "POST /api/v1/orgs/{orgId}/cancel-deletion",
    "GET /api/v1/orgs/{orgId}/members",
    "PATCH /api/v1/orgs/{orgId}/members/{userId}",
    "DELETE /api/v1/orgs/{orgId}/members/{userId}",
    "POST /api/v1/orgs/{orgId}/leave",
    "POST /api/v1/orgs/{orgId}/transfer-ownership",
    "GET /api/v1/orgs/{orgId}/invitations",
    "POST /api/v1/orgs/{orgId}/invitations",
    "DELETE /api/v1/orgs/{orgId}/invitations/{invitationId}",
    "GET /api/v1/orgs/{orgId}/audit-events",
    "DELETE /api/v1/me/sessions/{sessionId}",
}


# --- people and organisations ---------------------------------------------------------------


@dataclass
class Actor:
    id: str
    email: str
    name: str
    headers: dict[str, str]
    session_id: str


async def _actor(client: Client, inbox: Inbox, email: str, name: str, *, verify: bool = True) -> Actor:
    """Register (and verify through the mailed link), sign in; the session id is the current one."""
    response = await register(client, email, name=name)
    assert response.status_code == 201, response.text
    if verify:
        token = link_token(await inbox.wait_for(email, "Verify your email"))
        verified = await client.post("/api/v1/auth/verify-email", json={"token": token})
        assert verified.status_code == 200, verified.text
    headers = bearer((await signed_in(client, email))["accessToken"])
    sessions = await client.get("/api/v1/me/sessions", headers=headers)
    assert sessions.status_code == 200, sessions.text
    current = [s["id"] for s in sessions.json()["items"] if s["current"]]
    assert len(current) == 1, sessions.json()
    return Actor(response.json()["id"], email, name, headers, current[0])


async def _create_org(client: Client, owner: Actor, name: str, **fields: Any) -> dict[str, Any]:
    response = await client.post("/api/v1/orgs", json={"name": name, **fields}, headers=owner.headers)
    assert response.status_code == 201, response.text
    org: dict[str, Any] = response.json()
    return org


async def _invite(client: Client, org_id: str, by: Actor, email: str, role: str) -> dict[str, Any]:
    response = await client.post(
        f"/api/v1/orgs/{org_id}/invitations", json={"email": email, "role": role}, headers=by.headers
    )
    assert response.status_code == 201, response.text
    invitation: dict[str, Any] = response.json()
    return invitation


async def _accept(client: Client, who: Actor, token: str) -> Any:
    return await client.post("/api/v1/invitations/accept", json={"token": token}, headers=who.headers)


async def _join(client: Client, inbox: Inbox, org: dict[str, Any], by: Actor, who: Actor, role: str) -> None:
    await _invite(client, org["id"], by, who.email, role)
    token = link_token(await inbox.wait_for(who.email, JOIN + org["name"]))
    accepted = await _accept(client, who, token)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json() == {"organizationId": org["id"], "role": role}


@dataclass
class World:
    """Organisation A (owner, a viewer member, a pending invitation) and organisation B."""

    org_a: dict[str, Any]
    owner_a: Actor
    viewer_a: Actor
    invitation_id: str
    invitee_email: str
    org_b: dict[str, Any]
    owner_b: Actor
    # Objects A's owner created through tenant collections found in the OpenAPI document:
    # normalised singular name ("lead") -> ids, and the values they were created with.
    seeded: dict[str, list[str]] = field(default_factory=dict)
    seeded_values: list[str] = field(default_factory=list)

    def ids_by_name(self) -> dict[str, list[str]]:
        """A's ids keyed by normalised parameter/property name (see `_norm`)."""
        org = [self.org_a["id"]]
        users = [self.owner_a.id, self.viewer_a.id]
        return {
            **self.seeded,
            "org": org,
            "organization": org,
            "organisation": org,
            "tenant": org,
            "user": users,
            "member": users,
            "owner": [self.owner_a.id],
            "actor": users,
            "invitedby": [self.owner_a.id],
            "invitation": [self.invitation_id],
            "session": [self.owner_a.session_id, self.viewer_a.session_id],
        }

    def all_ids(self) -> list[str]:
        return [
            self.org_a["id"],
            self.owner_a.id,
            self.viewer_a.id,
            self.invitation_id,
            self.owner_a.session_id,
            self.viewer_a.session_id,
            *(i for ids in self.seeded.values() for i in ids),
        ]

    def candidates(self, name: str) -> list[str]:
        return self.ids_by_name().get(_norm(name), self.all_ids())

    def secrets(self) -> list[str]:
        """Everything of A that B must never read."""
        return [
            *self.all_ids(),
            self.org_a["name"],
            self.org_a["uen"],
            self.owner_a.email,
            self.owner_a.name,
            self.viewer_a.email,
            self.viewer_a.name,
            self.invitee_email,
            *self.seeded_values,
        ]


async def _world(client: Client, inbox: Inbox) -> World:
    owner_a = await _actor(client, inbox, "alice.owner@alpha.example.sg", "Alice Alphaowner")
    org_a = await _create_org(client, owner_a, "Alpha Quartz Holdings Pte Ltd", uen="200312345A")
    viewer_a = await _actor(client, inbox, "victor.viewer@alpha.example.sg", "Victor Alphaviewer")
    await _join(client, inbox, org_a, owner_a, viewer_a, "viewer")
    invitee = "carol.pending@alpha.example.sg"
    invitation = await _invite(client, org_a["id"], owner_a, invitee, "member")
    await inbox.wait_for(invitee, JOIN + org_a["name"])  # the relay is done with A's invitation
    owner_b = await _actor(client, inbox, "bob.owner@bravo.example.sg", "Bob Bravo")
    org_b = await _create_org(client, owner_b, "Bravo Trading Pte Ltd")
    return World(org_a, owner_a, viewer_a, invitation["id"], invitee, org_b, owner_b)


async def _snapshot(client: Client, world: World, collections: Sequence[str] = ()) -> dict[str, Any]:
    """A's state as A's own people see it (plus every tenant list, read by A's owner)."""
    oid = world.org_a["id"]
    reads = {
        **{f"list {path}": (path.replace("{orgId}", oid), world.owner_a) for path in collections},
        "org": (f"/api/v1/orgs/{oid}", world.owner_a),
        "members": (f"/api/v1/orgs/{oid}/members", world.owner_a),
        "invitations": (f"/api/v1/orgs/{oid}/invitations", world.owner_a),
        "audit": (f"/api/v1/orgs/{oid}/audit-events?limit=100", world.owner_a),
        "owner_me": ("/api/v1/me", world.owner_a),
        "owner_sessions": ("/api/v1/me/sessions", world.owner_a),
        "owner_orgs": ("/api/v1/orgs", world.owner_a),
        "viewer_me": ("/api/v1/me", world.viewer_a),
        "viewer_sessions": ("/api/v1/me/sessions", world.viewer_a),
        "viewer_orgs": ("/api/v1/orgs", world.viewer_a),
    }
    state: dict[str, Any] = {}
    for key, (url, who) in reads.items():
        response = await client.get(url, headers=who.headers)
        is_json = "json" in response.headers.get("content-type", "")
        state[key] = (response.status_code, response.json() if is_json else response.text)
    return state


def _assert_unchanged(before: dict[str, Any], after: dict[str, Any]) -> None:
    changed = {k: {"before": before[k], "after": after[k]} for k in before if before[k] != after[k]}
    assert not changed, f"A's state changed: {json.dumps(changed, indent=1, default=str)}"


# --- the OpenAPI-driven request builder -----------------------------------------------------


def _norm(name: str) -> str:
    """org_id, orgId, org-id -> "org"; id -> ""."""
    flat = re.sub(r"[^a-z0-9]", "", name.lower())
    return flat.removesuffix("ids").removesuffix("id") if flat not in ("id", "ids") else ""


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    seen = 0
    while "$ref" in schema and seen < 20:
        node: Any = doc
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema, seen = node, seen + 1
    return schema


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    parameters: tuple[dict[str, Any], ...]
    body: dict[str, Any] | None

    @property
    def key(self) -> str:
        return f"{self.method.upper()} {self.path}"

    def path_names(self) -> list[str]:
        return PATH_PARAM.findall(self.path)

    def param_schema(self, name: str) -> dict[str, Any]:
        for p in self.parameters:
            if p.get("in") == "path" and p.get("name") == name:
                schema: dict[str, Any] = p.get("schema", {})
                return schema
        return {}


def _operations(doc: dict[str, Any]) -> list[Operation]:
    found = []
    for path, item in doc["paths"].items():
        if not PATH_PARAM.search(path):
            continue
        # Public privacy intake is anyone's by design (an organisation publishes its form's
        # address); tests/e2e/privacy holds it to answering alike for known and unknown emails.
        if path.startswith("/api/v1/public/"):
            continue
        shared = item.get("parameters", [])
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = tuple(_resolve(doc, p) for p in [*shared, *op.get("parameters", [])])
            body = None
            if "requestBody" in op:
                content = _resolve(doc, op["requestBody"]).get("content", {})
                media = next((v for k, v in content.items() if "json" in k), None)
                body = media.get("schema", {}) if media is not None else None
            found.append(Operation(method, path, params, body))
    return found


TENANT_COLLECTION = re.compile(r"^/api/v1/orgs/\{orgId\}/([a-z][a-z-]*)$")


def _tenant_collections(operations: list[Operation], method: str) -> list[Operation]:
    """Operations on `/api/v1/orgs/{orgId}/<things>` where <things> is a collection (it can be
    listed with GET; `transfer-ownership` and the like are actions, not collections)."""
    listed = {op.path for op in operations if op.method == "get" and TENANT_COLLECTION.match(op.path)}
    return [op for op in operations if op.method == method and op.path in listed]


async def _seed_tenant_objects(client: Client, doc: dict[str, Any], operations: list[Operation], world: World) -> None:
    """A's owner creates one object in every tenant collection the world does not already hold
    (required fields only, distinctive strings), so `{thingId}` routes get a real object of A."""
    synth = SeedSynth(doc, world)
    for op in _tenant_collections(operations, "post"):
        thing = _norm(TENANT_COLLECTION.match(op.path).group(1).removesuffix("s"))  # type: ignore[union-attr]
        if op.body is None or thing in world.ids_by_name():
            continue
        body = synth.value(op.body)
        response = await client.post(
            op.path.replace("{orgId}", world.org_a["id"]), json=body, headers=world.owner_a.headers
        )
        assert response.status_code in (200, 201), f"seeding {op.key} with {body}: {response.text}"
        world.seeded[thing] = [response.json()["id"]]
        world.seeded_values.extend(synth.marked)


class Synth:
    """A minimal value that passes validation: required properties only, A's ids for uuids."""

    def __init__(self, doc: dict[str, Any], world: World) -> None:
        self.doc, self.world = doc, world

    def value(self, schema: dict[str, Any], name: str = "", depth: int = 0) -> Any:
        schema = _resolve(self.doc, schema)
        if depth > 8:
            return None
        for combinator in ("oneOf", "anyOf"):
            if combinator in schema:
                options = [_resolve(self.doc, s) for s in schema[combinator]]
                usable = [s for s in options if s.get("type") != "null"] or options
                merged = {k: v for k, v in schema.items() if k != combinator}
                return self.value({**merged, **usable[0]}, name, depth + 1)
        if "allOf" in schema:
            merged = {}
            for part in schema["allOf"]:
                part = _resolve(self.doc, part)
                merged.update({k: v for k, v in part.items() if k not in ("properties", "required")})
                merged.setdefault("properties", {}).update(part.get("properties", {}))
                merged.setdefault("required", []).extend(part.get("required", []))
            return self.value(merged, name, depth + 1)
        if "const" in schema:
            return schema["const"]
        if schema.get("enum"):
            return schema["enum"][0]
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind == "object" or "properties" in schema:
            props = schema.get("properties", {})
            return {p: self.value(props.get(p, {}), p, depth + 1) for p in schema.get("required", [])}
        if kind == "array":
            items = schema.get("items", {})
            return [self.value(items, name, depth + 1) for _ in range(int(schema.get("minItems", 0)))]
        if kind == "integer":
            return max(1, int(schema.get("minimum", 1)))
        if kind == "number":
            return max(1, schema.get("minimum", 1))
        if kind == "boolean":
            return False
        if kind == "null":
            return None
        return self.string(schema, name)

    def string(self, schema: dict[str, Any], name: str) -> str:
        fmt = schema.get("format", "")
        if fmt == "uuid" or (_norm(name) in self.world.ids_by_name() and name.lower().endswith("id")):
            return self.world.candidates(name)[0]
        if fmt == "email" or name.lower().endswith("email"):
            return INTRUDER_EMAIL
        if fmt == "date-time":
            return "2026-01-01T00:00:00Z"
        if fmt == "date":
            return "2026-01-01"
        return "x" * max(1, int(schema.get("minLength", 1)))


class SeedSynth(Synth):
    """Synth for A's own objects: strings carry a marker so a leak of them can be spotted."""

    def __init__(self, doc: dict[str, Any], world: World) -> None:
        super().__init__(doc, world)
        self.marked: list[str] = []

    def string(self, schema: dict[str, Any], name: str) -> str:
        plain = super().string(schema, name)
        if schema.get("format") or set(schema) & {"pattern", "enum"} or plain != "x" * len(plain):
            return plain
        value = f"Alphaseed{name.capitalize()}"[: int(schema.get("maxLength", 100))]
        self.marked.append(value)
        return value


@dataclass
class Call:
    label: str
    method: str
    url: str
    body: Any
    expected: set[int]


def _fill(path: str, values: dict[str, str]) -> str:
    return PATH_PARAM.sub(lambda m: values[m.group(1)], path)


def _expected(path: str) -> set[int]:
    """Inside a tenant or inside "me", someone else's object does not exist (404)."""
    if path.startswith(("/api/v1/orgs/{", "/api/v1/me/")):
        return {404}
    return {403, 404}


def _calls(op: Operation, synth: Synth, world: World) -> list[Call]:
    names = op.path_names()
    fixed: dict[str, str] = {}
    varying: list[str] = []
    for name in names:
        enum = _resolve(synth.doc, op.param_schema(name)).get("enum")
        if enum:
            fixed[name] = str(enum[0])  # a mode such as {format}, not an object id
        else:
            varying.append(name)
    query = {
        p["name"]: synth.value(p.get("schema", {}), p["name"])
        for p in op.parameters
        if p.get("in") == "query" and p.get("required")
    }
    suffix = ("?" + urlencode(query)) if query else ""
    body = synth.value(op.body) if op.body is not None else None
    calls = []
    combos = itertools.product(*(world.candidates(n) for n in varying))
    for combo in itertools.islice(combos, MAX_COMBINATIONS):
        values = {**fixed, **dict(zip(varying, combo, strict=True))}
        calls.append(Call("A's ids", op.method, _fill(op.path, values) + suffix, body, _expected(op.path)))
    org_params = [n for n in varying if _norm(n) in ("org", "organization", "organisation", "tenant")]
    if org_params:
        # BOLA's classic shape: the caller's own organisation, another tenant's child id.
        own = {n: world.org_b["id"] for n in org_params}
        others = [n for n in varying if n not in org_params]
        if others:
            for combo in itertools.islice(itertools.product(*(world.candidates(n) for n in others)), MAX_COMBINATIONS):
                values = {**fixed, **own, **dict(zip(others, combo, strict=True))}
                url = _fill(op.path, values) + suffix
                calls.append(Call("own org, A's child ids", op.method, url, body, _expected(op.path)))
        elif body is not None and any(i in json.dumps(body) for i in world.all_ids()):
            # The caller's own organisation, another tenant's id inside the body.
            url = _fill(op.path, {**fixed, **own}) + suffix
            calls.append(Call("own org, A's ids in body", op.method, url, body, {404, 422}))
    return calls


def _randomised(call: Call, world: World) -> Call:
    """The same call with each of A's ids replaced by an id that exists nowhere."""
    url, text = call.url, json.dumps(call.body)
    for a_id in world.all_ids():
        fresh = str(uuid.uuid4())
        url, text = url.replace(a_id, fresh), text.replace(a_id, fresh)
    return Call(call.label + " (random)", call.method, url, json.loads(text), call.expected)


async def _send(client: Client, call: Call, headers: dict[str, str]) -> Any:
    kwargs: dict[str, Any] = {"headers": headers}
    if call.body is not None:
        kwargs["json"] = call.body
    return await client.request(call.method.upper(), call.url, **kwargs)


def _problem_identity(response: Any) -> tuple[Any, ...]:
    try:
        body = response.json()
    except ValueError:
        return (response.status_code, response.text)
    if not isinstance(body, dict):
        return (response.status_code, body)
    return (response.status_code, body.get("type"), body.get("title"), body.get("detail"))


def _leaks(response: Any, call: Call, world: World) -> list[str]:
    """A's values in the response that the caller did not send itself (the path is echoed in `instance`)."""
    sent = (call.url + json.dumps(call.body)).lower()
    seen = (response.text + " " + response.headers.get("location", "")).lower()
    return [s for s in world.secrets() if s and s.lower() not in sent and s.lower() in seen]


# --- API1: every id-taking operation, as another tenant -------------------------------------


async def test_every_id_taking_operation_hides_and_protects_another_tenants_objects(
    client: Client, inbox: Inbox
) -> None:
    world = await _world(client, inbox)
    schema = await client.get("/schema/openapi.json")
    assert schema.status_code == 200, schema.text
    doc = schema.json()
    operations = _operations(doc)
    await _seed_tenant_objects(client, doc, operations, world)
    synth = Synth(doc, world)
    lists = [op.path for op in _tenant_collections(operations, "get")]

    before = await _snapshot(client, world, lists)
    assert all(status == 200 for status, _ in before.values()), before
    assert before["audit"][1]["total"] > 0 and len(before["invitations"][1]["items"]) == 1, before
    failures: list[str] = []
    covered: list[str] = []
    for op in operations:
        statuses: set[int] = set()
        calls = _calls(op, synth, world)
        for call in calls:
            response = await _send(client, call, world.owner_b.headers)
            control = await _send(client, _randomised(call, world), world.owner_b.headers)
            statuses.add(response.status_code)
            where = f"{op.key} [{call.label}] {call.method.upper()} {call.url} body={json.dumps(call.body)}"
            if response.status_code not in call.expected:
                failures.append(f"{where}: {response.status_code} (expected {call.expected}): {response.text[:400]}")
            elif not response.headers.get("content-type", "").startswith(PROBLEM):
                failures.append(f"{where}: {response.status_code} without a problem document")
            if leaked := _leaks(response, call, world):
                failures.append(f"{where}: the response reveals A's {leaked}: {response.text[:400]}")
            if _problem_identity(response) != _problem_identity(control):
                failures.append(
                    f"{where}: distinguishable from a non-existent id: "
                    f"{_problem_identity(response)} vs {_problem_identity(control)}"
                )
        covered.append(f"{op.key}  ({len(calls)} calls -> {sorted(statuses)})")
    after = await _snapshot(client, world, lists)

    print(f"\ntenant isolation sweep: {len(covered)} operations with path parameters, called as another tenant")
    print(f"  A's objects seeded through tenant collections: {world.seeded}")
    for line in covered:
        print("  " + line)
    assert covered, "the OpenAPI document offered no operation with a path parameter"
    missing = KNOWN_ID_OPERATIONS - {op.key for op in operations}
    assert not missing, f"the sweep did not find {sorted(missing)} among {len(covered)} operations"
    changed = {k: {"before": before[k], "after": after[k]} for k in before if before[k] != after[k]}
    if changed:
        failures.append(f"A's state changed: {json.dumps(changed, indent=1, default=str)}")
    assert not failures, f"{len(failures)} isolation failures over {len(covered)} operations:\n" + "\n".join(failures)
    # B is still fine in its own organisation: the 404s are about A, not a broken session.
    own = await client.get(f"/api/v1/orgs/{world.org_b['id']}", headers=world.owner_b.headers)
    assert own.status_code == 200 and own.json()["role"] == "owner", own.text


async def test_a_tenant_route_answers_another_tenants_id_exactly_like_a_missing_one(
    client: Client, inbox: Inbox
) -> None:
    """The sweep's oracle on one route, spelled out: no 403, no detail that confirms existence."""
    world = await _world(client, inbox)
    foreign = await client.get(f"/api/v1/orgs/{world.org_a['id']}/members", headers=world.owner_b.headers)
    missing = await client.get(f"/api/v1/orgs/{uuid.uuid4()}/members", headers=world.owner_b.headers)
    assert foreign.status_code == missing.status_code == 404, foreign.text
    assert _problem_identity(foreign) == _problem_identity(missing)
    assert not _leaks(foreign, Call("", "get", str(foreign.url), None, {404}), world)


# --- roles inside a tenant ------------------------------------------------------------------


async def test_a_viewer_gets_403_on_admin_only_routes_and_changes_nothing(client: Client, inbox: Inbox) -> None:
    world = await _world(client, inbox)
    oid, viewer = world.org_a["id"], world.viewer_a
    assert (await client.get(f"/api/v1/orgs/{oid}", headers=viewer.headers)).status_code == 200  # a member
    before = await _snapshot(client, world)
    attempts = [
        ("PATCH", f"/api/v1/orgs/{oid}", {"name": "Hijacked Pte Ltd"}),
        ("POST", f"/api/v1/orgs/{oid}/invitations", {"email": INTRUDER_EMAIL, "role": "admin"}),
        ("DELETE", f"/api/v1/orgs/{oid}/members/{world.owner_a.id}", None),
        ("GET", f"/api/v1/orgs/{oid}/audit-events", None),
        ("GET", f"/api/v1/orgs/{oid}/invitations", None),
        ("DELETE", f"/api/v1/orgs/{oid}/invitations/{world.invitation_id}", None),
        ("POST", f"/api/v1/orgs/{oid}/transfer-ownership", {"userId": viewer.id}),
        ("DELETE", f"/api/v1/orgs/{oid}", {"confirmName": world.org_a["name"]}),
    ]
    for method, url, body in attempts:
        response = await client.request(method, url, headers=viewer.headers, **({"json": body} if body else {}))
        assert response.status_code == 403, f"{method} {url}: {response.status_code} {response.text}"
        assert response.json()["type"].endswith("/permission-denied"), response.text
    _assert_unchanged(before, await _snapshot(client, world))
    assert inbox.count(INTRUDER_EMAIL, JOIN) == 0


async def test_role_escalation_attempts_fail_and_change_nothing(client: Client, inbox: Inbox) -> None:
    world = await _world(client, inbox)
    oid, owner, viewer = world.org_a["id"], world.owner_a, world.viewer_a
    admin = await _actor(client, inbox, "adam.admin@alpha.example.sg", "Adam Alphaadmin")
    await _join(client, inbox, world.org_a, owner, admin, "admin")
    before = await _snapshot(client, world)
    members = f"/api/v1/orgs/{oid}/members"
    attempts = [
        ("viewer makes itself owner", viewer, "PATCH", f"{members}/{viewer.id}", {"role": "owner"}, 403),
        ("viewer makes itself admin", viewer, "PATCH", f"{members}/{viewer.id}", {"role": "admin"}, 403),
        ("admin makes itself owner", admin, "PATCH", f"{members}/{admin.id}", {"role": "owner"}, 403),
        ("admin grants owner", admin, "PATCH", f"{members}/{viewer.id}", {"role": "owner"}, 403),
        ("admin demotes the owner", admin, "PATCH", f"{members}/{owner.id}", {"role": "viewer"}, 403),
        ("admin removes the owner", admin, "DELETE", f"{members}/{owner.id}", None, 403),
        (
            "admin invites an owner",
            admin,
            "POST",
            f"/api/v1/orgs/{oid}/invitations",
            {"email": INTRUDER_EMAIL, "role": "owner"},
            403,
        ),
        ("admin takes ownership", admin, "POST", f"/api/v1/orgs/{oid}/transfer-ownership", {"userId": admin.id}, 403),
        ("admin deletes the org", admin, "DELETE", f"/api/v1/orgs/{oid}", {"confirmName": world.org_a["name"]}, 403),
        # API3: request structs refuse fields they do not declare (mass assignment).
        (
            "PATCH org with organizationId",
            owner,
            "PATCH",
            f"/api/v1/orgs/{oid}",
            {"name": "Renamed", "organizationId": world.org_b["id"]},
            422,
        ),
        (
            "PATCH org with role (admin)",
            admin,
            "PATCH",
            f"/api/v1/orgs/{oid}",
            {"name": "Renamed", "role": "owner"},
            422,
        ),
        ("PATCH org with id", owner, "PATCH", f"/api/v1/orgs/{oid}", {"name": "Renamed", "id": world.org_b["id"]}, 422),
        (
            "PATCH member with organizationId",
            owner,
            "PATCH",
            f"{members}/{viewer.id}",
            {"role": "viewer", "organizationId": world.org_b["id"]},
            422,
        ),
        (
            "invite with organizationId",
            owner,
            "POST",
            f"/api/v1/orgs/{oid}/invitations",
            {"email": INTRUDER_EMAIL, "organizationId": world.org_b["id"]},
            422,
        ),
    ]
    for label, who, method, url, body, status in attempts:
        response = await client.request(method, url, headers=who.headers, **({"json": body} if body else {}))
        assert response.status_code == status, f"{label}: {method} {url}: {response.status_code} {response.text}"
        if status == 422:
            fields = {e["field"] for e in response.json()["errors"]}
            assert fields & {"organizationId", "role", "id"}, f"{label}: {response.text}"
    _assert_unchanged(before, await _snapshot(client, world))
    assert inbox.count(INTRUDER_EMAIL, JOIN) == 0


@pytest.mark.parametrize(
    "extra",
    [{"organizationId": "ORG_A"}, {"role": "viewer"}, {"id": "ORG_A"}, {"ownerId": "VIEWER_A"}],
    ids=["organizationId", "role", "id", "ownerId"],
)
async def test_mass_assignment_in_create_organization_is_refused(
    client: Client, inbox: Inbox, extra: dict[str, str]
) -> None:
    """A viewer of A cannot create an organisation that claims A's id or hands it a role."""
    world = await _world(client, inbox)
    names = {"ORG_A": world.org_a["id"], "VIEWER_A": world.viewer_a.id}
    body = {"name": "Sneaky Pte Ltd", **{k: names.get(v, v) for k, v in extra.items()}}
    before = await _snapshot(client, world)
    response = await client.post("/api/v1/orgs", json=body, headers=world.viewer_a.headers)
    assert response.status_code == 422, response.text
    assert next(iter(extra)) in {e["field"] for e in response.json()["errors"]}, response.text
    _assert_unchanged(before, await _snapshot(client, world))  # viewer_orgs: still only A, as viewer


# --- invitation tokens ----------------------------------------------------------------------


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _sql(database_url: str, query: str, *args: Any) -> str:
    conn = await asyncpg.connect(_asyncpg_dsn(database_url))
    try:
        return str(await conn.execute(query, *args))
    finally:
        await conn.close()


async def _member_ids(client: Client, world: World) -> set[str]:
    response = await client.get(f"/api/v1/orgs/{world.org_a['id']}/members", headers=world.owner_a.headers)
    assert response.status_code == 200, response.text
    return {m["userId"] for m in response.json()["items"]}


@pytest.mark.parametrize("case", ["expired", "revoked", "reused", "foreign", "unverified"])
async def test_invitation_tokens_that_must_not_let_anyone_in(
    client: Client, inbox: Inbox, clean_postgres: str, case: str
) -> None:
    world = await _world(client, inbox)
    oid = world.org_a["id"]
    dave_email = "dave.invitee@alpha.example.sg"
    dave = await _actor(client, inbox, dave_email, "Dave Invitee", verify=case != "unverified")
    invitation = await _invite(client, oid, world.owner_a, dave_email, "admin")
    token = link_token(await inbox.wait_for(dave_email, JOIN + world.org_a["name"]))
    mallory = await _actor(client, inbox, "mallory@bravo.example.sg", "Mallory Forwarded")

    if case == "expired":
        done = await _sql(
            clean_postgres,
            "UPDATE organizations_invitation SET expires_at = created_at - interval '1 second' WHERE id = $1",
            uuid.UUID(invitation["id"]),
        )
        assert done == "UPDATE 1"
    elif case == "revoked":
        revoked = await client.delete(
            f"/api/v1/orgs/{oid}/invitations/{invitation['id']}", headers=world.owner_a.headers
        )
        assert revoked.status_code == 204, revoked.text
    elif case == "reused":
        assert (await _accept(client, dave, token)).status_code == 200
    members_before = await _member_ids(client, world)
    before = await _snapshot(client, world)

    if case == "foreign":
        # A forwarded or stolen link, used by a verified account with another email.
        response = await _accept(client, mallory, token)
        assert response.status_code == 403, response.text
        assert response.json()["type"].endswith("/permission-denied")
        _assert_unchanged(before, await _snapshot(client, world))
        # The attempt did not burn the token: the invitee still gets in.
        assert (await _accept(client, dave, token)).status_code == 200
        assert await _member_ids(client, world) == members_before | {dave.id}
        return
    if case == "unverified":
        response = await _accept(client, dave, token)
        assert response.status_code == 403, response.text
        assert response.json()["type"].endswith("/permission-denied")
    else:
        for who in (dave, mallory):
            response = await _accept(client, who, token)
            assert response.status_code == 400, f"{case} token accepted for {who.email}: {response.text}"
            assert response.json()["type"].endswith("/invalid-invitation"), response.text
    assert mallory.id not in await _member_ids(client, world)
    _assert_unchanged(before, await _snapshot(client, world))


# --- last-owner protection ------------------------------------------------------------------


async def test_the_last_owner_cannot_leave_step_down_or_be_removed(client: Client, inbox: Inbox) -> None:
    world = await _world(client, inbox)
    oid, owner = world.org_a["id"], world.owner_a
    admin = await _actor(client, inbox, "adam.admin@alpha.example.sg", "Adam Alphaadmin")
    await _join(client, inbox, world.org_a, owner, admin, "admin")
    members = f"/api/v1/orgs/{oid}/members"
    before = await _snapshot(client, world)
    attempts = [
        ("owner leaves", owner, "POST", f"/api/v1/orgs/{oid}/leave", None, 409),
        ("owner steps down", owner, "PATCH", f"{members}/{owner.id}", {"role": "admin"}, 409),
        ("owner removes itself", owner, "DELETE", f"{members}/{owner.id}", None, 409),
        ("admin removes the owner", admin, "DELETE", f"{members}/{owner.id}", None, 403),
    ]
    for label, who, method, url, body, status in attempts:
        response = await client.request(method, url, headers=who.headers, **({"json": body} if body else {}))
        assert response.status_code == status, f"{label}: {response.status_code} {response.text}"
    _assert_unchanged(before, await _snapshot(client, world))

    # With a second owner, one owner may remove the other; then the survivor is the last one.
    promoted = await client.patch(f"{members}/{admin.id}", json={"role": "owner"}, headers=owner.headers)
    assert promoted.status_code == 200, promoted.text
    removed = await client.delete(f"{members}/{owner.id}", headers=admin.headers)
    assert removed.status_code == 204, removed.text
    for method, url, body in [
        ("POST", f"/api/v1/orgs/{oid}/leave", None),
        ("PATCH", f"{members}/{admin.id}", {"role": "member"}),
        ("DELETE", f"{members}/{admin.id}", None),
    ]:
        response = await client.request(method, url, headers=admin.headers, **({"json": body} if body else {}))
        assert response.status_code == 409, f"{method} {url}: {response.status_code} {response.text}"
    listed = (await client.get(members, headers=admin.headers)).json()["items"]
    assert [m["userId"] for m in listed if m["role"] == "owner"] == [admin.id]


async def test_two_owners_leaving_at_once_leave_one_owner_behind(client: Client, inbox: Inbox) -> None:
    world = await _world(client, inbox)
    oid, owner = world.org_a["id"], world.owner_a
    second = await _actor(client, inbox, "olga.owner@alpha.example.sg", "Olga Alphaowner")
    await _join(client, inbox, world.org_a, owner, second, "owner")
    leave = f"/api/v1/orgs/{oid}/leave"
    results = await concurrently(
        client, [("POST", leave, {"headers": owner.headers}), ("POST", leave, {"headers": second.headers})]
    )
    assert sorted(r.status_code for r in results) == [204, 409], [r.text for r in results]
    stayed = owner if results[0].status_code == 409 else second
    listed = (await client.get(f"/api/v1/orgs/{oid}/members", headers=stayed.headers)).json()["items"]
    assert [m["userId"] for m in listed if m["role"] == "owner"] == [stayed.id]
