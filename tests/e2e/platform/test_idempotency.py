"""Idempotency-Key on POSTs, through HTTP, on PostgreSQL and on the embedded default (SQLite):
replay, body mismatch, concurrent duplicates, a failure between commit and response, expiry by
the clock port and the purge task, per-caller scopes, GETs ignored, and the OpenAPI header."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text

from nexuscore.bootstrap.app import create_app
from nexuscore.bootstrap.runtime import Runtime, build_runtime
from nexuscore.kernel.clock import FixedClock
from nexuscore.platform.database import IDEMPOTENCY_INFO_KEY, create_engine
from nexuscore.platform.idempotency import (
    PURGE_TASK,
    RUNNING_LEASE,
    IdempotencyKeyTakenOver,
    Proceed,
    SqlIdempotencyStore,
)
from nexuscore.platform.migrations import upgrade_head
from nexuscore.platform.settings import Settings
from tests.conftest import make_settings
from tests.e2e.conftest import PASSWORD, bearer

pytestmark = pytest.mark.e2e

ORGS = "/api/v1/orgs"


@dataclass
class Harness:
    client: AsyncTestClient[Litestar]
    runtime: Runtime
    clock: FixedClock
    owner_url: str  # the database as its owner (triggers in the failure tests)
    backend: str
    settings: Settings

    async def login(self, email: str) -> dict[str, str]:
        login = await self.client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert login.status_code == 200, login.text
        return bearer(login.json()["accessToken"])

    def on_test_loop(self) -> Runtime:
        """A second runtime on the same database for the test's own event loop (the test client
        serves the app from a loop of its own)."""
        return build_runtime(self.settings, clock=self.clock, await_inplace=True)

    async def user(self, email: str) -> dict[str, str]:
        registered = await self.client.post(
            "/api/v1/auth/register", json={"email": email, "password": PASSWORD, "fullName": "Ann Tan"}
        )
        assert registered.status_code == 201, registered.text
        login = await self.client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert login.status_code == 200, login.text
        return bearer(login.json()["accessToken"])

    async def scalar(self, sql: str) -> Any:
        engine = create_engine(self.owner_url, pool_size=1)
        try:
            async with engine.begin() as conn:
                return (await conn.execute(text(sql))).scalar()
        finally:
            await engine.dispose()

    async def execute(self, *statements: str) -> None:
        engine = create_engine(self.owner_url, pool_size=1)
        try:
            async with engine.begin() as conn:
                for statement in statements:
                    await conn.execute(text(statement))
        finally:
            await engine.dispose()

    async def org_count(self) -> int:
        return int(await self.scalar("SELECT count(*) FROM organizations_organization"))


@pytest.fixture(params=["postgres", "sqlite"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str, str]:
    """(backend, the app's URL, the owner's URL), resolved outside the event loop."""
    if request.param == "postgres":
        return "postgres", request.getfixturevalue("app_postgres_url"), request.getfixturevalue("clean_postgres")
    url = f"sqlite+aiosqlite:///{tmp_path / 'idem.db'}"
    upgrade_head(url)
    return "sqlite", url, url


@pytest.fixture
async def harness(database: tuple[str, str, str], tmp_path: Path) -> AsyncIterator[Harness]:
    backend, app_url, owner_url = database
    settings = make_settings(tmp_path, DATABASE_URL=app_url, OUTBOX_RELAY_IN_PROCESS="false")
    clock = FixedClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    runtime = build_runtime(settings, clock=clock, await_inplace=True)
    async with AsyncTestClient(create_app(settings, runtime=runtime)) as client:
        yield Harness(client, runtime, clock, owner_url, backend, settings)


def keyed(headers: dict[str, str], key: str) -> dict[str, str]:
    return {**headers, "Idempotency-Key": key}


async def test_a_repeat_replays_the_stored_status_headers_and_body(harness: Harness) -> None:
    ann = await harness.user("ann@example.sg")
    key = str(uuid.uuid4())
    first = await harness.client.post(ORGS, json={"name": "Acme"}, headers=keyed(ann, key))
    assert first.status_code == 201, first.text
    assert "idempotent-replayed" not in first.headers
    # The same object serialised in another key order is the same request.
    again = await harness.client.post(
        ORGS, content=b'{ "name" : "Acme" }', headers=keyed(ann, key) | {"content-type": "application/json"}
    )
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.content == first.content
    assert again.headers["content-type"] == first.headers["content-type"]
    assert again.headers["x-request-id"] != first.headers["x-request-id"]  # a new request, its own id
    assert await harness.org_count() == 1
    # The structured-field form of the same key is the same key.
    quoted = await harness.client.post(ORGS, json={"name": "Acme"}, headers=keyed(ann, f'"{key}"'))
    assert quoted.headers.get("idempotent-replayed") == "true"
    # Without a key every POST runs.
    assert (await harness.client.post(ORGS, json={"name": "Acme"}, headers=ann)).status_code == 201
    assert await harness.org_count() == 2


async def test_the_same_key_with_another_body_is_422_and_changes_nothing(harness: Harness) -> None:
    ann = await harness.user("ann@example.sg")
    assert (await harness.client.post(ORGS, json={"name": "Acme"}, headers=keyed(ann, "k-1"))).status_code == 201
    other = await harness.client.post(ORGS, json={"name": "Other"}, headers=keyed(ann, "k-1"))
    assert other.status_code == 422
    assert other.headers["content-type"].startswith("application/problem+json")
    assert other.json()["type"].endswith("/idempotency-key-reused")
    assert await harness.org_count() == 1


@pytest.mark.parametrize("key", ["", "x" * 256, "caf\u00e9", "tab\there"])
async def test_keys_outside_1_to_255_visible_characters_are_400(harness: Harness, key: str) -> None:
    ann = await harness.user("ann@example.sg")
    response = await harness.client.post(ORGS, json={"name": "Acme"}, headers={**ann, "Idempotency-Key": key.encode()})
    assert response.status_code == 400, response.text
    assert response.json()["type"].endswith("/invalid-idempotency-key")
    assert await harness.org_count() == 0
    longest = await harness.client.post(ORGS, json={"name": "Acme"}, headers=keyed(ann, "x" * 255))
    assert longest.status_code == 201


async def test_concurrent_duplicates_run_once(harness: Harness) -> None:
    ann = await harness.user("ann@example.sg")
    responses = await asyncio.gather(
        *(harness.client.post(ORGS, json={"name": "Acme"}, headers=keyed(ann, "same")) for _ in range(6))
    )
    ran = [r for r in responses if r.status_code == 201 and "idempotent-replayed" not in r.headers]
    assert len(ran) == 1
    for r in responses:
        if r is not ran[0]:
            assert r.status_code == 409 or r.headers.get("idempotent-replayed") == "true", r.text
            if r.status_code == 409:
                assert r.json()["type"].endswith("/idempotency-key-in-use")
                assert int(r.headers["retry-after"]) >= 1
    assert await harness.org_count() == 1


async def test_a_key_held_by_a_running_attempt_is_409_then_taken_over_once_its_lease_ends(harness: Harness) -> None:
    ann = await harness.user("ann@example.sg")
    own = harness.on_test_loop()
    store = SqlIdempotencyStore(own.engine, harness.clock)
    caller = f"user:{(await harness.client.get('/api/v1/me', headers=ann)).json()['id']}"
    held = await store.claim(caller=caller, method="POST", path=ORGS, key="k", fingerprint="whatever")
    assert isinstance(held, Proceed)  # another process is running this request

    mismatch = await harness.client.post(ORGS, json={"name": "Acme"}, headers=keyed(ann, "k"))
    assert mismatch.status_code == 422  # its body differs (its fingerprint is "whatever")
    await store.release(held.claim)

    from nexuscore.platform.http.idempotency import fingerprint

    body = b'{"name":"Acme"}'
    held = await store.claim(
        caller=caller, method="POST", path=ORGS, key="k", fingerprint=fingerprint(body, "application/json")
    )
    assert isinstance(held, Proceed)
    busy = await harness.client.post(ORGS, content=body, headers=keyed(ann, "k") | {"content-type": "application/json"})
    assert busy.status_code == 409
    assert busy.json()["type"].endswith("/idempotency-key-in-use")
    assert "retry-after" in busy.headers
    assert await harness.org_count() == 0

    harness.clock.advance(RUNNING_LEASE + timedelta(seconds=1))  # the holder died before committing
    taken = await harness.client.post(
        ORGS, content=body, headers=keyed(ann, "k") | {"content-type": "application/json"}
    )
    assert taken.status_code == 201
    assert await harness.org_count() == 1

    # The old holder, had it been merely slow, can no longer commit anything under the key.
    async with own.sessions() as session:
        session.info[IDEMPOTENCY_INFO_KEY] = held.claim
        await session.execute(text("SELECT 1"))
        with pytest.raises(IdempotencyKeyTakenOver):
            await session.commit()
    await own.close()


async def test_a_failure_to_store_the_response_after_the_commit_never_runs_the_operation_again(
    harness: Harness,
) -> None:
    ann = await harness.user("ann@example.sg")
    # The storage step fails for real: the database refuses the row's move to `completed`.
    if harness.backend == "postgres":
        await harness.execute(
            "CREATE FUNCTION refuse_completed() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN IF NEW.state = 'completed' THEN RAISE EXCEPTION 'storage down'; END IF; RETURN NEW; END $$",
            "CREATE TRIGGER refuse_completed BEFORE UPDATE ON platform_idempotency_key "
            "FOR EACH ROW EXECUTE FUNCTION refuse_completed()",
        )
        drop = ("DROP TRIGGER refuse_completed ON platform_idempotency_key", "DROP FUNCTION refuse_completed()")
    else:
        await harness.execute(
            "CREATE TRIGGER refuse_completed BEFORE UPDATE ON platform_idempotency_key "
            "WHEN NEW.state = 'completed' BEGIN SELECT RAISE(ABORT, 'storage down'); END"
        )
        drop = ("DROP TRIGGER refuse_completed",)
    first = await harness.client.post(ORGS, json={"name": "Acme"}, headers=keyed(ann, "crash"))
    assert first.status_code == 201  # the client still gets the answer when it can be sent
    assert await harness.scalar("SELECT state FROM platform_idempotency_key") == "committed"
    await harness.execute(*drop)

    retry = await harness.client.post(ORGS, json={"name": "Acme"}, headers=keyed(ann, "crash"))
    assert retry.status_code == 409
    assert retry.json()["type"].endswith("/idempotency-key-spent")
    assert "retry-after" not in retry.headers
    assert await harness.org_count() == 1


async def test_keys_expire_after_24_hours_and_the_purge_task_deletes_them(harness: Harness) -> None:
    ann = await harness.user("ann@example.sg")
    assert (await harness.client.post(ORGS, json={"name": "Acme"}, headers=keyed(ann, "day"))).status_code == 201
    harness.clock.advance(timedelta(hours=23, minutes=59))
    ann = await harness.login("ann@example.sg")  # the access token has expired meanwhile
    within = await harness.client.post(ORGS, json={"name": "Acme"}, headers=keyed(ann, "day"))
    assert within.headers.get("idempotent-replayed") == "true"
    assert (await harness.client.post(ORGS, json={"name": "Beta"}, headers=keyed(ann, "other"))).status_code == 201

    harness.clock.advance(timedelta(minutes=1))  # 24 hours after the first use
    after = await harness.client.post(ORGS, json={"name": "Acme"}, headers=keyed(ann, "day"))
    assert after.status_code == 201
    assert "idempotent-replayed" not in after.headers  # a new key: it ran again
    assert await harness.org_count() == 3

    harness.clock.advance(timedelta(hours=23, minutes=59, seconds=30))  # "other" is 24 h old now
    registered = harness.runtime.broker.find_task(PURGE_TASK)
    assert registered is not None
    assert registered.labels["schedule"] == [{"cron": "41 * * * *"}]
    own = harness.on_test_loop()
    task = own.broker.find_task(PURGE_TASK)
    assert task is not None
    result = await (await task.kiq()).wait_result(timeout=10)
    await own.close()
    assert result.return_value == 1
    keys = await harness.scalar("SELECT count(*) FROM platform_idempotency_key")
    assert keys == 1  # the second use of "day" lives on


async def test_callers_do_not_share_keys(harness: Harness) -> None:
    ann = await harness.user("ann@example.sg")
    bob = await harness.user("bob@example.sg")
    for_ann = await harness.client.post(ORGS, json={"name": "Acme"}, headers=keyed(ann, "shared"))
    for_bob = await harness.client.post(ORGS, json={"name": "Acme"}, headers=keyed(bob, "shared"))
    assert for_ann.status_code == for_bob.status_code == 201
    assert "idempotent-replayed" not in for_bob.headers
    assert for_ann.json()["id"] != for_bob.json()["id"]
    # A fresh access token of the same user is the same caller.
    relogin = await harness.client.post("/api/v1/auth/login", json={"email": "ann@example.sg", "password": PASSWORD})
    again = await harness.client.post(
        ORGS, json={"name": "Acme"}, headers=keyed(bearer(relogin.json()["accessToken"]), "shared")
    )
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.json()["id"] == for_ann.json()["id"]
    # Unauthenticated, the caller is the client: a refused request (401) is not kept.
    anonymous = await harness.client.post(ORGS, json={"name": "Acme"}, headers={"Idempotency-Key": "shared"})
    assert anonymous.status_code == 401
    assert "idempotent-replayed" not in anonymous.headers
    assert await harness.org_count() == 2
    rows = await harness.scalar("SELECT count(*) FROM platform_idempotency_key")
    assert rows == 2


async def test_a_lead_created_with_a_key_is_created_once_and_refusals_are_kept(harness: Harness) -> None:
    ann = await harness.user("ann@example.sg")
    org = (await harness.client.post(ORGS, json={"name": "Acme"}, headers=ann)).json()["id"]
    leads = f"{ORGS}/{org}/leads"
    lead = {"firstName": "Wei", "lastName": "Lim", "email": "wei@example.sg"}
    first = await harness.client.post(leads, json=lead, headers=keyed(ann, "lead-1"))
    assert first.status_code == 201, first.text
    again = await harness.client.post(leads, json=lead, headers=keyed(ann, "lead-1"))
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.json() == first.json()
    # A refusal by the use case (409 duplicate) is kept and replayed like a success.
    duplicate = await harness.client.post(leads, json=lead, headers=keyed(ann, "lead-2"))
    assert duplicate.status_code == 409
    replayed = await harness.client.post(leads, json=lead, headers=keyed(ann, "lead-2"))
    assert replayed.status_code == 409
    assert replayed.headers.get("idempotent-replayed") == "true"
    # A request refused as invalid (422) is not kept: the corrected request may use the key.
    invalid = await harness.client.post(leads, json={"firstName": 5}, headers=keyed(ann, "lead-3"))
    assert invalid.status_code == 422
    corrected = await harness.client.post(
        leads, json={"firstName": "Mei", "email": "mei@example.sg"}, headers=keyed(ann, "lead-3")
    )
    assert corrected.status_code == 201, corrected.text
    assert int(await harness.scalar("SELECT count(*) FROM leads_lead")) == 2


async def test_keys_on_get_are_ignored(harness: Harness) -> None:
    ann = await harness.user("ann@example.sg")
    listed = await harness.client.get(ORGS, headers={**ann, "Idempotency-Key": "x" * 300})
    assert listed.status_code == 200
    assert "idempotent-replayed" not in listed.headers
    assert await harness.scalar("SELECT count(*) FROM platform_idempotency_key") == 0


async def test_every_post_under_api_v1_documents_the_header(harness: Harness) -> None:
    document = (await harness.client.get("/schema/openapi.json")).json()
    posts = [(path, item["post"]) for path, item in document["paths"].items() if "post" in item]
    assert len(posts) > 10
    for path, operation in posts:
        names = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "header"]
        assert ("Idempotency-Key" in names) == path.startswith("/api/v1/"), path
    for path, item in document["paths"].items():
        for method in set(item) - {"post"}:
            names = [p.get("name") for p in item[method].get("parameters", []) if isinstance(p, dict)]
            assert "Idempotency-Key" not in names, (method, path)


async def test_token_pairs_are_never_stored_and_a_repeated_sign_in_is_not_run_again(harness: Harness) -> None:
    await harness.user("ann@example.sg")
    body = {"email": "ann@example.sg", "password": PASSWORD}
    first = await harness.client.post("/api/v1/auth/login", json=body, headers={"Idempotency-Key": "sign-in"})
    assert first.status_code == 200
    token = first.json()["refreshToken"]
    stored = await harness.scalar("SELECT count(*) FROM platform_idempotency_key WHERE response_body IS NOT NULL")
    assert stored == 0
    assert await harness.scalar("SELECT state FROM platform_idempotency_key") == "committed"
    assert token not in str(await harness.scalar("SELECT caller || path || key FROM platform_idempotency_key"))
    again = await harness.client.post("/api/v1/auth/login", json=body, headers={"Idempotency-Key": "sign-in"})
    assert again.status_code == 409
    assert again.json()["type"].endswith("/idempotency-key-spent")
    # The body still has to match.
    other = {"email": "ann@example.sg", "password": "another password"}
    mismatch = await harness.client.post("/api/v1/auth/login", json=other, headers={"Idempotency-Key": "sign-in"})
    assert mismatch.status_code == 422
