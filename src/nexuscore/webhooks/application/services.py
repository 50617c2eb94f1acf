"""Process-wide ports and configuration of the webhooks context."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

from nexuscore.kernel.clock import Clock
from nexuscore.webhooks.application.handlers import HandlerRegistry
from nexuscore.webhooks.domain.model import RetryPolicy
from nexuscore.webhooks.ports.targets import Targets


@dataclass(frozen=True)
class WebhooksServices:
    clock: Clock
    targets: Targets
    handlers: HandlerRegistry
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    # A row received or claimed longer ago than this is presumed lost (worker killed, broker
    # down) and handed out again by the sweeper.
    stuck_after: timedelta = timedelta(minutes=10)
    jitter: Callable[[], float] = random.random
    # How a running handler's heartbeat waits between renewals of its claim (a third of
    # `stuck_after`, in seconds); tests pass a pause they release themselves.
    pause: Callable[[float], Awaitable[None]] = asyncio.sleep

    @property
    def heartbeat_seconds(self) -> float:
        return self.stuck_after.total_seconds() / 3
