"""What processing drives, as ports: the owners of subscription, billing-profile and invoice
state, and the payment gateway (to refetch an object the payload cannot be trusted for, and to list
past events for a backfill). Snapshots are provider-neutral.

The subscriptions context (issue 11) owns `sync_subscription(snapshot)` and its version
guard; `adapters/targets.py` wires it (through `subscriptions.api`), and the memory fakes in
`adapters/memory/targets.py` implement the same guard for the inbox's own tests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol


class NotApplicable(Exception):
    """The owner keeps no such object (not one of ours, or a kind it does not take from the
    provider): processing ends the event `ignored` with this reason, never retried."""


class SyncOutcome(StrEnum):
    APPLIED = "applied"  # the snapshot is now the stored state
    UNCHANGED = "unchanged"  # the same state was stored already (a redelivery)
    STALE = "stale"  # refused: the stored state is newer (or the object was deleted)


@dataclass(frozen=True, kw_only=True)
class SubscriptionSnapshot:
    """The provider's subscription as of `as_of` (the event's `created`, or the refetch time).

    `organization_hint` is the tenant named at checkout (client_reference_id or metadata),
    which links a provider subscription to an organisation the first time it is seen.
    """

    provider: str
    subscription_id: str
    customer_id: str
    status: str  # the provider's status: trialing, active, past_due, canceled, paused, ...
    price_ids: tuple[str, ...]
    quantity: int | None
    current_period_start: datetime | None
    current_period_end: datetime | None
    cancel_at_period_end: bool
    canceled_at: datetime | None
    ended_at: datetime | None
    trial_end: datetime | None
    as_of: datetime
    organization_hint: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)
    source_event_id: str | None = None
    # The provider's object as it came (payload or refetch): the owner may read what the
    # neutral fields leave out (Stripe: the price's lookup_key, the organisation metadata).
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def deleted(self) -> bool:
        return self.status in ("canceled", "incomplete_expired") and self.ended_at is not None


@dataclass(frozen=True, kw_only=True)
class BillingProfileSnapshot:
    """The provider's customer (billing name, email, address, tax ids) as of `as_of`."""

    provider: str
    customer_id: str
    email: str | None
    name: str | None
    address: Mapping[str, str | None]
    tax_ids: tuple[str, ...]
    deleted: bool
    as_of: datetime
    metadata: Mapping[str, str] = field(default_factory=dict)
    source_event_id: str | None = None
    # The provider's object as it came (payload or refetch): the owner reads what the neutral
    # fields leave out (Stripe: each tax id's type, the address lines).
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class TrialEnding:
    """customer.subscription.trial_will_end: a notice, with the subscription's state."""

    subscription: SubscriptionSnapshot
    trial_end: datetime | None


class SubscriptionSync(Protocol):
    async def sync_subscription(self, snapshot: SubscriptionSnapshot) -> SyncOutcome:
        """Store the snapshot unless the stored state is newer (`as_of`) or deleted; upsert by
        (provider, subscription_id), so two deliveries about one subscription make one."""
        ...

    async def trial_will_end(self, notice: TrialEnding) -> None: ...


class BillingProfileSync(Protocol):
    async def sync_billing_profile(self, snapshot: BillingProfileSnapshot) -> SyncOutcome: ...


class InvoiceChange(StrEnum):
    """What an `invoice.*` event says happened to the provider's invoice."""

    FINALIZED = "finalized"
    PAID = "paid"
    PAYMENT_FAILED = "payment_failed"
    VOIDED = "voided"
    MARKED_UNCOLLECTIBLE = "marked_uncollectible"


@dataclass(frozen=True, kw_only=True)
class GatewayDocument:
    """The provider's invoice or credit note as an event carried it (`raw`: its object, read
    by the owner's own parser) as of `as_of` (the event's `created`)."""

    provider: str
    document_id: str
    as_of: datetime
    source_event_id: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


class InvoiceSync(Protocol):
    async def sync_invoice(self, change: InvoiceChange, invoice: GatewayDocument) -> SyncOutcome:
        """Record the change once per provider invoice (its id is unique), never moving a paid
        or void invoice backwards: APPLIED, UNCHANGED (a redelivery) or STALE (a late event)."""
        ...

    async def sync_credit_note(self, note: GatewayDocument) -> SyncOutcome: ...


class UnwiredInvoices:
    """No owner of invoices in this build: invoice events end `ignored` with the reason."""

    async def sync_invoice(self, change: InvoiceChange, invoice: GatewayDocument) -> SyncOutcome:
        raise NotApplicable("no billing context keeps gateway invoices in this build")

    async def sync_credit_note(self, note: GatewayDocument) -> SyncOutcome:
        raise NotApplicable("no billing context keeps gateway credit notes in this build")


@dataclass(frozen=True, kw_only=True)
class GatewayEvent:
    """An event as the provider's API lists it: its JSON text and parsed form."""

    payload: str
    data: Mapping[str, Any]


class PaymentGateway(Protocol):
    async def fetch_subscription(self, subscription_id: str) -> Mapping[str, Any]:
        """The subscription object as the provider returns it now (JSON-decoded)."""
        ...

    async def fetch_customer(self, customer_id: str) -> Mapping[str, Any]: ...

    def list_events(self, *, since: datetime) -> AsyncIterator[GatewayEvent]:
        """Events created at or after `since`, as far back as the provider keeps them."""
        ...


@dataclass(frozen=True)
class Targets:
    subscriptions: SubscriptionSync
    billing_profiles: BillingProfileSync
    gateway: PaymentGateway
    invoices: InvoiceSync = field(default_factory=UnwiredInvoices)
