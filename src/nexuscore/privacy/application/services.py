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
from nexuscore.privacy.ports.repositories import ProcessingQueue


@dataclass(frozen=True)
class PrivacyServices:
    clock: Clock
    providers: Sequence[PersonalDataProvider]
    mailer: Mailer
    queue: ProcessingQueue
    secret: bytes  # derives the erasure salt and keys the verification codes
    app_base_url: str

    @property
    def erasure_salt(self) -> bytes:
        return hmac.new(self.secret, b"nexuscore.privacy.erasure", hashlib.sha256).digest()

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
        return salted_hash(value.strip().lower(), self.erasure_salt)


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"
