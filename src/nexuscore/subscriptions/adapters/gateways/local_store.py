"""Where the local gateway keeps its Stripe-shaped objects: a dict (tests) or a table, so a
restarted `just dev` still knows its customers and subscriptions. The gateway's side of the
world, outside our transactions: each write commits on a session of its own."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.subscriptions.adapters.sql.tables import LocalGatewayObjectRow


class LocalGatewayStore(Protocol):
    async def get(self, object_id: str) -> dict[str, Any] | None: ...

    async def put(self, object_id: str, kind: str, data: dict[str, Any], created_at: datetime) -> None: ...

    async def list_since(self, kind: str, since: datetime) -> Sequence[dict[str, Any]]:
        """Objects of one kind created at or after `since`, oldest first."""
        ...


class MemoryLocalGatewayStore:
    def __init__(self) -> None:
        self.objects: dict[str, tuple[str, dict[str, Any], datetime]] = {}

    async def get(self, object_id: str) -> dict[str, Any] | None:
        found = self.objects.get(object_id)
        return copy.deepcopy(found[1]) if found else None

    async def put(self, object_id: str, kind: str, data: dict[str, Any], created_at: datetime) -> None:
        before = self.objects.get(object_id)
        self.objects[object_id] = (kind, copy.deepcopy(data), before[2] if before else created_at)

    async def list_since(self, kind: str, since: datetime) -> Sequence[dict[str, Any]]:
        rows = [(at, data) for k, data, at in self.objects.values() if k == kind and at >= since]
        return [copy.deepcopy(d) for _, d in sorted(rows, key=lambda r: r[0])]


class SqlLocalGatewayStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def get(self, object_id: str) -> dict[str, Any] | None:
        async with self._sessions() as session:
            row = await session.get(LocalGatewayObjectRow, object_id)
            return copy.deepcopy(row.data) if row else None

    async def put(self, object_id: str, kind: str, data: dict[str, Any], created_at: datetime) -> None:
        async with self._sessions() as session:
            row = await session.get(LocalGatewayObjectRow, object_id)
            if row is None:
                session.add(LocalGatewayObjectRow(id=object_id, kind=kind, data=data, created_at=created_at))
            else:
                row.data = copy.deepcopy(data)
            await session.commit()

    async def list_since(self, kind: str, since: datetime) -> Sequence[dict[str, Any]]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(LocalGatewayObjectRow)
                .where(LocalGatewayObjectRow.kind == kind, LocalGatewayObjectRow.created_at >= since)
                .order_by(LocalGatewayObjectRow.created_at, LocalGatewayObjectRow.id)
            )
            return [copy.deepcopy(r.data) for r in rows]
