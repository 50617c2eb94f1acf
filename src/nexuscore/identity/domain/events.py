"""Identity domain events.

Each event is about one account: its subject is `user:<id>`, and the account's id is not
repeated in the payload. Payloads carry ids and non-secret facts only: never passwords,
hashes or tokens. Who acted is the envelope's `actor_id` (the account itself for its own
actions, None when no user acted: the CLI). Names and stored payloads are a contract with
subscribers and the audit trail (tests/unit/identity/test_identity_event_payloads.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar
from uuid import UUID

from nexuscore.kernel.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class UserEvent(DomainEvent):
    """An event about the account `user_id` (the subject, left out of the payload)."""

    user_id: UUID | None

    @property
    def subject(self) -> str | None:
        return f"user:{self.user_id}" if self.user_id else None

    def payload(self) -> dict[str, Any]:
        out = super().payload()
        out.pop("userId", None)
        return out


@dataclass(frozen=True, kw_only=True)
class UserRegistered(UserEvent):
    """A sign-up (with the consent given), or an account made by the CLI or the seeder (`via`)."""

    name: ClassVar[str] = "user.registered"
    marketing_consent: bool | None = None
    via: str | None = None


@dataclass(frozen=True, kw_only=True)
class UserVerificationRequested(UserEvent):
    name: ClassVar[str] = "user.verification_requested"


@dataclass(frozen=True, kw_only=True)
class UserEmailVerified(UserEvent):
    name: ClassVar[str] = "user.email_verified"


@dataclass(frozen=True, kw_only=True)
class UserLoggedIn(UserEvent):
    name: ClassVar[str] = "user.logged_in"
    session_id: UUID
    ip: str | None = None


@dataclass(frozen=True, kw_only=True)
class UserLoginFailed(UserEvent):
    """`user_id` is None (no subject) when no account has the email given."""

    name: ClassVar[str] = "user.login_failed"
    reason: str  # bad_password | unknown_account
    ip: str | None = None


@dataclass(frozen=True, kw_only=True)
class UserLoggedOut(UserEvent):
    name: ClassVar[str] = "user.logged_out"
    session_id: UUID


@dataclass(frozen=True, kw_only=True)
class UserRefreshTokenReused(UserEvent):
    """A spent refresh token came back; its whole session was revoked."""

    name: ClassVar[str] = "user.refresh_token_reused"
    session_id: UUID


@dataclass(frozen=True, kw_only=True)
class UserSessionsRevoked(UserEvent):
    """All sessions (`count` of them, `logout_all`) or one (`session_id`, `revoked_by_user`)."""

    name: ClassVar[str] = "user.sessions_revoked"
    reason: str
    count: int | None = None
    session_id: UUID | None = None


@dataclass(frozen=True, kw_only=True)
class UserPasswordChanged(UserEvent):
    name: ClassVar[str] = "user.password_changed"
    sessions_revoked: int


@dataclass(frozen=True, kw_only=True)
class UserPasswordResetRequested(UserEvent):
    name: ClassVar[str] = "user.password_reset_requested"
    ip: str | None = None


@dataclass(frozen=True, kw_only=True)
class UserPasswordReset(UserEvent):
    name: ClassVar[str] = "user.password_reset"
    sessions_revoked: int


@dataclass(frozen=True, kw_only=True)
class UserProfileUpdated(UserEvent):
    name: ClassVar[str] = "user.profile_updated"
    fields: tuple[str, ...]  # API names of the fields that changed


@dataclass(frozen=True, kw_only=True)
class UserEmailChangeRequested(UserEvent):
    name: ClassVar[str] = "user.email_change_requested"
    new_email: str  # not a secret; the mailed token is minted by the subscriber


@dataclass(frozen=True, kw_only=True)
class UserEmailChanged(UserEvent):
    name: ClassVar[str] = "user.email_changed"
    previous_email: str


@dataclass(frozen=True, kw_only=True)
class UserStaffGranted(UserEvent):
    name: ClassVar[str] = "user.staff_granted"
    via: str
