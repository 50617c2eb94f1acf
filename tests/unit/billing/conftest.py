"""The billing core on its in-memory fakes, a clock the tests hold and a recording mailer."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

import pytest

from nexuscore.billing.adapters.memory.store import BillingState, InMemoryBillingUnitOfWork
from nexuscore.billing.application import invoices
from nexuscore.billing.application.common import DraftInput, LineInput
from nexuscore.billing.application.services import BillingServices
from nexuscore.billing.domain.documents import TaxDocument
from nexuscore.billing.domain.model import Invoice
from nexuscore.billing.domain.parties import BillingCustomer, Supplier
from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.ids import new_id
from nexuscore.kernel.singapore import SINGAPORE_GST_RATES, GstRateTable
from nexuscore.platform.mail import RecordingMailer

NOW = datetime(2026, 8, 14, 2, 0, tzinfo=UTC)  # 10:00 in Singapore, 2026Q3
SUPPLIER = Supplier(
    name="NexusCore Pte. Ltd.",
    address_lines=("1 Raffles Place, #20-01",),
    postal_code="048616",
    uen="202612345A",
    gst_registration_number="202612345A",
)


class RecordingRenderer:
    """The renderer port's fake: what it was asked to render, and marked bytes back."""

    def __init__(self) -> None:
        self.rendered: list[TaxDocument] = []

    def pdf(self, document: TaxDocument) -> bytes:
        self.rendered.append(document)
        return b"%PDF-fake " + document.number.encode()

    def einvoice(self, document: TaxDocument) -> bytes:
        self.rendered.append(document)
        return b"<Invoice>" + document.number.encode() + b"</Invoice>"


class World:
    def __init__(self, *, supplier: Supplier = SUPPLIER, rates: GstRateTable = SINGAPORE_GST_RATES) -> None:
        self.clock = FixedClock(NOW)
        self.state = BillingState()
        self.mailer = RecordingMailer()
        self.renderer = RecordingRenderer()
        self.services = BillingServices(self.clock, supplier, self.renderer, self.mailer, rates=rates)
        self.staff = new_id()
        self.org = self.add_customer()

    def add_customer(self, *, gst: str | None = "200312345A", overseas: bool = False, country: str = "SG") -> UUID:
        org = new_id()
        self.state.customers[org] = BillingCustomer(
            organization_id=org,
            name="Kopi Tech Pte. Ltd.",
            address_lines=("8 Marina View, #10-01",),
            postal_code="018960",
            country=country,
            email="accounts@kopi.example.sg",
            uen="200312345A",
            gst_registration_number=gst,
            overseas_evidence=overseas,
        )
        return org

    def uow(self) -> InMemoryBillingUnitOfWork:
        return InMemoryBillingUnitOfWork(self.state)

    def event_types(self) -> list[str]:
        return [e.type for e in self.state.events]

    async def draft(
        self,
        *lines: tuple[str, str, int, str],
        org: UUID | None = None,
        currency: str = "SGD",
        exchange_rate: str | None = None,
        due_days: int | None = 30,
    ) -> Invoice:
        data = DraftInput(
            org or self.org,
            currency,
            tuple(LineInput(d, q, a, c) for d, q, a, c in lines) or (LineInput("Consulting", "1", 10_000, "SR"),),
            due_days=due_days,
            exchange_rate=exchange_rate,
        )
        return await invoices.create_draft(self.uow(), self.services, is_staff=True, actor_id=self.staff, data=data)

    async def finalised(self, *lines: tuple[str, str, int, str], **kw: object) -> Invoice:
        draft = await self.draft(*lines, **kw)  # type: ignore[arg-type]
        return await invoices.finalize_invoice(
            self.uow(), self.services, is_staff=True, actor_id=self.staff, invoice_id=draft.id
        )


@pytest.fixture
def world() -> World:
    return World()


RATE_9 = Decimal("0.09")
