"""What the privacy use cases are built with."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from nexuscore.kernel.clock import Clock
from nexuscore.kernel.mail import Mailer
from nexuscore.kernel.personal_data import PersonalDataProvider, salted_hash
from nexuscore.kernel.throttle import Throttle, ThrottlePolicy, admit
from nexuscore.privacy.ports.repositories import ProcessingQueue

# The public intake is open to anyone, and each accepted request mails a code:
# * per client address, on both public routes: a flood from one address (mail bombing through
#   the intake, or guessing codes across many requests) is slowed after 10 requests an hour
#   (intake) or 20 code attempts an hour (verify); the backoff starts at a minute and doubles.
# * per (organisation, address asked about): 3 requests an hour, like forgot-password, so one
#   address is not mailed codes without end, whoever asks. It counts every request whether or
#   not the organisation knows the address, so a 429 tells no more than a 202 does.
# The 5 attempts per code stay on the request itself (domain.requests).
INTAKE_PER_IP = ThrottlePolicy(limit=10, window_seconds=3600, base_delay_seconds=60, max_delay_seconds=3600)
INTAKE_PER_EMAIL = ThrottlePolicy(limit=3, window_seconds=3600, base_delay_seconds=300, max_delay_seconds=3600)
VERIFY_PER_IP = ThrottlePolicy(limit=20, window_seconds=3600, base_delay_seconds=60, max_delay_seconds=3600)


@dataclass(frozen=True)
class PrivacyServices:
    clock: Clock
    providers: Sequence[PersonalDataProvider]
    mailer: Mailer
    queue: ProcessingQueue
    secret: bytes  # derives the erasure salt and keys the verification codes
    app_base_url: str
    throttle: Throttle

    async def rate_limit(self, key: str, policy: ThrottlePolicy) -> None:
        """Count one request against `key`; refuse it (429, nothing done) when the policy says wait."""
        await admit(self.throttle, key, policy)

    @property
    def erasure_salt(self) -> bytes:
        return erasure_salt(self.secret)

    def provider(self, name: str) -> PersonalDataProvider:
        for p in self.providers:
            if p.name == name:
                return p
        raise LookupError(f"no personal data provider named {name!r}")

    @property
    def provider_names(self) -> list[str]:
        return [p.name for p in self.providers]

    def code_digest(self, request_id: UUID, code: str) -> str:
        # Keyed and bound to the request: a 6-digit code has too few values for a bare hash.
        return hmac.new(self.secret, f"{request_id}:{code}".encode(), hashlib.sha256).hexdigest()

    def suppression_digest(self, value: str) -> str:
        return suppression_digest(value, self.erasure_salt)


def erasure_salt(secret: bytes) -> bytes:
    """Derived from the platform's secret key (rotating the key orphans the suppression list)."""
    return hmac.new(secret, b"nexuscore.privacy.erasure", hashlib.sha256).digest()


def suppression_digest(value: str, salt: bytes) -> str:
    return salted_hash(value.strip().lower(), salt)


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"
