"""Security ports: password hashing and access tokens."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID


class HashingTurn(Protocol):
    """Hashing work done on a place already reserved: it does not queue again."""

    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str, password: str) -> bool: ...

    async def verify_dummy(self, password: str) -> None: ...


class PasswordHasher(Protocol):
    def reserve(self) -> AbstractAsyncContextManager[HashingTurn]:
        """Wait for a place in the bounded hashing queue and hold it for the block.

        A caller that must read the database before hashing (sign-in) reserves first, so a
        storm of requests queues here holding nothing, rather than each taking a database
        connection and emptying the pool for everyone else.
        """
        ...

    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str, password: str) -> bool: ...

    async def verify_dummy(self, password: str) -> None:
        """Spend the same work as verify() when there is no user, so timing reveals nothing."""
        ...

    def needs_rehash(self, password_hash: str) -> bool: ...


@dataclass(frozen=True)
class AccessClaims:
    user_id: UUID
    session_id: UUID
    issued_at: datetime
    expires_at: datetime
    token_id: str


class AccessTokens(Protocol):
    lifetime_seconds: int

    def issue(self, user_id: UUID, session_id: UUID, now: datetime) -> str: ...

    def decode(self, token: str) -> AccessClaims:
        """Raise kernel AuthenticationRequired for any token that is not valid now."""
        ...
