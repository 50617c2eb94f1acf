"""Idempotency keys: the table, the claim/store steps, and the mark written in the use case's
own transaction (the HTTP side is `platform.http.idempotency`).

A key moves `running` -> `committed` -> `completed`:

- `running`: claimed, in its own short transaction, before the route runs; a concurrent
  duplicate sees it and is answered 409.
- `committed`: written by a `before_commit` listener on the request's session, in the same
  transaction as the use case's writes, and only while this attempt still holds the key. So the
  writes and "this key has been carried out" commit together or not at all, and an attempt whose
  key was taken over (its lease ran out) cannot commit.
- `completed`: the response is stored; repeats replay it.

A process that dies after the commit leaves `committed` with no response: the operation is never
run again for that key, and a repeat is told so (409 `idempotency-key-spent`).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from advanced_alchemy.types import DateTimeUTC, JsonB
from sqlalchemy import Column, Integer, LargeBinary, String, Table, Text, delete, event, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.orm import Session
from taskiq import AsyncBroker

from nexuscore.kernel.clock import Clock
from nexuscore.kernel.errors import Conflict
from nexuscore.platform.database import IDEMPOTENCY_INFO_KEY, metadata

logger = logging.getLogger(__name__)

KEY_LIFETIME = timedelta(hours=24)
# A `running` key whose attempt has not committed within this long may be taken over by a
# repeat (the first process died before its commit). The first attempt, if it is merely slow,
# can then no longer commit: its mark finds the key held by another attempt.
RUNNING_LEASE = timedelta(seconds=60)
PURGE_TASK = "nexuscore.platform.purge_idempotency_keys"

RUNNING, COMMITTED, COMPLETED = "running", "committed", "completed"

idempotency_key_table = Table(
    "platform_idempotency_key",
    metadata,
    # sha256 of (caller, method, path, key): one fixed-width primary key for the whole scope.
    Column("lookup", String(64), primary_key=True),
    Column("caller", String(128), nullable=False),
    Column("method", String(16), nullable=False),
    Column("path", Text, nullable=False),
    Column("key", String(255), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("state", String(16), nullable=False),
    Column("attempt", String(32), nullable=False),
    Column("locked_at", DateTimeUTC(timezone=True), nullable=False),
    Column("created_at", DateTimeUTC(timezone=True), nullable=False),
    Column("expires_at", DateTimeUTC(timezone=True), nullable=False, index=True),
    Column("response_status", Integer, nullable=True),
    Column("response_headers", JsonB, nullable=True),
    Column("response_body", LargeBinary, nullable=True),
)


class IdempotencyKeyTakenOver(Conflict):
    """This attempt's lease ran out and a repeat took the key: its writes must not commit."""

    code = "idempotency-key-taken-over"


def scope_lookup(caller: str, method: str, path: str, key: str) -> str:
    return hashlib.sha256("\x1f".join((caller, method, path, key)).encode()).hexdigest()


@dataclass
class Claim:
    """One attempt's hold on a key, put on the request's session (`session.info`)."""

    lookup: str
    attempt: str
    committed: bool = False  # the request's transaction committed with the key's mark
    marking: bool = field(default=False, repr=False)


@dataclass(frozen=True)
class StoredResponse:
    status: int
    headers: Sequence[tuple[str, str]]
    body: bytes


@dataclass(frozen=True)
class Proceed:
    claim: Claim


@dataclass(frozen=True)
class Replay:
    response: StoredResponse


@dataclass(frozen=True)
class Mismatch:
    """The key was used with another body."""


@dataclass(frozen=True)
class InProgress:
    retry_after_seconds: int


@dataclass(frozen=True)
class Spent:
    """The operation committed but its response was never stored (the process stopped)."""


ClaimOutcome = Proceed | Replay | Mismatch | InProgress | Spent


# ---- the mark, in the use case's transaction ------------------------------------------------
def _mark_before_commit(session: Session) -> None:
    claim: Claim | None = session.info.get(IDEMPOTENCY_INFO_KEY)
    if claim is None or not session.in_transaction():
        return
    table = idempotency_key_table
    result = session.connection().execute(
        update(table)
        .where(
            table.c.lookup == claim.lookup,
            table.c.attempt == claim.attempt,
            table.c.state.in_((RUNNING, COMMITTED)),
        )
        .values(state=COMMITTED)
    )
    if result.rowcount != 1:
        raise IdempotencyKeyTakenOver(
            "This request took too long and a repeat with the same Idempotency-Key has taken over; "
            "nothing was changed by this one."
        )
    claim.marking = True


def _after_commit(session: Session) -> None:
    claim: Claim | None = session.info.get(IDEMPOTENCY_INFO_KEY)
    if claim is not None and claim.marking:
        claim.committed = True


def _after_rollback(session: Session) -> None:
    claim: Claim | None = session.info.get(IDEMPOTENCY_INFO_KEY)
    if claim is not None:
        claim.marking = False


event.listen(Session, "before_commit", _mark_before_commit)
event.listen(Session, "after_commit", _after_commit)
event.listen(Session, "after_rollback", _after_rollback)


# ---- the store: claim, store, release, purge (each its own short transaction) ---------------
class SqlIdempotencyStore:
    def __init__(self, engine: AsyncEngine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock

    def _insert(self, values: dict[str, Any]) -> Any:
        make = pg_insert if self._engine.dialect.name == "postgresql" else sqlite_insert
        table = idempotency_key_table
        return make(table).values(values).on_conflict_do_nothing(index_elements=[table.c.lookup])

    async def claim(self, *, caller: str, method: str, path: str, key: str, fingerprint: str) -> ClaimOutcome:
        lookup = scope_lookup(caller, method, path, key)
        table = idempotency_key_table
        for _ in range(3):  # a row deleted or taken over between two statements: look again
            now = self._clock.now()
            attempt = secrets.token_hex(16)
            fresh = {
                "fingerprint": fingerprint,
                "state": RUNNING,
                "attempt": attempt,
                "locked_at": now,
                "created_at": now,
                "expires_at": now + KEY_LIFETIME,
                "response_status": None,
                "response_headers": None,
                "response_body": None,
            }
            async with self._engine.begin() as conn:
                row_values = {"lookup": lookup, "caller": caller, "method": method, "path": path, "key": key, **fresh}
                inserted = await conn.execute(self._insert(row_values))
                if inserted.rowcount == 1:
                    return Proceed(Claim(lookup, attempt))
                row = (await conn.execute(select(table).where(table.c.lookup == lookup))).mappings().first()
                if row is None:
                    continue
                if row["expires_at"] <= now:  # expired but not purged yet: a new key
                    if await self._take(conn, lookup, row["attempt"], fresh, expired_before=now):
                        return Proceed(Claim(lookup, attempt))
                    continue
                if row["fingerprint"] != fingerprint:
                    return Mismatch()
                if row["state"] == COMPLETED:
                    headers = [(str(name), str(value)) for name, value in row["response_headers"] or []]
                    return Replay(StoredResponse(row["response_status"], headers, bytes(row["response_body"] or b"")))
                if row["state"] == COMMITTED:
                    return Spent()
                held_until = row["locked_at"] + RUNNING_LEASE
                if held_until > now:
                    return InProgress(max(1, min(5, int((held_until - now).total_seconds()))))
                # The attempt holding it never committed within its lease: it died, take over.
                if await self._take(conn, lookup, row["attempt"], {"attempt": attempt, "locked_at": now}):
                    return Proceed(Claim(lookup, attempt))
        return InProgress(1)

    @staticmethod
    async def _take(
        conn: AsyncConnection,
        lookup: str,
        previous_attempt: str,
        values: dict[str, Any],
        *,
        expired_before: datetime | None = None,
    ) -> bool:
        """Hand the key to a new attempt, if the one seen still holds it: an expired key whatever
        its state, otherwise a `running` one whose lease ran out."""
        table = idempotency_key_table
        condition = table.c.expires_at <= expired_before if expired_before is not None else table.c.state == RUNNING
        result = await conn.execute(
            update(table).where(table.c.lookup == lookup, table.c.attempt == previous_attempt, condition).values(values)
        )
        return result.rowcount == 1

    async def store(self, claim: Claim, response: StoredResponse) -> bool:
        """Keep the response of this attempt; False when the key is no longer this attempt's."""
        table = idempotency_key_table
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(table)
                .where(
                    table.c.lookup == claim.lookup,
                    table.c.attempt == claim.attempt,
                    table.c.state == (COMMITTED if claim.committed else RUNNING),
                )
                .values(
                    state=COMPLETED,
                    response_status=response.status,
                    response_headers=[list(h) for h in response.headers],
                    response_body=response.body,
                )
            )
        return result.rowcount == 1

    async def release(self, claim: Claim) -> None:
        """Give the key up (nothing was committed under it): a repeat runs afresh."""
        table = idempotency_key_table
        async with self._engine.begin() as conn:
            await conn.execute(
                delete(table).where(
                    table.c.lookup == claim.lookup, table.c.attempt == claim.attempt, table.c.state == RUNNING
                )
            )

    async def purge_expired(self, *, now: datetime | None = None) -> int:
        table = idempotency_key_table
        async with self._engine.begin() as conn:
            result = await conn.execute(delete(table).where(table.c.expires_at <= (now or self._clock.now())))
        return int(result.rowcount or 0)


def register_idempotency_tasks(broker: AsyncBroker, store: SqlIdempotencyStore) -> None:
    async def purge_idempotency_keys() -> int:
        purged = await store.purge_expired()
        if purged:
            logger.info("purged %d expired idempotency keys", purged)
        return purged

    # Hourly, sent by the one scheduler process: a key lives between 24 and 25 hours.
    broker.register_task(
        purge_idempotency_keys, task_name=PURGE_TASK, schedule=[{"cron": "41 * * * *"}], retry_on_error=True
    )
