"""HTTP adapter of the identity context: /api/v1/auth and /api/v1/me."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from nexuscore.identity.adapters.http.dependencies import CURRENT_USER_STATE_KEY, client_info
from nexuscore.identity.adapters.http.schemas import (
    AcceptedResponse,
    ChangeEmailRequest,
    ChangePasswordRequest,
    ForgotPasswordRequest,
    LoginRequest,
    RefreshRequest,
    RegisterRequest,
    ResetPasswordRequest,
    SessionPage,
    SessionResponse,
    TokenResponse,
    UpdateProfileRequest,
    UserResponse,
    VerifyEmailRequest,
)
from nexuscore.identity.adapters.sql.repositories import SqlIdentityUnitOfWork
from nexuscore.identity.application import accounts, passwords, sessions
from nexuscore.identity.application.services import IdentityServices
from nexuscore.identity.application.sessions import TokenPair
from nexuscore.identity.domain.model import Principal
from nexuscore.kernel.paging import DEFAULT_LIMIT, PageRequest
from nexuscore.platform.http.idempotency import RESPONSE_NOT_KEPT
from nexuscore.platform.http.problem_docs import CONFLICT, RATE_LIMITED, UNAUTHENTICATED, problems
from nexuscore.platform.http.structs import Limit, Offset

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]


# Token pairs are never stored with an Idempotency-Key (refresh tokens are kept only as digests).
TOKENS_NOT_KEPT = {RESPONSE_NOT_KEPT: True}


def _tokens(pair: TokenPair) -> TokenResponse:
    return TokenResponse(access_token=pair.access_token, refresh_token=pair.refresh_token, expires_in=pair.expires_in)


class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ["identity"]

    @post(
        "/register",
        status_code=HTTP_201_CREATED,
        summary="Create an account; mails a verification link",
        opt=problems(CONFLICT, RATE_LIMITED),
    )
    async def register(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[RegisterRequest],
        identity_uow: NamedDependency[SqlIdentityUnitOfWork],
        identity_services: NamedDependency[IdentityServices],
    ) -> UserResponse:
        user = await accounts.register(
            identity_uow,
            identity_services,
            email=data.email,
            password=data.password,
            full_name=data.full_name,
            marketing_consent=data.marketing_consent,
            ip=client_info(request).ip,
        )
        return UserResponse.of(user)

    @post(
        "/verify-email",
        status_code=HTTP_200_OK,
        summary="Confirm an email address with a mailed token",
        opt=problems(CONFLICT),
    )
    async def verify_email(
        self,
        data: JSONBody[VerifyEmailRequest],
        identity_uow: NamedDependency[SqlIdentityUnitOfWork],
        identity_services: NamedDependency[IdentityServices],
    ) -> UserResponse:
        return UserResponse.of(await accounts.verify_email(identity_uow, identity_services, token=data.token))

    @post(
        "/resend-verification",
        status_code=HTTP_202_ACCEPTED,
        security=BEARER,
        summary="Mail the verification link again",
        opt=problems(RATE_LIMITED),
    )
    async def resend_verification(
        self,
        principal: NamedDependency[Principal],
        identity_uow: NamedDependency[SqlIdentityUnitOfWork],
        identity_services: NamedDependency[IdentityServices],
    ) -> AcceptedResponse:
        await accounts.resend_verification(identity_uow, identity_services, user_id=principal.user_id)
        return AcceptedResponse()

    @post(
        "/login",
        status_code=HTTP_200_OK,
        summary="Sign in with email and password",
        opt={**TOKENS_NOT_KEPT, **problems(UNAUTHENTICATED, RATE_LIMITED)},
    )
    async def login(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[LoginRequest],
        identity_uow: NamedDependency[SqlIdentityUnitOfWork],
        identity_services: NamedDependency[IdentityServices],
    ) -> TokenResponse:
        pair = await sessions.login(
            identity_uow, identity_services, email=data.email, password=data.password, client=client_info(request)
        )
        return _tokens(pair)

    @post(
        "/refresh",
        status_code=HTTP_200_OK,
        summary="Trade a refresh token for a new token pair",
        opt={**TOKENS_NOT_KEPT, **problems(UNAUTHENTICATED)},
    )
    async def refresh(
        self,
        data: JSONBody[RefreshRequest],
        identity_uow: NamedDependency[SqlIdentityUnitOfWork],
        identity_services: NamedDependency[IdentityServices],
    ) -> TokenResponse:
        return _tokens(await sessions.refresh(identity_uow, identity_services, refresh_token=data.refresh_token))

    @post("/logout", status_code=HTTP_204_NO_CONTENT, summary="End the session of a refresh token")
    async def logout(
        self,
        data: JSONBody[RefreshRequest],
        identity_uow: NamedDependency[SqlIdentityUnitOfWork],
        identity_services: NamedDependency[IdentityServices],
    ) -> None:
        await sessions.logout(identity_uow, identity_services, refresh_token=data.refresh_token)

    @post(
        "/logout-all",
        status_code=HTTP_204_NO_CONTENT,
        security=BEARER,
        summary="End every session and invalidate outstanding access tokens",
    )
    async def logout_all(
        self,
        principal: NamedDependency[Principal],
        identity_uow: NamedDependency[SqlIdentityUnitOfWork],
        identity_services: NamedDependency[IdentityServices],
    ) -> None:
        await sessions.logout_all(identity_uow, identity_services, user_id=principal.user_id)

    @post(
        "/forgot-password",
        status_code=HTTP_202_ACCEPTED,
        summary="Mail a password reset link if the account exists",
        opt=problems(RATE_LIMITED),
    )
    async def forgot_password(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[ForgotPasswordRequest],
        identity_uow: NamedDependency[SqlIdentityUnitOfWork],
        identity_services: NamedDependency[IdentityServices],
    ) -> AcceptedResponse:
        await passwords.forgot_password(identity_uow, identity_services, email=data.email, ip=client_info(request).ip)
        return AcceptedResponse()

    @post("/reset-password", status_code=HTTP_204_NO_CONTENT, summary="Set a new password with a mailed token")
    async def reset_password(
        self,
        data: JSONBody[ResetPasswordRequest],
        identity_uow: NamedDependency[SqlIdentityUnitOfWork],
        identity_services: NamedDependency[IdentityServices],
    ) -> None:
        await passwords.reset_password(identity_uow, identity_services, token=data.token, password=data.password)


class MeController(Controller):
    path = "/api/v1/me"
    tags = ["identity"]
    security = BEARER

    @get("/", summary="Your profile")
    async def get_me(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        identity_uow: NamedDependency[SqlIdentityUnitOfWork],
        identity_services: NamedDependency[IdentityServices],
    ) -> UserResponse:
        # Authentication has just read this user in this request's transaction.
        user = request.state.get(CURRENT_USER_STATE_KEY)
        if user is None or user.id != principal.user_id:
            user = await accounts.get_profile(identity_uow, identity_services, user_id=principal.user_id)
        return UserResponse.of(user)

    @patch("/", summary="Change your name, locale or marketing consent")
    async def update_me(
        self,
        principal: NamedDependency[Principal],
        data: JSONBody[UpdateProfileRequest],
        identity_uow: NamedDependency[SqlIdentityUnitOfWork],
        identity_services: NamedDependency[IdentityServices],
    ) -> UserResponse:
        changes = accounts.ProfileChanges(
            full_name=data.full_name, locale=data.locale, marketing_consent=data.marketing_consent
        )
        user = await accounts.update_profile(
            identity_uow, identity_services, user_id=principal.user_id, changes=changes
        )
        return UserResponse.of(user)

    @post(
        "/password",
        status_code=HTTP_204_NO_CONTENT,
        summary="Change your password; other sessions end",
        opt=problems(RATE_LIMITED),
    )
    async def change_password(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        data: JSONBody[ChangePasswordRequest],
        identity_uow: NamedDependency[SqlIdentityUnitOfWork],
        identity_services: NamedDependency[IdentityServices],
    ) -> None:
        await passwords.change_password(
            identity_uow,
            identity_services,
            user_id=principal.user_id,
            session_id=principal.session_id,
            current_password=data.current_password,
            new_password=data.new_password,
            ip=client_info(request).ip,
        )

    @post(
        "/email",
        status_code=HTTP_202_ACCEPTED,
        summary="Start an email change; completes on verification",
        opt=problems(CONFLICT, RATE_LIMITED),
    )
    async def change_email(
        self,
        request: Request[Any, Any, Any],
        principal: NamedDependency[Principal],
        data: JSONBody[ChangeEmailRequest],
        identity_uow: NamedDependency[SqlIdentityUnitOfWork],
        identity_services: NamedDependency[IdentityServices],
    ) -> AcceptedResponse:
        await accounts.request_email_change(
            identity_uow,
            identity_services,
            user_id=principal.user_id,
            new_email=data.new_email,
            password=data.password,
            ip=client_info(request).ip,
        )
        return AcceptedResponse()

    @get("/sessions", summary="Your active sessions")
    async def list_sessions(
        self,
        principal: NamedDependency[Principal],
        identity_uow: NamedDependency[SqlIdentityUnitOfWork],
        identity_services: NamedDependency[IdentityServices],
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> SessionPage:
        found = await sessions.list_sessions(
            identity_uow, identity_services, user_id=principal.user_id, page=PageRequest(limit=limit, offset=offset)
        )
        return SessionPage.of(found, lambda s: SessionResponse.of(s, principal.session_id))

    @delete("/sessions/{session_id:uuid}", status_code=HTTP_204_NO_CONTENT, summary="End one of your sessions")
    async def revoke_session(
        self,
        session_id: FromPath[UUID],
        principal: NamedDependency[Principal],
        identity_uow: NamedDependency[SqlIdentityUnitOfWork],
        identity_services: NamedDependency[IdentityServices],
    ) -> None:
        await sessions.revoke_session(identity_uow, identity_services, user_id=principal.user_id, session_id=session_id)
