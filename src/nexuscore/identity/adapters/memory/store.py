"""In-memory fakes of the identity ports for unit tests of the use cases.

Writes are staged in the unit of work and applied on commit, so a use case that raises
before committing leaves the store unchanged, as the SQL adapter does. The repositories follow
the SQL adapter's semantics (tests/contract runs the same suites on both): a taken email or id
is a Conflict, `save` of a missing row does nothing, spending or using an unknown token fails,
and what the database would refuse (a taken id or digest, a row of a missing user or session)
raises IntegrityViolation.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from uuid import UUID

from nexuscore.identity.domain.model import ActionPurpose, ActionToken, AuthSession, RefreshToken, User
from nexuscore.kernel.errors import Conflict
from nexuscore.kernel.events import DomainEvent, EventRecord, as_record
from nexuscore.kernel.paging import Page, PageRequest


class IntegrityViolation(Exception):
    """What the database would refuse with an integrity error (a bug in the caller, not a domain error)."""


@dataclass
class IdentityState:
    users: dict[UUID, User] = field(default_factory=dict)
    sessions: dict[UUID, AuthSession] = field(default_factory=dict)
    refresh_tokens: dict[UUID, RefreshToken] = field(default_factory=dict)
    action_tokens: dict[UUID, ActionToken] = field(default_factory=dict)
    events: list[EventRecord] = field(default_factory=list)


class _Users:
    def __init__(self, state: IdentityState) -> None:
        self._st = state

    async def get(self, user_id: UUID) -> User | None:
        user = self._st.users.get(user_id)
        return None if user is None else replace(user)

    async def get_by_email(self, email: str) -> User | None:
        return next((replace(u) for u in self._st.users.values() if u.email == email), None)

    async def add(self, user: User) -> None:
        # The SQL adapter answers any unique violation (the email, or the id) with Conflict.
        if user.id in self._st.users or any(u.email == user.email for u in self._st.users.values()):
            raise Conflict("An account with this email already exists.")
        self._st.users[user.id] = replace(user)

    async def save(self, user: User) -> None:
        if user.id not in self._st.users:
            return  # an UPDATE of no row
        if any(u.email == user.email and u.id != user.id for u in self._st.users.values()):
            raise Conflict("Another account uses this email address.")
        self._st.users[user.id] = replace(user)


class _Sessions:
    def __init__(self, state: IdentityState) -> None:
        self._st = state

    async def add(self, session: AuthSession, token: RefreshToken) -> None:
        if session.id in self._st.sessions:
            raise IntegrityViolation(f"session {session.id} exists")
        if session.user_id not in self._st.users:
            raise IntegrityViolation(f"user {session.user_id} does not exist")
        self._st.sessions[session.id] = replace(session)
        await self.add_refresh_token(token)

    async def get(self, session_id: UUID) -> AuthSession | None:
        s = self._st.sessions.get(session_id)
        return None if s is None else replace(s)

    async def get_with_user(self, session_id: UUID) -> tuple[AuthSession, User] | None:
        s = self._st.sessions.get(session_id)
        u = self._st.users.get(s.user_id) if s else None
        return None if s is None or u is None else (replace(s), replace(u))

    async def list_active(self, user_id: UUID, now: datetime, page: PageRequest) -> Page[AuthSession]:
        found = [replace(s) for s in self._st.sessions.values() if s.user_id == user_id and s.active(now)]
        found.sort(key=lambda s: (s.last_used_at, s.id), reverse=True)
        items = found[page.offset : page.offset + page.limit]
        return Page(items=items, total=len(found), limit=page.limit, offset=page.offset)

    async def save(self, session: AuthSession) -> None:
        if session.id in self._st.sessions:  # else an UPDATE of no row
            self._st.sessions[session.id] = replace(session)

    async def revoke_all(self, user_id: UUID, now: datetime, reason: str, *, keep: UUID | None = None) -> int:
        count = 0
        for s in self._st.sessions.values():
            if s.user_id == user_id and s.revoked_at is None and s.id != keep:
                s.revoked_at, s.revoke_reason = now, reason
                count += 1
        return count

    async def find_refresh_token(self, digest: str) -> RefreshToken | None:
        return next((replace(t) for t in self._st.refresh_tokens.values() if t.digest == digest), None)

    async def spend_refresh_token(self, token_id: UUID, now: datetime) -> bool:
        token = self._st.refresh_tokens.get(token_id)
        if token is None or token.spent_at is not None:
            return False
        token.spent_at = now
        return True

    async def add_refresh_token(self, token: RefreshToken) -> None:
        if token.id in self._st.refresh_tokens or any(
            t.digest == token.digest for t in self._st.refresh_tokens.values()
        ):
            raise IntegrityViolation("a refresh token with this id or digest exists")
        if token.session_id not in self._st.sessions:
            raise IntegrityViolation(f"session {token.session_id} does not exist")
        self._st.refresh_tokens[token.id] = replace(token)


class _ActionTokens:
    def __init__(self, state: IdentityState) -> None:
        self._st = state

    async def add(self, token: ActionToken) -> None:
        if token.id in self._st.action_tokens or any(t.digest == token.digest for t in self._st.action_tokens.values()):
            raise IntegrityViolation("an action token with this id or digest exists")
        if token.user_id not in self._st.users:
            raise IntegrityViolation(f"user {token.user_id} does not exist")
        self._st.action_tokens[token.id] = replace(token)

    async def find(self, digest: str, purposes: Sequence[ActionPurpose]) -> ActionToken | None:
        return next(
            (replace(t) for t in self._st.action_tokens.values() if t.digest == digest and t.purpose in purposes),
            None,
        )

    async def use(self, token_id: UUID, now: datetime) -> bool:
        token = self._st.action_tokens.get(token_id)
        if token is None or token.used_at is not None:
            return False
        token.used_at = now
        return True

    async def invalidate(self, user_id: UUID, purpose: ActionPurpose, now: datetime) -> None:
        for t in self._st.action_tokens.values():
            if t.user_id == user_id and t.purpose is purpose and t.used_at is None:
                t.used_at = now


class _Events:
    def __init__(self, state: IdentityState) -> None:
        self._st = state

    async def append(self, *events: DomainEvent | EventRecord) -> None:
        self._st.events.extend(map(as_record, events))


class InMemoryIdentityUnitOfWork:
    """A unit of work over a shared committed state; changes are staged on a copy."""

    def __init__(self, committed: IdentityState) -> None:
        self.committed = committed
        self.commits = 0
        self._begin()

    def _begin(self) -> None:
        self._staged = copy.deepcopy(self.committed)
        self.users = _Users(self._staged)
        self.sessions = _Sessions(self._staged)
        self.action_tokens = _ActionTokens(self._staged)
        self.events = _Events(self._staged)

    async def commit(self) -> None:
        self.committed.__dict__.update(self._staged.__dict__)
        self.commits += 1
        self._begin()

    async def rollback(self) -> None:
        self._begin()
