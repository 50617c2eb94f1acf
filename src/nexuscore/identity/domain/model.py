"""Identity entities: users, sign-in sessions with rotating refresh tokens, one-time action tokens."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from nexuscore.kernel.ids import new_id

SUPPORTED_LOCALES = ("en-SG", "en", "zh-SG", "zh", "ms-SG", "ms", "ta-SG", "ta")
DEFAULT_LOCALE = "en-SG"


@dataclass
class User:
    id: UUID
    email: str
    full_name: str
    password_hash: str
    created_at: datetime
    updated_at: datetime
    locale: str = DEFAULT_LOCALE
    is_staff: bool = False
    is_active: bool = True
    email_verified_at: datetime | None = None
    marketing_consent_at: datetime | None = None
    # Access tokens issued before this instant are refused (logout-all, password change).
    tokens_valid_after: datetime | None = None

    @classmethod
    def register(
        cls, *, email: str, full_name: str, password_hash: str, now: datetime, marketing_consent: bool = False
    ) -> User:
        return cls(
            id=new_id(),
            email=email,
            full_name=full_name,
            password_hash=password_hash,
            created_at=now,
            updated_at=now,
            marketing_consent_at=now if marketing_consent else None,
        )

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def accepts_token_issued_at(self, issued_at: datetime) -> bool:
        return self.tokens_valid_after is None or issued_at >= self.tokens_valid_after

    def revoke_tokens(self, now: datetime) -> None:
        self.tokens_valid_after = now
        self.updated_at = now

    def set_password(self, password_hash: str, now: datetime) -> None:
        self.password_hash = password_hash
        self.revoke_tokens(now)


class ActionPurpose(enum.StrEnum):
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"
    CHANGE_EMAIL = "change_email"

    @property
    def lifetime(self) -> timedelta:
        return timedelta(hours=1) if self is ActionPurpose.RESET_PASSWORD else timedelta(hours=24)


@dataclass
class ActionToken:
    """A mailed, single-use token; only its digest is stored."""

    user_id: UUID
    purpose: ActionPurpose
    digest: str
    created_at: datetime
    expires_at: datetime
    new_email: str | None = None  # for CHANGE_EMAIL: the address being verified
    used_at: datetime | None = None
    id: UUID = field(default_factory=new_id)

    def usable(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at


@dataclass
class AuthSession:
    """One sign-in on one device: the family of its rotating refresh tokens."""

    user_id: UUID
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime
    ip: str | None = None
    user_agent: str | None = None
    revoked_at: datetime | None = None
    revoke_reason: str | None = None
    id: UUID = field(default_factory=new_id)

    def active(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


@dataclass
class RefreshToken:
    session_id: UUID
    digest: str
    issued_at: datetime
    expires_at: datetime
    spent_at: datetime | None = None
    id: UUID = field(default_factory=new_id)


@dataclass(frozen=True)
class Principal:
    """Who is calling: resolved from a valid access token on every request."""

    user_id: UUID
    session_id: UUID
    email: str
    is_staff: bool
    email_verified: bool
