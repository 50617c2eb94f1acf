"""Database plumbing shared by every context's SQL adapters: metadata, engine, sessions."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager, nullcontext
from typing import Any
from uuid import UUID

import msgspec
from advanced_alchemy.extensions.litestar import (
    AlembicAsyncConfig,
    AsyncSessionConfig,
    SQLAlchemyAsyncConfig,
)
from litestar.config.app import AppConfig
from litestar.datastructures import State
from litestar.plugins import InitPluginProtocol
from litestar.types import Message, Scope
from sqlalchemy import MetaData, event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, ORMExecuteState, Session

# Stable constraint names make migrations reviewable and reversible on every engine.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Base(DeclarativeBase):
    """Declarative base of every table. Each context's tables carry its name as a prefix."""

    metadata = metadata


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run beside the one writer; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _discard_if_closed(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """At checkout, give up a pooled connection whose server end is gone; the pool opens another.

    In place of `pool_pre_ping`, which with asyncpg costs three round trips (BEGIN, a query,
    ROLLBACK) on every checkout, a third of a short request's time. A server restart, a
    terminated backend or an idle timeout closes the socket, and asyncpg marks the connection
    closed as soon as the event loop sees it: no round trip needed to know.
    """
    driver_connection = getattr(dbapi_connection, "driver_connection", None)
    if driver_connection is not None and driver_connection.is_closed():
        raise DisconnectionError("the database closed this pooled connection")


def prepare_engine(engine: AsyncEngine) -> AsyncEngine:
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    elif engine.dialect.driver == "asyncpg":
        event.listen(engine.sync_engine, "checkout", _discard_if_closed)
    return engine


# Session settings of every PostgreSQL connection (see create_engine; benches replay with them).
POSTGRES_SERVER_SETTINGS: dict[str, str] = {"plan_cache_mode": "force_custom_plan"}


def create_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    kwargs: dict[str, Any]
    if is_sqlite(url):
        kwargs = {"connect_args": {"timeout": 30}}
    else:
        # Liveness is checked at checkout without a round trip (_discard_if_closed); recycling
        # bounds how long a connection can sit behind a silently dropped network path.
        kwargs = {"pool_size": pool_size, "max_overflow": pool_size, "pool_recycle": 1800}
        # json/jsonb values decoded in one C call rather than json.loads' three Python frames
        # (a list page decodes one per lead). PostgreSQL only stores valid JSON, which both read alike.
        kwargs["json_deserializer"] = msgspec.json.decode
        if make_url(url).drivername.endswith("+asyncpg"):
            # asyncpg prepares every statement; after five runs PostgreSQL may switch to a generic
            # plan that cannot see the parameters. A lead list's plan hangs on them (this owner's
            # follow-ups, this tag, this tenant's size): the generic one walked whole tenants
            # (tag search 56 ms of SQL, 16 ms with custom plans; bench/README.md). Planning
            # these statements anew costs far less than one such walk.
            kwargs["connect_args"] = {"server_settings": dict(POSTGRES_SERVER_SETTINGS)}
    return prepare_engine(create_async_engine(url, **kwargs))


# ---- Row-level security scope (PostgreSQL) ------------------------------------------------
# Policies on tenant tables read these settings. They are set with set_config(..., true),
# so they live only as long as the current transaction: a pooled connection carries nothing
# of one request's tenant into the next.
RLS_INFO_KEY = "nexuscore.rls"
_RLS_SQL = text(
    "SELECT set_config('app.current_org', :org, true), "
    "set_config('app.current_user', :user, true), "
    "set_config('app.system', :system, true)"
)


def _rls_params(scope: dict[str, Any]) -> dict[str, str]:
    return {
        "org": str(scope.get("org") or ""),
        "user": str(scope.get("user") or ""),
        "system": "on" if scope.get("system") else "off",
    }


_PENDING = "pending"  # scope key: recorded in a transaction, not applied yet (bind_rls_scope(defer=True))


def _apply_rls_on_begin(session: Session, _transaction: Any, connection: Connection) -> None:
    scope = session.info.get(RLS_INFO_KEY)
    if scope and connection.dialect.name == "postgresql":
        scope.pop(_PENDING, None)
        connection.execute(_RLS_SQL, _rls_params(scope))


def _apply_pending_rls(session: Session) -> None:
    scope = session.info.get(RLS_INFO_KEY)
    if scope and scope.pop(_PENDING, False) and session.in_transaction():
        session.connection().execute(_RLS_SQL, _rls_params(scope))


def _apply_pending_rls_before_execute(state: ORMExecuteState) -> None:
    _apply_pending_rls(state.session)


def _apply_pending_rls_before_flush(session: Session, _flush_context: Any, _instances: Any) -> None:
    _apply_pending_rls(session)


event.listen(Session, "after_begin", _apply_rls_on_begin)
# A deferred scope is applied before the session's next statement or flush at the latest.
event.listen(Session, "do_orm_execute", _apply_pending_rls_before_execute)
event.listen(Session, "before_flush", _apply_pending_rls_before_flush)


async def bind_rls_scope(
    session: AsyncSession,
    *,
    org_id: UUID | None = None,
    user_id: UUID | None = None,
    system: bool | None = None,
    defer: bool = False,
) -> None:
    """Scope what this session may see on PostgreSQL: a tenant, a user, or the trusted system.

    Applies to the transaction in progress at once and to every later one of the session.
    Unset arguments keep their current value. A no-op on SQLite (repository scoping alone).
    `defer=True` inside a transaction records the scope without a statement of its own: the
    next bind applies both in one, or else the session's next statement or flush does first
    (a tenant request binds its user, then its organisation: one round trip, not two).
    """
    scope: dict[str, Any] = session.info.setdefault(RLS_INFO_KEY, {})
    if org_id is not None:
        scope["org"] = org_id
    if user_id is not None:
        scope["user"] = user_id
    if system is not None:
        scope["system"] = system
    if session.in_transaction() and session.get_bind().dialect.name == "postgresql":
        if defer:
            scope[_PENDING] = True
        else:
            scope.pop(_PENDING, None)
            await session.execute(_RLS_SQL, _rls_params(scope))


def unique_write_scope(session: AsyncSession) -> AbstractAsyncContextManager[object]:
    """Where a write that may hit a unique index runs, so its IntegrityError can be answered.

    A SAVEPOINT on PostgreSQL, where a failed statement aborts the whole transaction. None on
    SQLite: it backs out only the failed statement, and a SAVEPOINT opened before the driver's
    implicit BEGIN (no write yet in the transaction) becomes the outermost transaction, whose
    RELEASE commits the use case's writes before the use case has decided to.
    """
    return session.begin_nested() if session.get_bind().dialect.name == "postgresql" else nullcontext()


def session_maker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


# The idempotency claim of the request being served, put in the ASGI scope's state by the
# idempotency middleware and copied onto the request's session when the session is made, so the
# session's commit can write the key's mark in the same transaction (platform.idempotency).
IDEMPOTENCY_INFO_KEY = "nexuscore.idempotency"


_SESSION_OPENED = "nexuscore.request_session_opened"  # in the request's scope state


class RequestSessionConfig(SQLAlchemyAsyncConfig):
    """advanced-alchemy's config, whose request session carries the request's idempotency claim.

    Only the session made for the request gets it: a task or a second session started from the
    request (another context, the in-process broker) never writes the key's mark.
    """

    def provide_session(self, state: State, scope: Scope) -> AsyncSession:
        session = super().provide_session(state, scope)
        request_state = scope["state"]
        request_state[_SESSION_OPENED] = True  # for SessionClosedByRequestContext.closing
        claim = request_state.get(IDEMPOTENCY_INFO_KEY)
        if claim is not None:
            session.info.setdefault(IDEMPOTENCY_INFO_KEY, claim)
        return session


def sqlalchemy_config(engine: AsyncEngine) -> SQLAlchemyAsyncConfig:
    """advanced-alchemy config around an engine we built: one session per request, no autocommit.

    Use cases commit explicitly through their unit of work; anything uncommitted when the
    request ends is rolled back by the plugin closing the session.
    """
    return RequestSessionConfig(
        engine_instance=engine,
        session_config=AsyncSessionConfig(expire_on_commit=False, autoflush=False),
        alembic_config=AlembicAsyncConfig(script_location="alembic"),
        create_all=False,
        set_default_exception_handler=False,
    )


class SessionClosedByRequestContext(InitPluginProtocol):
    """Takes advanced-alchemy's session closer out of Litestar's before-send hooks; the
    request-context middleware calls it instead (`closing`, given as `request_context_middleware(close_session=)`).

    Why: a before-send hook makes Litestar wrap every message of every request in two more
    calls, about 11,000 CPU instructions per request (3 % of a `GET /health/live`), only for the
    closer to find no session on most messages. The middleware already intercepts the response
    start, where the closer acts. List it after the SQLAlchemyInitPlugin whose config it names
    (not after a SQLAlchemyPlugin, which adds that plugin behind every other).
    """

    def __init__(self, config: SQLAlchemyAsyncConfig) -> None:
        closer = config.before_send_handler  # resolved to a callable by the config's __post_init__
        if not inspect.iscoroutinefunction(closer):
            raise TypeError(f"expected advanced-alchemy's async session closer, got {closer!r}")
        self._close_session: Callable[[Message, Scope], Awaitable[None]] = closer

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        app_config.before_send.remove(self._close_session)  # ValueError if the plugin stops adding it
        return app_config

    def closing(self, message: Message, scope: Scope) -> Awaitable[None] | None:
        """The closer's run, to await, if this request opened a session and it is not closed yet;
        None otherwise, so a request without one (a health probe) awaits nothing."""
        if not scope["state"].pop(_SESSION_OPENED, False):
            return None
        return self._close_session(message, scope)
