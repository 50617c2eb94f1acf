"""The billing unit of work on each backend: the only place the billing contract suite names
the adapters. A customer is a billing profile saved through the subscriptions context on SQL,
a directory entry on the fake."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from uuid import UUID

from nexuscore.billing.adapters.memory.store import BillingState, InMemoryBillingUnitOfWork
from nexuscore.billing.adapters.sql.unit_of_work import SqlBillingUnitOfWork
from nexuscore.billing.domain.parties import BillingCustomer
from nexuscore.billing.ports.repositories import BillingUnitOfWork
from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.ids import new_id
from nexuscore.subscriptions.adapters.sql.unit_of_work import SqlSubscriptionsUnitOfWork
from nexuscore.subscriptions.domain.model import BillingProfile, OverseasEvidence
from tests.contract.conftest import Backend

NOW = datetime(2026, 8, 14, 2, 0, tzinfo=UTC)


class BillingBackend:
    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.clock = FixedClock(NOW)
        self._state = BillingState()

    @asynccontextmanager
    async def uow(self) -> AsyncIterator[BillingUnitOfWork]:
        database = self.backend.database
        if database is None:
            yield InMemoryBillingUnitOfWork(self._state)
            return
        async with database.sessions() as session:
            yield SqlBillingUnitOfWork(session, self.clock)

    async def customer(self, *, gst: str | None = "200312345A", overseas: bool = False) -> UUID:
        org = new_id()
        database = self.backend.database
        if database is None:
            self._state.customers[org] = BillingCustomer(
                org, "Kopi Tech Pte. Ltd.", ("8 Marina View",), "018960", "AU" if overseas else "SG",
                "accounts@kopi.example.sg", "200312345A", gst, overseas,
            )  # fmt: skip
            return org
        async with database.sessions() as session:
            subs = SqlSubscriptionsUnitOfWork(session, self.clock)
            await subs.bind_tenant(org)
            await subs.billing_profiles.save(
                BillingProfile(
                    org,
                    "Kopi Tech Pte. Ltd.",
                    "accounts@kopi.example.sg",
                    ("8 Marina View",),
                    "018960",
                    "AU" if overseas else "SG",
                    NOW,
                    "200312345A",
                    gst,
                    "AU" if overseas else None,
                    OverseasEvidence.BILLING_ADDRESS if overseas else None,
                )
            )
            await subs.commit()
        return org
