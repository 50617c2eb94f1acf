"""Request and response bodies of the identity API (camelCase; unknown fields are refused)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from nexuscore.identity.domain.model import AuthSession, User
from nexuscore.platform.http.structs import PageResponse, RequestBody, ResponseBody

Email = Annotated[str, msgspec.Meta(max_length=320, examples=["ann@example.sg"])]
# Generous transport cap; the password policy (10-128 characters) gives the real answer.
Password = Annotated[str, msgspec.Meta(max_length=1024)]
Token = Annotated[str, msgspec.Meta(max_length=512)]
Name = Annotated[str, msgspec.Meta(max_length=400)]


class RegisterRequest(RequestBody):
    email: Email
    password: Password
    full_name: Name
    marketing_consent: bool = False


class VerifyEmailRequest(RequestBody):
    token: Token


class LoginRequest(RequestBody):
    email: Email
    password: Password


class RefreshRequest(RequestBody):
    refresh_token: Token


class ForgotPasswordRequest(RequestBody):
    email: Email


class ResetPasswordRequest(RequestBody):
    token: Token
    password: Password


class UpdateProfileRequest(RequestBody):
    full_name: Name | None = None
    locale: Annotated[str, msgspec.Meta(max_length=16)] | None = None
    marketing_consent: bool | None = None


class ChangePasswordRequest(RequestBody):
    current_password: Password
    new_password: Password


class ChangeEmailRequest(RequestBody):
    new_email: Email
    password: Password


class UserResponse(ResponseBody):
    id: UUID
    email: str
    full_name: str
    locale: str
    email_verified: bool
    is_staff: bool
    marketing_consent: bool
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> UserResponse:
        return cls(
            id=user.id,
            email=user.email,
            full_name=user.full_name,
            locale=user.locale,
            email_verified=user.email_verified,
            is_staff=user.is_staff,
            marketing_consent=user.marketing_consent_at is not None,
            created_at=user.created_at,
        )


class TokenResponse(ResponseBody):
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: Literal["Bearer"] = "Bearer"


class SessionResponse(ResponseBody):
    id: UUID
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime
    ip: str | None
    user_agent: str | None
    current: bool

    @classmethod
    def of(cls, session: AuthSession, current_id: UUID) -> SessionResponse:
        return cls(
            id=session.id,
            created_at=session.created_at,
            last_used_at=session.last_used_at,
            expires_at=session.expires_at,
            ip=session.ip,
            user_agent=session.user_agent,
            current=session.id == current_id,
        )


class SessionPage(PageResponse[SessionResponse]):
    """Your active sessions, most recently used first."""

    items: list[SessionResponse]  # named again so the document shows the item type


class AcceptedResponse(ResponseBody):
    status: Literal["accepted"] = "accepted"
