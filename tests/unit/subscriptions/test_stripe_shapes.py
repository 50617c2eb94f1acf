"""Stripe subscription objects (current API: the period on the items; older ones and
localstripe: on the subscription) to snapshots; what is not ours is refused."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest
import stripe

from nexuscore.subscriptions.adapters.gateways.stripe_shapes import UnreadableSnapshot, subscription_snapshot
from nexuscore.subscriptions.domain.model import Interval, SubscriptionStatus

AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def stripe_subscription(org: str, **kw: object) -> dict[str, object]:
    return {
        "id": "sub_1",
        "object": "subscription",
        "customer": "cus_1",
        "status": "past_due",
        "created": 1_790_000_000,
        "metadata": {"organization_id": org, "pending_lookup_key": "starter_month"},
        "items": {
            "data": [
                {
                    "id": "si_1",
                    "price": {"id": "price_1", "lookup_key": "growth_year"},
                    "current_period_start": 1_790_000_000,
                    "current_period_end": 1_821_536_000,
                }
            ]
        },
        "cancel_at_period_end": True,
        "canceled_at": 1_790_000_100,
        "trial_start": None,
        **kw,
    }


def test_current_api_shape() -> None:
    org = uuid4()
    snap = subscription_snapshot(stripe_subscription(str(org)), observed_at=AT)
    assert (snap.organization_id, snap.status, snap.plan_code, snap.interval) == (
        org,
        SubscriptionStatus.PAST_DUE,
        "growth",
        Interval.YEAR,
    )
    assert snap.current_period_start == datetime.fromtimestamp(1_790_000_000, tz=UTC)
    assert (snap.pending_plan_code, snap.pending_interval) == ("starter", Interval.MONTH)
    assert snap.cancel_at_period_end and snap.canceled_at is not None and snap.observed_at == AT


def test_a_stripe_object_and_the_legacy_plan_shape() -> None:
    org = str(uuid4())
    raw = stripe_subscription(org, current_period_start=1_790_000_000)
    plan = {"id": "nexuscore_x", "metadata": {"lookup_key": "starter_month"}}
    raw["items"] = {"data": [{"id": "si_1", "plan": plan}]}
    obj = stripe.StripeObject.construct_from(raw, "sk_test")
    snap = subscription_snapshot(obj.to_dict(), observed_at=AT)
    assert (snap.plan_code, snap.interval) == ("starter", Interval.MONTH)
    assert snap.current_period_start is not None


@pytest.mark.parametrize(
    "change",
    [{"metadata": {}}, {"items": {"data": []}}, {"items": {"data": [{"price": {"lookup_key": "growth_week"}}]}}],
)
def test_not_one_of_ours_is_refused(change: dict[str, object]) -> None:
    with pytest.raises(UnreadableSnapshot):
        subscription_snapshot(stripe_subscription(str(uuid4()), **change), observed_at=AT)
