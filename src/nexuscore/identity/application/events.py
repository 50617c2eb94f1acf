"""Identity domain events. Payloads carry ids and non-secret facts only: never passwords,
hashes or tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from nexuscore.kernel.events import EventRecord

USER_REGISTERED = "user.registered"
USER_VERIFICATION_REQUESTED = "user.verification_requested"
USER_EMAIL_VERIFIED = "user.email_verified"
USER_LOGGED_IN = "user.logged_in"
USER_LOGIN_FAILED = "user.login_failed"
USER_LOGGED_OUT = "user.logged_out"
USER_TOKEN_REFRESHED = "user.token_refreshed"
USER_REFRESH_TOKEN_REUSED = "user.refresh_token_reused"
USER_SESSIONS_REVOKED = "user.sessions_revoked"
USER_PASSWORD_CHANGED = "user.password_changed"
USER_PASSWORD_RESET_REQUESTED = "user.password_reset_requested"
USER_PASSWORD_RESET = "user.password_reset"
USER_PROFILE_UPDATED = "user.profile_updated"
USER_EMAIL_CHANGE_REQUESTED = "user.email_change_requested"
USER_EMAIL_CHANGED = "user.email_changed"
USER_STAFF_GRANTED = "user.staff_granted"


# Default actor: the user the event is about. Pass `actor_id=None` for "no user acted" (the CLI).
_THE_USER: Any = object()


def user_event(
    event_type: str, user_id: UUID | None, now: datetime, *, actor_id: UUID | None = _THE_USER, **payload: Any
) -> EventRecord:
    return EventRecord(
        type=event_type,
        occurred_at=now,
        actor_id=user_id if actor_id is _THE_USER else actor_id,
        subject=f"user:{user_id}" if user_id else None,
        payload={k: v for k, v in payload.items() if v is not None},
    )
