"""What identity use cases need besides a unit of work, and the throttle policies they apply."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from nexuscore.identity.ports.security import AccessTokens, PasswordHasher
from nexuscore.identity.ports.throttle import Throttle, ThrottlePolicy
from nexuscore.kernel.clock import Clock
from nexuscore.kernel.errors import RateLimited
from nexuscore.kernel.mail import Mailer

# Failed sign-ins: per account the backoff starts after 5 failures in 15 minutes and doubles
# per further failure (capped at 15 minutes); per IP it starts after 50, so one address cannot
# lock out a user, and a spraying address is slowed across accounts.
LOGIN_PER_ACCOUNT = ThrottlePolicy(limit=5, window_seconds=900, base_delay_seconds=1, max_delay_seconds=900)
LOGIN_PER_IP = ThrottlePolicy(limit=50, window_seconds=900, base_delay_seconds=1, max_delay_seconds=900)
REGISTER_PER_IP = ThrottlePolicy(limit=10, window_seconds=3600, base_delay_seconds=60, max_delay_seconds=3600)
FORGOT_PER_IP = ThrottlePolicy(limit=10, window_seconds=3600, base_delay_seconds=60, max_delay_seconds=3600)
FORGOT_PER_EMAIL = ThrottlePolicy(limit=3, window_seconds=3600, base_delay_seconds=300, max_delay_seconds=3600)
RESEND_PER_USER = ThrottlePolicy(limit=3, window_seconds=3600, base_delay_seconds=300, max_delay_seconds=3600)


@dataclass(frozen=True)
class IdentityConfig:
    refresh_token_lifetime: timedelta = timedelta(days=30)
    app_base_url: str = "http://localhost:3000"


@dataclass(frozen=True)
class IdentityServices:
    """The process-wide ports and settings identity use cases take as `services`."""

    hasher: PasswordHasher
    tokens: AccessTokens
    throttle: Throttle
    clock: Clock
    mailer: Mailer
    config: IdentityConfig = IdentityConfig()

    async def rate_limit(self, key: str, policy: ThrottlePolicy) -> None:
        """Count one request against `key`; refuse it (429) when the policy says wait."""
        wait = await self.throttle.retry_after(key, policy)
        if wait:
            raise RateLimited(retry_after_seconds=wait)
        await self.throttle.hit(key, policy)
