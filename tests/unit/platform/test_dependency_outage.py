"""Which errors are a backing service's outage (503 with Retry-After) and which are bugs (500)."""

from __future__ import annotations

import socket
import sqlite3

import asyncpg
import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError, ProgrammingError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from nexuscore.platform.http.problems import dependency_outage


def _wrapped(cls: type, orig: BaseException, *, invalidated: bool = False) -> BaseException:
    """What SQLAlchemy raises: its own error with the driver's as `orig` and as the cause."""
    try:
        raise orig
    except BaseException as cause:
        try:
            raise cls("SELECT 1", {}, cause, connection_invalidated=invalidated) from cause
        except BaseException as exc:
            return exc
    raise AssertionError("unreachable")


@pytest.mark.parametrize(
    "exc",
    [
        ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)"),  # asyncpg, server stopped
        socket.gaierror(-2, "Name or service not known"),
        OSError(113, "No route to host"),
        TimeoutError(),  # connect timeout
        asyncpg.CannotConnectNowError("the database system is starting up"),
        asyncpg.TooManyConnectionsError("sorry, too many clients already"),
        asyncpg.AdminShutdownError("terminating connection due to administrator command"),
        asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        _wrapped(OperationalError, asyncpg.CannotConnectNowError("the database system is shutting down")),
        _wrapped(InterfaceError, Exception("connection is closed"), invalidated=True),
        _wrapped(OperationalError, ConnectionResetError(104, "Connection reset by peer")),
        PoolTimeoutError("QueuePool limit of size 10 overflow 10 reached, connection timed out"),
        RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused."),
        # A database closed to connections (ALLOW_CONNECTIONS false) while it is restored or moved.
        asyncpg.ObjectNotInPrerequisiteStateError('database "app" is not currently accepting connections'),
    ],
    ids=lambda e: type(e).__name__,
)
def test_outages_are_503(exc: BaseException) -> None:
    assert dependency_outage(exc)


@pytest.mark.parametrize(
    "exc",
    [
        _wrapped(ProgrammingError, asyncpg.UndefinedTableError('relation "nope" does not exist')),
        _wrapped(IntegrityError, asyncpg.UniqueViolationError("duplicate key value")),
        _wrapped(OperationalError, sqlite3.OperationalError("no such table: identity_user")),
        asyncpg.InvalidCatalogNameError('database "nowhere" does not exist'),  # configuration, not outage
        FileNotFoundError(2, "No such file or directory"),
        # The same SQLSTATE (55000) for anything else is a bug in the caller.
        _wrapped(OperationalError, asyncpg.ObjectNotInPrerequisiteStateError("cursor is not open")),
        ValueError("a bug"),
        RuntimeError("a bug"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_bugs_stay_500(exc: BaseException) -> None:
    assert not dependency_outage(exc)
