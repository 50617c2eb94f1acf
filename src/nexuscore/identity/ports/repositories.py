"""Storage ports of the identity context and the unit of work that groups them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

from nexuscore.identity.domain.model import ActionPurpose, ActionToken, AuthSession, RefreshToken, User
from nexuscore.kernel.events import EventRecorder
from nexuscore.kernel.paging import Page, PageRequest


class UserRepository(Protocol):
    async def get(self, user_id: UUID) -> User | None: ...

    async def get_by_email(self, email: str) -> User | None: ...

    async def add(self, user: User) -> None:
        """Raises kernel Conflict when the email is taken (also under a concurrent insert)."""
        ...

    async def save(self, user: User) -> None:
        """Persist changes to an existing user; Conflict when a changed email is taken."""
        ...


class SessionRepository(Protocol):
    async def add(self, session: AuthSession, token: RefreshToken) -> None: ...

    async def get(self, session_id: UUID) -> AuthSession | None: ...

    async def get_with_user(self, session_id: UUID) -> tuple[AuthSession, User] | None:
        """The session and its user in one read (every authenticated request needs both)."""
        ...

    async def list_active(self, user_id: UUID, now: datetime, page: PageRequest) -> Page[AuthSession]:
        """The user's active sessions, most recently used first."""
        ...

    async def save(self, session: AuthSession) -> None: ...

    async def revoke_all(self, user_id: UUID, now: datetime, reason: str, *, keep: UUID | None = None) -> int:
        """Revoke every active session of the user but `keep`; return how many."""
        ...

    async def find_refresh_token(self, digest: str) -> RefreshToken | None: ...

    async def spend_refresh_token(self, token_id: UUID, now: datetime) -> bool:
        """Mark the token spent if it was not; False when it already was (a concurrent use)."""
        ...

    async def add_refresh_token(self, token: RefreshToken) -> None: ...


class ActionTokenRepository(Protocol):
    async def add(self, token: ActionToken) -> None: ...

    async def find(self, digest: str, purposes: Sequence[ActionPurpose]) -> ActionToken | None: ...

    async def use(self, token_id: UUID, now: datetime) -> bool:
        """Mark used if unused; False when already used (single use under concurrency)."""
        ...

    async def invalidate(self, user_id: UUID, purpose: ActionPurpose, now: datetime) -> None:
        """Spend every outstanding token of that purpose (a newer one supersedes them)."""
        ...


class IdentityUnitOfWork(Protocol):
    # Read-only members, so adapters may expose their concrete repository types.
    @property
    def users(self) -> UserRepository: ...

    @property
    def sessions(self) -> SessionRepository: ...

    @property
    def action_tokens(self) -> ActionTokenRepository: ...

    @property
    def events(self) -> EventRecorder: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...
