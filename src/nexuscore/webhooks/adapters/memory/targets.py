"""In-memory fakes of the target ports, with the version guard the owners must implement:

- an object is upserted by (provider, id): two deliveries about one subscription make one;
- a snapshot older than the stored one (`as_of`) is refused (`stale`);
- at the same `as_of` (Stripe's `created` has one-second resolution) an identical snapshot
  is `unchanged` and a different one `stale`, so the handler refetches the truth;
- a deleted object is never brought back by a snapshot that is not deleted.

Each sync is one read-modify-write under a per-object lock, as the owner's row lock or
unique key makes it; `yield_between` puts an await inside it so concurrent tests interleave.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections import defaultdict
from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from typing import Any

from nexuscore.webhooks.ports.targets import (
    BillingProfileSnapshot,
    GatewayDocument,
    GatewayEvent,
    InvoiceChange,
    SubscriptionSnapshot,
    SyncOutcome,
    TrialEnding,
)


def _same(a: Any, b: Any) -> bool:
    ignore = {"source_event_id", "as_of", "raw"}
    return {k: v for k, v in dataclasses.asdict(a).items() if k not in ignore} == {
        k: v for k, v in dataclasses.asdict(b).items() if k not in ignore
    }


def _guard(stored: Any, snapshot: Any) -> SyncOutcome | None:
    """None: apply the snapshot; otherwise the outcome that refuses it."""
    if stored is None:
        return None
    if stored.deleted and not snapshot.deleted:
        return SyncOutcome.STALE
    if snapshot.as_of < stored.as_of:
        return SyncOutcome.STALE
    if _same(stored, snapshot):
        return SyncOutcome.UNCHANGED
    if snapshot.as_of == stored.as_of:
        return SyncOutcome.STALE
    return None


class MemorySubscriptionSync:
    def __init__(self, *, yield_between: bool = False) -> None:
        self.subscriptions: dict[tuple[str, str], SubscriptionSnapshot] = {}
        self.applied: list[SubscriptionSnapshot] = []  # every write, in order
        self.trial_notices: list[TrialEnding] = []
        self.fail_next = 0  # raise this many times before succeeding (fault tests)
        self._locks: defaultdict[tuple[str, str], asyncio.Lock] = defaultdict(asyncio.Lock)
        self._yield = yield_between

    async def sync_subscription(self, snapshot: SubscriptionSnapshot) -> SyncOutcome:
        if self.fail_next:
            self.fail_next -= 1
            raise RuntimeError("subscription store unavailable (injected)")
        key = (snapshot.provider, snapshot.subscription_id)
        async with self._locks[key]:
            stored = self.subscriptions.get(key)
            if self._yield:
                await asyncio.sleep(0)
            refused = _guard(stored, snapshot)
            if refused is not None:
                return refused
            self.subscriptions[key] = snapshot
            self.applied.append(snapshot)
            return SyncOutcome.APPLIED

    async def trial_will_end(self, notice: TrialEnding) -> None:
        self.trial_notices.append(notice)


class MemoryBillingProfileSync:
    def __init__(self) -> None:
        self.profiles: dict[tuple[str, str], BillingProfileSnapshot] = {}
        self.applied: list[BillingProfileSnapshot] = []

    async def sync_billing_profile(self, snapshot: BillingProfileSnapshot) -> SyncOutcome:
        key = (snapshot.provider, snapshot.customer_id)
        refused = _guard(self.profiles.get(key), snapshot)
        if refused is not None:
            return refused
        self.profiles[key] = snapshot
        self.applied.append(snapshot)
        return SyncOutcome.APPLIED


# The invoice owner's order guard, as billing's invoice model has it: open -> paid | void |
# uncollectible; uncollectible -> paid | void; paid and void are final. A change the status
# cannot take is stale; the status it already has is unchanged. A first event that is not
# `finalized` (out of order) records the invoice with that change applied.
_INVOICE_STATUS = {
    InvoiceChange.FINALIZED: "open",
    InvoiceChange.PAID: "paid",
    InvoiceChange.PAYMENT_FAILED: "open",
    InvoiceChange.VOIDED: "void",
    InvoiceChange.MARKED_UNCOLLECTIBLE: "uncollectible",
}
_INVOICE_MOVES = {"open": {"paid", "void", "uncollectible"}, "uncollectible": {"paid", "void"}}


class MemoryInvoiceSync:
    def __init__(self) -> None:
        self.statuses: dict[tuple[str, str], str] = {}
        self.failed_payments: dict[tuple[str, str], int] = defaultdict(int)
        self.credit_notes: dict[tuple[str, str], GatewayDocument] = {}
        self.applied: list[tuple[InvoiceChange, GatewayDocument]] = []

    async def sync_invoice(self, change: InvoiceChange, invoice: GatewayDocument) -> SyncOutcome:
        key = (invoice.provider, invoice.document_id)
        wanted = _INVOICE_STATUS[change]
        stored = self.statuses.get(key)
        if stored is None:
            self.statuses[key] = wanted
        elif change is InvoiceChange.PAYMENT_FAILED:
            if stored != "open":
                return SyncOutcome.STALE
            self.failed_payments[key] += 1
        elif stored == wanted:
            return SyncOutcome.UNCHANGED
        elif wanted not in _INVOICE_MOVES.get(stored, set()):
            return SyncOutcome.STALE
        else:
            self.statuses[key] = wanted
        self.applied.append((change, invoice))
        return SyncOutcome.APPLIED

    async def sync_credit_note(self, note: GatewayDocument) -> SyncOutcome:
        key = (note.provider, note.document_id)
        if key in self.credit_notes:
            return SyncOutcome.UNCHANGED
        self.credit_notes[key] = note
        return SyncOutcome.APPLIED


class MemoryGateway:
    """The provider's current objects and its event log, as a test sets them."""

    def __init__(self) -> None:
        self.subscriptions: dict[str, Mapping[str, Any]] = {}
        self.customers: dict[str, Mapping[str, Any]] = {}
        self.events: list[GatewayEvent] = []
        self.fetches: list[str] = []

    async def fetch_subscription(self, subscription_id: str) -> Mapping[str, Any]:
        self.fetches.append(subscription_id)
        try:
            return self.subscriptions[subscription_id]
        except KeyError:
            raise LookupError(f"no such subscription: {subscription_id}") from None

    async def fetch_customer(self, customer_id: str) -> Mapping[str, Any]:
        self.fetches.append(customer_id)
        try:
            return self.customers[customer_id]
        except KeyError:
            raise LookupError(f"no such customer: {customer_id}") from None

    async def list_events(self, *, since: datetime) -> AsyncIterator[GatewayEvent]:
        for event in list(self.events):
            if int(event.data.get("created", 0)) >= since.timestamp():
                yield event
