"""SQL repositories and unit of work of the identity context."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast
from uuid import UUID

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.events.api import sql_event_recorder
from nexuscore.identity.adapters.sql.tables import ActionTokenRow, RefreshTokenRow, SessionRow, UserRow
from nexuscore.identity.domain.model import ActionPurpose, ActionToken, AuthSession, RefreshToken, User
from nexuscore.kernel.clock import Clock
from nexuscore.kernel.errors import Conflict
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.platform.database import unique_write_scope

_USER_FIELDS = (
    "email",
    "full_name",
    "password_hash",
    "locale",
    "is_staff",
    "is_active",
    "email_verified_at",
    "marketing_consent_at",
    "tokens_valid_after",
    "created_at",
    "updated_at",
)
_SESSION_FIELDS = (
    "user_id",
    "created_at",
    "last_used_at",
    "expires_at",
    "ip",
    "user_agent",
    "revoked_at",
    "revoke_reason",
)


_SESSION_T, _USER_T = cast(Table, SessionRow.__table__), cast(Table, UserRow.__table__)
_SESSION_WITH_USER = (
    select(_SESSION_T, _USER_T)
    .join(_USER_T, _USER_T.c.id == _SESSION_T.c.user_id)
    .where(_SESSION_T.c.id == bindparam("session_id"))
)


def _user(row: UserRow) -> User:
    return User(id=row.id, **{f: getattr(row, f) for f in _USER_FIELDS})


def _session(row: SessionRow) -> AuthSession:
    return AuthSession(id=row.id, **{f: getattr(row, f) for f in _SESSION_FIELDS})


class SqlUserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def get(self, user_id: UUID) -> User | None:
        row = await self._s.get(UserRow, user_id, populate_existing=True)
        return None if row is None else _user(row)

    async def get_by_email(self, email: str) -> User | None:
        row = await self._s.scalar(select(UserRow).where(UserRow.email == email))
        return None if row is None else _user(row)

    async def get_many(self, user_ids: Sequence[UUID]) -> dict[UUID, User]:
        if not user_ids:
            return {}
        rows = await self._s.scalars(select(UserRow).where(UserRow.id.in_(list(set(user_ids)))))
        return {row.id: _user(row) for row in rows}

    async def add(self, user: User) -> None:
        # The row is added inside the scope: begin_nested() flushes pending objects before its
        # SAVEPOINT, so a duplicate added outside it would abort the whole transaction.
        try:
            async with unique_write_scope(self._s):
                self._s.add(UserRow(id=user.id, **{f: getattr(user, f) for f in _USER_FIELDS}))
                await self._s.flush()
        except IntegrityError as exc:
            raise Conflict("An account with this email already exists.") from exc

    async def save(self, user: User) -> None:
        try:
            async with unique_write_scope(self._s):
                await self._s.execute(
                    update(UserRow).where(UserRow.id == user.id).values(**{f: getattr(user, f) for f in _USER_FIELDS})
                )
        except IntegrityError as exc:
            raise Conflict("Another account uses this email address.") from exc


class SqlSessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, session: AuthSession, token: RefreshToken) -> None:
        self._s.add(SessionRow(id=session.id, **{f: getattr(session, f) for f in _SESSION_FIELDS}))
        await self._s.flush()
        await self.add_refresh_token(token)

    async def get(self, session_id: UUID) -> AuthSession | None:
        row = await self._s.get(SessionRow, session_id, populate_existing=True)
        return None if row is None else _session(row)

    async def get_with_user(self, session_id: UUID) -> tuple[AuthSession, User] | None:
        # Every authenticated request runs this: a Core statement built once, its row read into
        # the domain objects directly (no ORM instances, identity map or loading events).
        row = (await self._s.execute(_SESSION_WITH_USER, {"session_id": session_id})).first()
        if row is None:
            return None
        found = row._mapping
        session = AuthSession(id=found[_SESSION_T.c.id], **{f: found[_SESSION_T.c[f]] for f in _SESSION_FIELDS})
        return session, User(id=found[_USER_T.c.id], **{f: found[_USER_T.c[f]] for f in _USER_FIELDS})

    async def list_active(self, user_id: UUID, now: datetime, page: PageRequest) -> Page[AuthSession]:
        where = (SessionRow.user_id == user_id, SessionRow.revoked_at.is_(None), SessionRow.expires_at > now)
        rows = await self._s.scalars(
            select(SessionRow)
            .where(*where)
            .order_by(SessionRow.last_used_at.desc(), SessionRow.id.desc())
            .limit(page.limit)
            .offset(page.offset)
        )
        items = [_session(r) for r in rows]
        if (items and len(items) < page.limit) or (not items and page.offset == 0):
            total = page.offset + len(items)  # the last page: no count needed
        else:
            total = int(await self._s.scalar(select(func.count()).select_from(SessionRow).where(*where)) or 0)
        return Page(items=items, total=total, limit=page.limit, offset=page.offset)

    async def save(self, session: AuthSession) -> None:
        await self._s.execute(
            update(SessionRow)
            .where(SessionRow.id == session.id)
            .values(**{f: getattr(session, f) for f in _SESSION_FIELDS})
        )

    async def revoke_all(self, user_id: UUID, now: datetime, reason: str, *, keep: UUID | None = None) -> int:
        stmt = update(SessionRow).where(SessionRow.user_id == user_id, SessionRow.revoked_at.is_(None))
        if keep is not None:
            stmt = stmt.where(SessionRow.id != keep)
        result = await self._s.execute(stmt.values(revoked_at=now, revoke_reason=reason))
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def find_refresh_token(self, digest: str) -> RefreshToken | None:
        row = await self._s.scalar(select(RefreshTokenRow).where(RefreshTokenRow.digest == digest))
        if row is None:
            return None
        return RefreshToken(
            id=row.id,
            session_id=row.session_id,
            digest=row.digest,
            issued_at=row.issued_at,
            expires_at=row.expires_at,
            spent_at=row.spent_at,
        )

    async def spend_refresh_token(self, token_id: UUID, now: datetime) -> bool:
        # Conditional update: of two concurrent refreshes with one token, exactly one wins.
        result = await self._s.execute(
            update(RefreshTokenRow)
            .where(RefreshTokenRow.id == token_id, RefreshTokenRow.spent_at.is_(None))
            .values(spent_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def add_refresh_token(self, token: RefreshToken) -> None:
        self._s.add(
            RefreshTokenRow(
                id=token.id,
                session_id=token.session_id,
                digest=token.digest,
                issued_at=token.issued_at,
                expires_at=token.expires_at,
                spent_at=token.spent_at,
            )
        )
        await self._s.flush()


class SqlActionTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, token: ActionToken) -> None:
        self._s.add(
            ActionTokenRow(
                id=token.id,
                user_id=token.user_id,
                purpose=token.purpose.value,
                digest=token.digest,
                new_email=token.new_email,
                created_at=token.created_at,
                expires_at=token.expires_at,
                used_at=token.used_at,
            )
        )
        await self._s.flush()

    async def find(self, digest: str, purposes: Sequence[ActionPurpose]) -> ActionToken | None:
        row = await self._s.scalar(
            select(ActionTokenRow).where(
                ActionTokenRow.digest == digest, ActionTokenRow.purpose.in_([p.value for p in purposes])
            )
        )
        if row is None:
            return None
        return ActionToken(
            id=row.id,
            user_id=row.user_id,
            purpose=ActionPurpose(row.purpose),
            digest=row.digest,
            new_email=row.new_email,
            created_at=row.created_at,
            expires_at=row.expires_at,
            used_at=row.used_at,
        )

    async def use(self, token_id: UUID, now: datetime) -> bool:
        result = await self._s.execute(
            update(ActionTokenRow)
            .where(ActionTokenRow.id == token_id, ActionTokenRow.used_at.is_(None))
            .values(used_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def invalidate(self, user_id: UUID, purpose: ActionPurpose, now: datetime) -> None:
        await self._s.execute(
            update(ActionTokenRow)
            .where(
                ActionTokenRow.user_id == user_id,
                ActionTokenRow.purpose == purpose.value,
                ActionTokenRow.used_at.is_(None),
            )
            .values(used_at=now)
        )


class SqlIdentityUnitOfWork:
    """All identity repositories on one session: one transaction, committed explicitly."""

    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self.session = session
        self.users = SqlUserRepository(session)
        self.sessions = SqlSessionRepository(session)
        self.action_tokens = SqlActionTokenRepository(session)
        self.events = sql_event_recorder(session, clock)

    async def commit(self) -> None:
        try:
            await self.session.commit()
        except IntegrityError as exc:
            await self.session.rollback()
            raise Conflict("The change conflicts with existing data.") from exc

    async def rollback(self) -> None:
        await self.session.rollback()
