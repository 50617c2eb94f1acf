"""The billing context behind the inbox's invoice port, through `billing.api` only.

- `BillingContextSync`: an `invoice.*` or `credit_note.created` document's Stripe object (`raw`)
  is read by billing's own parser and applied by its use case (`sync_gateway_invoice`,
  `sync_gateway_credit_note`), observed at the event's `created`. Outcomes map to the inbox's:
  applied → applied; already (a redelivery) → unchanged; ignored (a late event that would move
  a paid or void invoice backwards) → stale. The gateway it refetches through (a `paid` before
  the `finalized`, the customer's organisation, the settlement's exchange rate) is billing's own
  Stripe gateway.
- Not ours (a customer without our organisation, an invoice still a draft) or unreadable:
  `NotApplicable`, so the event ends `ignored` with the reason, never retried. A foreign-currency
  invoice whose exchange rate is not settled yet fails and is retried with the inbox's backoff.
- Two first deliveries of one invoice at once (`finalized` twice, or `finalized` and `paid`):
  one insert of the gateway invoice id wins; the loser's transaction (its invoice number with
  it) rolls back, and it is run once more on a fresh session, where it meets the winner's
  invoice through the aggregate's guard.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.billing import api as billing
from nexuscore.webhooks.ports.targets import GatewayDocument, InvoiceChange, NotApplicable, SyncOutcome

logger = logging.getLogger(__name__)

_OUTCOMES = {
    billing.Applied.APPLIED: SyncOutcome.APPLIED,
    billing.Applied.ALREADY: SyncOutcome.UNCHANGED,
    billing.Applied.IGNORED: SyncOutcome.STALE,
}


class BillingContextSync:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        services: billing.BillingServices,
        gateway: billing.InvoiceGateway,
    ) -> None:
        self._sessions = sessions
        self._services = services
        self._gateway = gateway

    def _checked(self, document: GatewayDocument) -> billing.InvoiceGateway:
        if document.provider != "stripe" or not document.raw:
            raise NotApplicable(f"no {document.provider} document to read")
        return self._gateway

    async def _run(
        self, document: GatewayDocument, apply: Callable[[AsyncSession], Awaitable[billing.Applied]]
    ) -> SyncOutcome:
        for last_try in (False, True):
            try:
                async with self._sessions() as session:
                    applied = await apply(session)
                return _OUTCOMES[applied]
            except (billing.DuplicateGatewayDocument, IntegrityError):
                if last_try:
                    raise
                logger.info("gateway document %s: recorded concurrently; applying again", document.document_id)
            except (billing.NotOurInvoice, billing.UnreadableGatewayDocument) as exc:
                raise NotApplicable(str(exc)) from None
        raise AssertionError("unreachable")  # pragma: no cover

    async def sync_invoice(self, change: InvoiceChange, invoice: GatewayDocument) -> SyncOutcome:
        gateway = self._checked(invoice)

        async def apply(session: AsyncSession) -> billing.Applied:
            return await billing.sync_gateway_invoice(
                session,
                self._services,
                gateway,
                change=billing.GatewayInvoiceChange(change.value),
                raw=invoice.raw,
                observed_at=invoice.as_of,
            )

        return await self._run(invoice, apply)

    async def sync_credit_note(self, note: GatewayDocument) -> SyncOutcome:
        gateway = self._checked(note)

        async def apply(session: AsyncSession) -> billing.Applied:
            return await billing.sync_gateway_credit_note(
                session, self._services, gateway, raw=note.raw, observed_at=note.as_of
            )

        return await self._run(note, apply)
