"""Handlers on the memory fakes (no database), processing on the in-memory inbox, and the
webhook settings."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from nexuscore.kernel.clock import FixedClock
from nexuscore.platform.settings import SettingsError
from nexuscore.webhooks.adapters.memory.inbox import InMemoryUnitOfWorkFactory
from nexuscore.webhooks.adapters.memory.targets import MemoryBillingProfileSync, MemoryGateway, MemorySubscriptionSync
from nexuscore.webhooks.adapters.stripe.signature import parse_event
from nexuscore.webhooks.application.handlers import HandlerContext, HandlerError, default_registry
from nexuscore.webhooks.application.ingest import ingest_event
from nexuscore.webhooks.application.processing import process_event, sweep_due
from nexuscore.webhooks.application.services import WebhooksServices
from nexuscore.webhooks.domain.model import InboxEvent, InboxStatus, RetryPolicy
from nexuscore.webhooks.ports.targets import Targets
from tests.conftest import make_settings

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
SUB = {"id": "sub_1", "customer": "cus_1", "status": "trialing", "items": {"data": []}, "trial_end": 1796200000}


def services(clock: FixedClock | None = None) -> WebhooksServices:
    targets = Targets(MemorySubscriptionSync(), MemoryBillingProfileSync(), MemoryGateway())
    return WebhooksServices(
        clock=clock or FixedClock(NOW),
        targets=targets,
        handlers=default_registry(),
        retry=RetryPolicy(max_attempts=2, base_seconds=60),
        jitter=lambda: 0.0,
    )


def envelope(type_: str, obj: dict[str, Any], event_id: str = "evt_1") -> bytes:
    created = int(NOW.timestamp())
    return json.dumps(
        {"id": event_id, "object": "event", "type": type_, "created": created, "data": {"object": obj}}
    ).encode()


def context(svc: WebhooksServices, type_: str, obj: dict[str, Any]) -> HandlerContext:
    incoming = parse_event(envelope(type_, obj))
    event = InboxEvent.received(incoming, now=NOW, status=InboxStatus.RECEIVED)
    return HandlerContext(event=event, data=incoming.data, targets=svc.targets, now=NOW)


async def test_trial_will_end_syncs_and_records_the_notice() -> None:
    svc = services()
    handler = svc.handlers.get("stripe", "customer.subscription.trial_will_end")
    assert handler is not None
    assert await handler(context(svc, "customer.subscription.trial_will_end", SUB)) == (
        "subscription applied; trial ending noted"
    )
    subs = svc.targets.subscriptions
    assert isinstance(subs, MemorySubscriptionSync)
    [notice] = subs.trial_notices
    assert notice.trial_end == datetime.fromtimestamp(1796200000, UTC)


async def test_checkout_outside_subscription_mode_does_nothing_and_missing_ids_fail() -> None:
    svc = services()
    checkout = svc.handlers.get("stripe", "checkout.session.completed")
    updated = svc.handlers.get("stripe", "customer.subscription.updated")
    assert checkout is not None and updated is not None
    assert await checkout(context(svc, "checkout.session.completed", {"id": "cs_1", "mode": "payment"})) == (
        "not a subscription checkout"
    )
    with pytest.raises(HandlerError):
        await checkout(context(svc, "checkout.session.completed", {"id": "cs_1", "mode": "subscription"}))
    with pytest.raises(HandlerError):
        await updated(context(svc, "customer.subscription.updated", {"object": "subscription"}))


async def test_thin_subscription_payload_is_refetched() -> None:
    svc = services()
    gateway = svc.targets.gateway
    assert isinstance(gateway, MemoryGateway)
    gateway.subscriptions["sub_1"] = {**SUB, "status": "active"}
    updated = svc.handlers.get("stripe", "customer.subscription.updated")
    assert updated is not None
    await updated(context(svc, "customer.subscription.updated", {"id": "sub_1", "object": "subscription"}))
    assert gateway.fetches == ["sub_1"]
    subs = svc.targets.subscriptions
    assert isinstance(subs, MemorySubscriptionSync)
    assert subs.subscriptions[("stripe", "sub_1")].status == "active"


async def test_processing_on_the_memory_inbox_retries_then_dies() -> None:
    clock = FixedClock(NOW)
    svc = services(clock)
    subs = svc.targets.subscriptions
    assert isinstance(subs, MemorySubscriptionSync)
    subs.fail_next = 5
    uows = InMemoryUnitOfWorkFactory()
    async with uows() as uow:
        result = await ingest_event(uow, svc, incoming=parse_event(envelope("customer.subscription.created", SUB)))
    assert result.inbox_id is not None and [r.type for r in uows.store.outbox] == ["webhook.received"]
    first = await process_event(uows, svc, inbox_id=result.inbox_id)
    assert first is not None and first.status is InboxStatus.FAILED
    assert await process_event(uows, svc, inbox_id=result.inbox_id) is None  # not due
    clock.advance(timedelta(seconds=30))  # jitter 0: the first wait is base/2
    kicked: list[Any] = []

    async def enqueue(inbox_id: Any) -> None:
        kicked.append(inbox_id)

    assert await sweep_due(uows, svc, enqueue=enqueue) == 1 and kicked == [result.inbox_id]
    second = await process_event(uows, svc, inbox_id=result.inbox_id)
    assert second is not None and second.status is InboxStatus.DEAD and second.attempt == 2


def test_webhook_settings(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, STRIPE_WEBHOOK_SECRETS=" whsec_new_0123456789 ,whsec_old_0123456789,")
    assert settings.stripe_webhook_secrets == ("whsec_new_0123456789", "whsec_old_0123456789")
    assert "whsec" not in repr(settings)
    assert (settings.webhook_max_attempts, settings.webhook_stuck_after_seconds, settings.metrics_port) == (
        8,
        600,
        None,
    )
    with pytest.raises(SettingsError, match="STRIPE_WEBHOOK_SECRETS"):
        make_settings(tmp_path, STRIPE_WEBHOOK_SECRETS="short")
    with pytest.raises(SettingsError, match="METRICS_TOKEN"):
        make_settings(tmp_path, METRICS_TOKEN="short")
    with pytest.raises(SettingsError, match="WEBHOOK_MAX_ATTEMPTS"):
        make_settings(tmp_path, WEBHOOK_MAX_ATTEMPTS="0")
