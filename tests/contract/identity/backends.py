"""The identity unit of work on each backend: the only place the contract suites name the
adapters, so a moved module is one import to fix."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from nexuscore.identity.adapters.memory.store import IdentityState, InMemoryIdentityUnitOfWork, IntegrityViolation
from nexuscore.identity.adapters.sql.repositories import SqlIdentityUnitOfWork
from nexuscore.identity.domain.model import ActionPurpose, ActionToken, AuthSession, RefreshToken, User
from nexuscore.identity.ports.repositories import IdentityUnitOfWork
from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.ids import new_id
from tests.contract.conftest import Backend

# Microseconds on purpose: PostgreSQL keeps them, and the round trip must be exact.
T0 = datetime(2026, 3, 2, 9, 0, 0, 123456, tzinfo=UTC)

# What a store refuses that is a bug in the caller (a taken id or digest, a row of a missing parent).
REFUSED = (IntegrityError, IntegrityViolation)


class IdentityBackend:
    """Opens identity units of work over one backend's shared, committed state."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.clock = FixedClock(T0)
        self._state = IdentityState()

    @asynccontextmanager
    async def uow(self) -> AsyncIterator[IdentityUnitOfWork]:
        """A unit of work; whatever it has not committed is discarded when the block ends."""
        database = self.backend.database
        if database is None:
            yield InMemoryIdentityUnitOfWork(self._state)
            return
        async with database.sessions() as session:
            yield SqlIdentityUnitOfWork(session, self.clock)

    async def add_user(self, **changes: Any) -> User:
        user = make_user(**changes)
        async with self.uow() as uow:
            await uow.users.add(user)
            await uow.commit()
        return user

    async def add_session(self, user: User, **changes: Any) -> tuple[AuthSession, RefreshToken]:
        session, token = make_session(user, **changes)
        async with self.uow() as uow:
            await uow.sessions.add(session, token)
            await uow.commit()
        return session, token


def unique_email(name: str = "ann") -> str:
    """Emails are unique across the whole table: every test takes addresses of its own."""
    return f"{name}.{new_id().hex}@example.sg"


def make_user(**changes: Any) -> User:
    email = changes.pop("email", None) or unique_email()
    user = User.register(email=email, full_name="Ann Lee", password_hash="$argon2id$fake", now=T0)
    for name, value in changes.items():
        setattr(user, name, value)
    return user


def make_session(user: User, **changes: Any) -> tuple[AuthSession, RefreshToken]:
    values: dict[str, Any] = {"created_at": T0, "last_used_at": T0, "expires_at": T0 + timedelta(days=30)}
    values.update(changes)
    session = AuthSession(user_id=user.id, **values)
    return session, make_refresh_token(session)


def make_refresh_token(session: AuthSession, issued_at: datetime = T0) -> RefreshToken:
    return RefreshToken(
        session_id=session.id, digest=new_id().hex, issued_at=issued_at, expires_at=issued_at + timedelta(days=30)
    )


def make_action_token(user: User, purpose: ActionPurpose, **changes: Any) -> ActionToken:
    values: dict[str, Any] = {"created_at": T0, "expires_at": T0 + purpose.lifetime, "digest": new_id().hex}
    values.update(changes)
    return ActionToken(user_id=user.id, purpose=purpose, **values)
