"""The retry schedule, and the version guard the memory fakes implement (the one the
subscriptions context must implement too)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from nexuscore.webhooks.adapters.memory.targets import MemorySubscriptionSync
from nexuscore.webhooks.application.stripe_objects import subscription_snapshot
from nexuscore.webhooks.domain.model import RetryPolicy
from nexuscore.webhooks.ports.targets import SyncOutcome

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def test_backoff_doubles_with_equal_jitter_and_a_cap() -> None:
    policy = RetryPolicy(max_attempts=8, base_seconds=900, cap_seconds=43_200)
    assert policy.delay(1, 0.0) == timedelta(seconds=450)
    assert policy.delay(1, 0.999999) < timedelta(seconds=900)
    assert policy.delay(3, 0.0) == timedelta(seconds=1800)
    assert policy.delay(10, 0.0) == timedelta(seconds=21_600)  # capped at 12 h, halved by the jitter floor
    waits = [policy.delay(n, 0.0) for n in range(1, 8)], [policy.delay(n, 0.999999) for n in range(1, 8)]
    least, most = (sum(w, timedelta()) for w in waits)
    assert timedelta(hours=13) < least < most < timedelta(hours=28)  # "about a day"
    assert not policy.exhausted(7) and policy.exhausted(8)


def _sub(status: str = "active", price: str = "price_a", *, as_of: datetime = NOW, ended: bool = False) -> object:
    obj = {
        "id": "sub_1",
        "customer": "cus_1",
        "status": status,
        "items": {"data": [{"price": {"id": price}, "quantity": 2}]},
        "ended_at": int(as_of.timestamp()) if ended else None,
    }
    return subscription_snapshot(obj, as_of=as_of)


async def test_guard_refuses_older_ties_that_differ_and_resurrection() -> None:
    store = MemorySubscriptionSync()
    assert await store.sync_subscription(_sub()) is SyncOutcome.APPLIED  # type: ignore[arg-type]
    assert await store.sync_subscription(_sub()) is SyncOutcome.UNCHANGED  # type: ignore[arg-type]
    older = _sub("past_due", as_of=NOW - timedelta(seconds=1))
    assert await store.sync_subscription(older) is SyncOutcome.STALE  # type: ignore[arg-type]
    tie = _sub("past_due")
    assert await store.sync_subscription(tie) is SyncOutcome.STALE  # type: ignore[arg-type]
    deleted = _sub("canceled", as_of=NOW + timedelta(minutes=1), ended=True)
    assert await store.sync_subscription(deleted) is SyncOutcome.APPLIED  # type: ignore[arg-type]
    later = _sub("active", as_of=NOW + timedelta(hours=1))
    assert await store.sync_subscription(later) is SyncOutcome.STALE  # type: ignore[arg-type]
    assert len(store.subscriptions) == 1 and store.subscriptions[("stripe", "sub_1")].deleted
