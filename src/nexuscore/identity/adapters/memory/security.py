"""Fast fakes of the security ports for unit tests (real Argon2 is tested in integration)."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class PlainTestHasher:
    """Deterministic, cheap and obviously not for production: `fake$<version>$<sha256>`."""

    def __init__(self, version: int = 1) -> None:
        self.version = version
        self.dummy_calls = 0
        self.reserved = 0  # places currently held, so tests can see what ran inside one

    @asynccontextmanager
    async def reserve(self) -> AsyncIterator[PlainTestHasher]:
        self.reserved += 1
        try:
            yield self
        finally:
            self.reserved -= 1

    async def hash(self, password: str) -> str:
        return f"fake${self.version}${hashlib.sha256(password.encode()).hexdigest()}"

    async def verify(self, password_hash: str, password: str) -> bool:
        _, _, digest = password_hash.rpartition("$")
        return digest == hashlib.sha256(password.encode()).hexdigest()

    async def verify_dummy(self, password: str) -> None:
        self.dummy_calls += 1

    def needs_rehash(self, password_hash: str) -> bool:
        return not password_hash.startswith(f"fake${self.version}$")
