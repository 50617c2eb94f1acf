"""The GST report of a quarter (staff)."""

from __future__ import annotations

from nexuscore.billing.domain.gst_report import GstReport, Quarter, build_gst_report
from nexuscore.billing.domain.permissions import require_staff
from nexuscore.billing.ports.repositories import BillingUnitOfWork


async def gst_report(uow: BillingUnitOfWork, *, is_staff: bool, period: str) -> GstReport:
    require_staff(is_staff)
    quarter = Quarter.parse(period)
    await uow.bind_system()
    invoices = await uow.invoices.finalised_between(quarter.first_day, quarter.last_day)
    notes = await uow.credit_notes.issued_between(quarter.first_day, quarter.last_day)
    return build_gst_report(quarter, invoices, notes)
