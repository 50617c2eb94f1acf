"""Builds the identity context's adapters from settings (called by the composition root)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from redis.asyncio import Redis

from nexuscore.identity.adapters.crypto.argon2_hasher import Argon2PasswordHasher
from nexuscore.identity.adapters.crypto.jwt_tokens import JwtAccessTokens
from nexuscore.identity.adapters.memory.throttle import InMemoryThrottle
from nexuscore.identity.adapters.redis.throttle import RedisThrottle
from nexuscore.identity.application.services import IdentityConfig, IdentityServices
from nexuscore.identity.ports.throttle import Throttle
from nexuscore.kernel.clock import Clock
from nexuscore.kernel.mail import Mailer
from nexuscore.platform.settings import Settings


@dataclass
class IdentityModule:
    services: IdentityServices
    hasher: Argon2PasswordHasher

    def close(self) -> None:
        self.hasher.close()


def build_identity(settings: Settings, clock: Clock, redis: Redis | None, mailer: Mailer) -> IdentityModule:
    hasher = Argon2PasswordHasher()
    throttle: Throttle = RedisThrottle(redis, clock) if redis is not None else InMemoryThrottle(clock)
    services = IdentityServices(
        hasher=hasher,
        tokens=JwtAccessTokens(settings.secret_key, clock, lifetime_seconds=settings.access_token_ttl_seconds),
        throttle=throttle,
        clock=clock,
        mailer=mailer,
        config=IdentityConfig(
            refresh_token_lifetime=timedelta(days=settings.refresh_token_ttl_days),
            app_base_url=settings.app_base_url,
        ),
    )
    return IdentityModule(services=services, hasher=hasher)
