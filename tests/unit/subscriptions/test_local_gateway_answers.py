"""A command's answer from the local gateway against an inbox refetch that runs while the
gateway's write is under way (CI once saw an immediate cancel answer `active`).

The store here takes a second to write, and the inbox refetches the subscription in that
second, as the in-process relay can: it reads the old state and stamps it with its claim
time. The command's answer must still win, because it describes a later state."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from nexuscore.kernel.clock import FixedClock
from nexuscore.subscriptions.adapters.gateways.local_store import MemoryLocalGatewayStore
from nexuscore.subscriptions.adapters.gateways.stripe_shapes import subscription_snapshot
from nexuscore.subscriptions.application import subscriptions as subs
from nexuscore.subscriptions.application.sync import sync_subscription
from nexuscore.subscriptions.domain.model import SubscriptionStatus
from tests.unit.subscriptions.conftest import World
from tests.unit.subscriptions.test_local_gateway_clock import checkout

S = SubscriptionStatus


class SlowWrites(MemoryLocalGatewayStore):
    """Each subscription write lands a second after it begins; `during_write` runs meanwhile."""

    def __init__(self, clock: FixedClock) -> None:
        super().__init__()
        self.clock = clock
        self.during_write: Any = None

    async def put(self, object_id: str, kind: str, data: dict[str, Any], created_at: datetime) -> None:
        if kind == "subscription" and self.during_write is not None:
            self.clock.advance(timedelta(milliseconds=500))
            await self.during_write(object_id)
            self.clock.advance(timedelta(milliseconds=500))
        await super().put(object_id, kind, data, created_at)


def slow_world(world: World) -> SlowWrites:
    """The world's gateway on a slow store; writes turn slow once `during_write` is set."""
    store = SlowWrites(world.clock)
    world.gateway.store = store
    return store


def refetch_as_the_inbox_does(world: World) -> Any:
    async def refetch(subscription_id: str) -> None:
        claimed_at = world.clock.now()  # the handler's `now`: its claim, before the fetch
        fresh = await world.gateway.retrieve_subscription_object(subscription_id)
        await sync_subscription(
            world.uow(), world.services, snapshot=subscription_snapshot(fresh, observed_at=claimed_at)
        )

    return refetch


async def test_an_immediate_cancel_answers_canceled_though_a_refetch_ran_during_its_write(world: World) -> None:
    store = slow_world(world)
    sub_id = await checkout(world)
    world.clock.advance(timedelta(minutes=5))
    store.during_write = refetch_as_the_inbox_does(world)
    ended = await subs.cancel_subscription(world.uow(), world.services, tenant=world.owner, at_period_end=False)
    assert ended.status is S.CANCELED
    assert world.state.subscriptions[sub_id].status is S.CANCELED


async def test_a_resume_answers_resumed_though_a_refetch_ran_during_its_write(world: World) -> None:
    store = slow_world(world)
    sub_id = await checkout(world)
    pending = await subs.cancel_subscription(world.uow(), world.services, tenant=world.owner, at_period_end=True)
    assert pending.cancel_at_period_end
    world.clock.advance(timedelta(minutes=5))
    store.during_write = refetch_as_the_inbox_does(world)
    resumed = await subs.resume_subscription(world.uow(), world.services, tenant=world.owner)
    assert resumed.cancel_at_period_end is False
    assert world.state.subscriptions[sub_id].cancel_at_period_end is False
