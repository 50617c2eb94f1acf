"""taskiq side of the subscriptions context: the local gateway's clock, ticking.

Stripe ends trials, renews and applies scheduled changes on its own clock; the local gateway
does it when this task runs (every minute, from the one scheduler process), at the Clock
port's now. What changes reaches us as events through the webhook inbox.
"""

from __future__ import annotations

import logging

from taskiq import AsyncBroker

from nexuscore.subscriptions.adapters.gateways.local import LocalPaymentGateway

logger = logging.getLogger(__name__)
LOCAL_GATEWAY_TICK_TASK = "nexuscore.subscriptions.local_gateway_tick"


def register_local_gateway_tasks(broker: AsyncBroker, gateway: LocalPaymentGateway) -> None:
    async def local_gateway_tick() -> int:
        changed = await gateway.run_due()
        if changed:
            logger.info("local gateway: %d subscriptions moved on", changed)
        return changed

    broker.register_task(local_gateway_tick, task_name=LOCAL_GATEWAY_TICK_TASK, schedule=[{"cron": "* * * * *"}])
