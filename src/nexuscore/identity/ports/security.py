"""Security ports: password hashing and access tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID


class PasswordHasher(Protocol):
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
