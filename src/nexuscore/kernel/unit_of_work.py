"""UnitOfWork port: one transaction around a use case; nothing is kept unless it commits."""

from __future__ import annotations

from typing import Protocol


class UnitOfWork(Protocol):
    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...
