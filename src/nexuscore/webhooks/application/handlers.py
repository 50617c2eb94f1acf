"""Handlers: what each event type does. Payloads are hints: a handler passes the object's
snapshot to its owner, whose version guard refuses older state, and refetches the object from
the gateway when the payload is thin (not the whole object) or was refused as stale, so the
owner ends with the provider's current state whatever the delivery order."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from nexuscore.webhooks.application import stripe_objects as so
from nexuscore.webhooks.domain.model import InboxEvent
from nexuscore.webhooks.ports.targets import (
    GatewayDocument,
    InvoiceChange,
    NotApplicable,
    SubscriptionSnapshot,
    SyncOutcome,
    Targets,
    TrialEnding,
)


class HandlerError(Exception):
    """The event cannot be handled as it is (retried, then dead with this message)."""


@dataclass(frozen=True)
class HandlerContext:
    event: InboxEvent
    data: Mapping[str, Any]  # the decoded payload
    targets: Targets
    now: datetime


Handler = Callable[[HandlerContext], Awaitable[str]]


class HandlerRegistry:
    def __init__(self, handlers: Mapping[tuple[str, str], Handler]) -> None:
        self._handlers = dict(handlers)

    def get(self, provider: str, event_type: str) -> Handler | None:
        return self._handlers.get((provider, event_type))

    def handles(self, provider: str, event_type: str) -> bool:
        return (provider, event_type) in self._handlers

    def types(self, provider: str) -> list[str]:
        return sorted(t for p, t in self._handlers if p == provider)

    def with_handlers(self, handlers: Mapping[tuple[str, str], Handler]) -> HandlerRegistry:
        """Another context's handlers added (the billing issue's invoice.* events)."""
        return HandlerRegistry({**self._handlers, **handlers})


def _object(ctx: HandlerContext) -> Mapping[str, Any]:
    data = ctx.data.get("data")
    obj = data.get("object") if isinstance(data, Mapping) else None
    return obj if isinstance(obj, Mapping) else {}


async def _refetch(
    ctx: HandlerContext, subscription_id: str, *, hint: str | None = None
) -> tuple[SyncOutcome, SubscriptionSnapshot]:
    fresh = await ctx.targets.gateway.fetch_subscription(subscription_id)
    snapshot = so.subscription_snapshot(
        fresh, as_of=ctx.now, source_event_id=ctx.event.event_id, organization_hint=hint
    )
    return await ctx.targets.subscriptions.sync_subscription(snapshot), snapshot


async def _refetch_subscription(ctx: HandlerContext, subscription_id: str, *, hint: str | None = None) -> SyncOutcome:
    outcome, _ = await _refetch(ctx, subscription_id, hint=hint)
    return outcome


async def _sync_subscription(ctx: HandlerContext) -> tuple[SyncOutcome, SubscriptionSnapshot]:
    """The outcome, and the snapshot the trial notice should name (the payload's, or the
    refetched one when the payload was thin)."""
    obj = _object(ctx)
    subscription_id = obj.get("id")
    if not isinstance(subscription_id, str) or not subscription_id:
        raise HandlerError("the event names no subscription")
    if so.is_thin_subscription(obj):
        return await _refetch(ctx, subscription_id)
    snapshot = so.subscription_snapshot(obj, as_of=ctx.event.created, source_event_id=ctx.event.event_id)
    outcome = await ctx.targets.subscriptions.sync_subscription(snapshot)
    if outcome is SyncOutcome.STALE:
        # Newer state is stored (or this is a tie within Stripe's one-second `created`): the
        # payload cannot be trusted, what the gateway holds now can.
        return await _refetch_subscription(ctx, subscription_id), snapshot
    return outcome, snapshot


async def subscription_changed(ctx: HandlerContext) -> str:
    outcome, _ = await _sync_subscription(ctx)
    return f"subscription {outcome.value}"


async def trial_will_end(ctx: HandlerContext) -> str:
    outcome, snapshot = await _sync_subscription(ctx)
    await ctx.targets.subscriptions.trial_will_end(TrialEnding(subscription=snapshot, trial_end=snapshot.trial_end))
    return f"subscription {outcome.value}; trial ending noted"


async def checkout_completed(ctx: HandlerContext) -> str:
    session = _object(ctx)
    if session.get("mode") != "subscription":
        return "not a subscription checkout"
    subscription_id = session.get("subscription")
    subscription_id = subscription_id.get("id") if isinstance(subscription_id, Mapping) else subscription_id
    if not isinstance(subscription_id, str) or not subscription_id:
        raise HandlerError("subscription checkout without a subscription")
    hint = session.get("client_reference_id")
    # The session carries the subscription's id only: its state comes from the gateway. It
    # upserts by subscription id, as customer.subscription.created does, so the two make one.
    outcome = await _refetch_subscription(ctx, subscription_id, hint=hint if isinstance(hint, str) else None)
    return f"subscription {outcome.value}"


async def customer_updated(ctx: HandlerContext) -> str:
    obj = _object(ctx)
    customer_id = obj.get("id")
    if not isinstance(customer_id, str) or not customer_id:
        raise HandlerError("the event names no customer")
    profiles = ctx.targets.billing_profiles
    if obj.get("object", "customer") == "customer" and "email" in obj and "address" in obj:
        snapshot = so.billing_profile_snapshot(obj, as_of=ctx.event.created, source_event_id=ctx.event.event_id)
        outcome = await profiles.sync_billing_profile(snapshot)
        if outcome is not SyncOutcome.STALE:
            return f"billing profile {outcome.value}"
    fresh = await ctx.targets.gateway.fetch_customer(customer_id)
    snapshot = so.billing_profile_snapshot(fresh, as_of=ctx.now, source_event_id=ctx.event.event_id)
    return f"billing profile {(await profiles.sync_billing_profile(snapshot)).value}"


INVOICE_CHANGES = {
    "invoice.finalized": InvoiceChange.FINALIZED,
    "invoice.paid": InvoiceChange.PAID,
    # Sent with `invoice.paid` for a payment attempt that succeeded (the only success event
    # some Stripe stand-ins send): the same change, recorded once.
    "invoice.payment_succeeded": InvoiceChange.PAID,
    "invoice.payment_failed": InvoiceChange.PAYMENT_FAILED,
    "invoice.voided": InvoiceChange.VOIDED,
    "invoice.marked_uncollectible": InvoiceChange.MARKED_UNCOLLECTIBLE,
}


def _document(ctx: HandlerContext, what: str) -> GatewayDocument:
    obj = _object(ctx)
    document_id = obj.get("id")
    if not isinstance(document_id, str) or not document_id:
        raise HandlerError(f"the event names no {what}")
    return GatewayDocument(
        provider=ctx.event.provider,
        document_id=document_id,
        as_of=ctx.event.created,
        source_event_id=ctx.event.event_id,
        raw=obj,
    )


async def invoice_changed(ctx: HandlerContext) -> str:
    """The invoice's owner records the change (its order guard makes a late or repeated event
    harmless; a `paid` before the `finalized` is the owner's to resolve). A paid subscription
    invoice also refetches its subscription: the payment is what activates it, and a stand-in
    may send no `customer.subscription.updated` for it."""
    document = _document(ctx, "invoice")
    change = INVOICE_CHANGES[ctx.event.type]
    done: list[str] = []
    not_ours: list[str] = []
    try:
        done.append(f"invoice {(await ctx.targets.invoices.sync_invoice(change, document)).value}")
    except NotApplicable as exc:
        not_ours.append(str(exc))
    subscription_id = document.raw.get("subscription")
    subscription_id = subscription_id.get("id") if isinstance(subscription_id, Mapping) else subscription_id
    if change is InvoiceChange.PAID and isinstance(subscription_id, str) and subscription_id:
        try:
            done.append(f"subscription {(await _refetch_subscription(ctx, subscription_id)).value}")
        except NotApplicable as exc:
            not_ours.append(str(exc))
    if not done:
        raise NotApplicable("; ".join(not_ours))
    return "; ".join(done + [f"not ours: {reason}" for reason in not_ours])


async def credit_note_created(ctx: HandlerContext) -> str:
    outcome = await ctx.targets.invoices.sync_credit_note(_document(ctx, "credit note"))
    return f"credit note {outcome.value}"


STRIPE_HANDLERS: dict[tuple[str, str], Handler] = {
    (so.STRIPE, "checkout.session.completed"): checkout_completed,
    (so.STRIPE, "customer.subscription.created"): subscription_changed,
    (so.STRIPE, "customer.subscription.updated"): subscription_changed,
    (so.STRIPE, "customer.subscription.deleted"): subscription_changed,
    (so.STRIPE, "customer.subscription.paused"): subscription_changed,
    (so.STRIPE, "customer.subscription.resumed"): subscription_changed,
    (so.STRIPE, "customer.subscription.trial_will_end"): trial_will_end,
    (so.STRIPE, "customer.updated"): customer_updated,
    **{(so.STRIPE, event_type): invoice_changed for event_type in INVOICE_CHANGES},
    (so.STRIPE, "credit_note.created"): credit_note_created,
}


def default_registry() -> HandlerRegistry:
    return HandlerRegistry(STRIPE_HANDLERS)
