"""Invoice numbers on PostgreSQL (the application's role, row-level security on): concurrent
finalisations take 1..N with no gap and no duplicate, and a finalisation that fails after
taking its number gives it back."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from uuid import UUID

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.billing.adapters.sql.unit_of_work import SqlBillingUnitOfWork
from nexuscore.billing.application import invoices
from nexuscore.billing.application.common import DraftChanges, DraftInput, LineInput
from nexuscore.billing.application.services import BillingServices
from nexuscore.billing.domain.parties import Supplier
from nexuscore.billing.ports.repositories import StaleInvoice
from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.ids import new_id
from nexuscore.platform.database import create_engine, session_maker
from nexuscore.platform.mail import RecordingMailer
from nexuscore.subscriptions.adapters.sql.unit_of_work import SqlSubscriptionsUnitOfWork
from nexuscore.subscriptions.domain.model import BillingProfile

NOW = datetime(2026, 8, 14, 2, 0, tzinfo=UTC)
SUPPLIER = Supplier("NexusCore Pte. Ltd.", ("1 Raffles Place",), "048616", "202612345A", "202612345A")
CONCURRENT = 50


class _NoRenderer:
    def pdf(self, document: object) -> bytes:
        raise AssertionError("not rendered here")

    einvoice = pdf


@pytest.fixture
async def sessions(app_postgres_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(app_postgres_url, pool_size=10)
    try:
        yield session_maker(engine)
    finally:
        await engine.dispose()


@pytest.fixture
def services() -> BillingServices:
    return BillingServices(FixedClock(NOW), SUPPLIER, _NoRenderer(), RecordingMailer())  # type: ignore[arg-type]


async def _customer(sessions: async_sessionmaker[AsyncSession]) -> UUID:
    org = new_id()
    async with sessions() as session:
        subs = SqlSubscriptionsUnitOfWork(session, FixedClock(NOW))
        await subs.bind_tenant(org)
        await subs.billing_profiles.save(
            BillingProfile(
                org, "Kopi Tech", "a@kopi.example.sg", ("8 Marina View",), "018960", "SG", NOW, None, "200312345A"
            )
        )
        await subs.commit()
    return org


async def _drafts(
    sessions: async_sessionmaker[AsyncSession], services: BillingServices, org: UUID, n: int
) -> list[UUID]:
    ids = []
    for _ in range(n):
        async with sessions() as session:
            draft = await invoices.create_draft(
                SqlBillingUnitOfWork(session, services.clock), services, is_staff=True, actor_id=new_id(),
                data=DraftInput(org, "SGD", (LineInput("Licence", "1", 10_000, "SR"),)),
            )  # fmt: skip
        ids.append(draft.id)
    return ids


async def test_concurrent_finalisations_take_1_to_n(
    sessions: async_sessionmaker[AsyncSession], services: BillingServices
) -> None:
    org = await _customer(sessions)
    ids = await _drafts(sessions, services, org, CONCURRENT)

    async def finalise(invoice_id: UUID) -> str:
        async with sessions() as session:
            done = await invoices.finalize_invoice(
                SqlBillingUnitOfWork(session, services.clock), services, is_staff=True, actor_id=new_id(),
                invoice_id=invoice_id,
            )  # fmt: skip
        assert done.number is not None
        return done.number

    numbers = await asyncio.gather(*(finalise(i) for i in ids))
    assert sorted(numbers) == [f"INV-2026-{n:06d}" for n in range(1, CONCURRENT + 1)]


async def test_a_finalisation_that_fails_after_taking_a_number_gives_it_back(
    sessions: async_sessionmaker[AsyncSession], services: BillingServices
) -> None:
    org = await _customer(sessions)
    first, second = await _drafts(sessions, services, org, 2)
    async with sessions() as stale_session, sessions() as other_session:
        stale_uow = SqlBillingUnitOfWork(stale_session, services.clock)
        await stale_uow.bind_system()
        stale = await stale_uow.invoices.get(first)  # read, not locked
        assert stale is not None
        await stale_uow.commit()
        other = SqlBillingUnitOfWork(other_session, services.clock)
        await invoices.edit_draft(
            other, services, is_staff=True, invoice_id=first, changes=DraftChanges(notes="changed meanwhile")
        )
        await stale_uow.bind_system()
        event = await invoices.finalise(stale_uow, services, stale, now=NOW, issue_date=date(2026, 8, 14))
        assert event.number == "INV-2026-000001"  # taken...
        with pytest.raises(StaleInvoice):  # ...then the save fails: the draft moved meanwhile
            await stale_uow.invoices.save(stale)
        await stale_uow.rollback()
    async with sessions() as session:
        done = await invoices.finalize_invoice(
            SqlBillingUnitOfWork(session, services.clock), services, is_staff=True, actor_id=new_id(), invoice_id=second
        )
    assert done.number == "INV-2026-000001"  # given back with the rollback: no gap
