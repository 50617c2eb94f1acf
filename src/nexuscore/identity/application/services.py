"""What identity use cases need besides a unit of work, and the throttle policies they apply."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from nexuscore.identity.ports.security import AccessTokens, PasswordHasher
from nexuscore.kernel.clock import Clock
from nexuscore.kernel.errors import RateLimited
from nexuscore.kernel.mail import Mailer
from nexuscore.kernel.throttle import Throttle, ThrottlePolicy, admit

# Failed password checks (sign-in, and the current password on /me/password and /me/email):
# * per (account, address): the backoff starts after 5 failures in 15 minutes and doubles per
#   further failure (capped at 15 minutes). This is the throttle a single guesser meets, and a
#   success from that address resets it.
# * per account, from every address together: a ceiling 20 times higher (100 failures an hour)
#   whose backoff is capped at 5 minutes, so wrong passwords from some address never lock the
#   owner out, while a guesser spread over many addresses still gets about one guess every few
#   minutes. A success does not reset it (else the owner signing in would hand the guesser a
#   fresh budget). It does not apply to an address that signed in to the account in the last
#   30 days (KNOWN_ADDRESS): the owner's usual devices are never locked out by it, and a
#   guesser cannot make its address known without the password.
# * per address across accounts: after 50 failures in 15 minutes, so a spraying address is
#   slowed whichever accounts it tries.
LOGIN_PER_ACCOUNT_ADDRESS = ThrottlePolicy(limit=5, window_seconds=900, base_delay_seconds=1, max_delay_seconds=900)
LOGIN_PER_ACCOUNT = ThrottlePolicy(limit=100, window_seconds=3600, base_delay_seconds=1, max_delay_seconds=300)
LOGIN_PER_IP = ThrottlePolicy(limit=50, window_seconds=900, base_delay_seconds=1, max_delay_seconds=900)
# A marker, not a limit: one event (a successful sign-in) makes `retry_after` positive for 30 days.
_THIRTY_DAYS = 30 * 24 * 3600
KNOWN_ADDRESS = ThrottlePolicy(
    limit=1, window_seconds=_THIRTY_DAYS, base_delay_seconds=_THIRTY_DAYS, max_delay_seconds=_THIRTY_DAYS
)
REGISTER_PER_IP = ThrottlePolicy(limit=10, window_seconds=3600, base_delay_seconds=60, max_delay_seconds=3600)
FORGOT_PER_IP = ThrottlePolicy(limit=10, window_seconds=3600, base_delay_seconds=60, max_delay_seconds=3600)
FORGOT_PER_EMAIL = ThrottlePolicy(limit=3, window_seconds=3600, base_delay_seconds=300, max_delay_seconds=3600)
RESEND_PER_USER = ThrottlePolicy(limit=3, window_seconds=3600, base_delay_seconds=300, max_delay_seconds=3600)


@dataclass(frozen=True)
class IdentityConfig:
    refresh_token_lifetime: timedelta = timedelta(days=30)
    app_base_url: str = "http://localhost:3000"
    # Two tabs refreshing at once: a refresh token spent this recently is answered with a fresh
    # pair of the same session instead of being taken for a replay (which revokes the session).
    refresh_reuse_leeway: timedelta = timedelta(seconds=10)


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
        await admit(self.throttle, key, policy)

    async def password_check_wait(self, account: str, ip: str | None) -> int:
        """Seconds a password check for `account` from `ip` must wait (0: go ahead); records nothing."""
        pair, ceiling, per_ip = _password_keys(account, ip)
        waits = [await self.throttle.retry_after(*pair), await self.throttle.retry_after(*per_ip)]
        if not await self.throttle.retry_after(_known_key(account, ip), KNOWN_ADDRESS):
            waits.append(await self.throttle.retry_after(*ceiling))
        return max(waits)

    async def password_check_allowed(self, account: str, ip: str | None) -> None:
        """Refuse (429) a password check the sign-in failure throttle says must wait."""
        if wait := await self.password_check_wait(account, ip):
            raise RateLimited("Too many failed password attempts. Try again later.", retry_after_seconds=wait)

    async def password_check_failed(self, account: str, ip: str | None) -> None:
        """Count one wrong password for `account` from `ip` (against every key of the throttle)."""
        for key, policy in _password_keys(account, ip):
            await self.throttle.hit(key, policy)

    async def password_check_succeeded(self, account: str, ip: str | None) -> None:
        """The right password from `ip`: its backoff for the account starts over, and the address is known."""
        await self.throttle.reset(_password_keys(account, ip)[0][0])
        await self.throttle.reset(_known_key(account, ip))
        await self.throttle.hit(_known_key(account, ip), KNOWN_ADDRESS)


def _known_key(account: str, ip: str | None) -> str:
    return f"login:known-address:{account}|{ip}"


def _password_keys(account: str, ip: str | None) -> list[tuple[str, ThrottlePolicy]]:
    """The throttle keys of one password check; `account` is the normalised email as typed."""
    return [
        (f"login:account-address:{account}|{ip}", LOGIN_PER_ACCOUNT_ADDRESS),
        (f"login:account:{account}", LOGIN_PER_ACCOUNT),
        (f"login:ip:{ip}", LOGIN_PER_IP),
    ]
