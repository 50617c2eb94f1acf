"""Litestar dependencies of the identity context: its unit of work, services and the caller."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request
from litestar.datastructures import Headers
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.identity.adapters.cli.commands import SERVICES_STATE_KEY as IDENTITY_STATE_KEY
from nexuscore.identity.adapters.sql.repositories import SqlIdentityUnitOfWork
from nexuscore.identity.application.services import IdentityServices
from nexuscore.identity.application.sessions import ClientInfo, authenticate_user
from nexuscore.identity.domain.model import Principal
from nexuscore.kernel.errors import AuthenticationRequired, DomainError
from nexuscore.platform.database import bind_rls_scope
from nexuscore.platform.http.client import client_ip

CURRENT_USER_STATE_KEY = "identity.current_user"


def provide_identity_services(request: Request[Any, Any, Any]) -> IdentityServices:
    services: IdentityServices = request.app.state[IDENTITY_STATE_KEY]
    return services


def provide_identity_uow(
    db_session: NamedDependency[AsyncSession], identity_services: NamedDependency[IdentityServices]
) -> SqlIdentityUnitOfWork:
    return SqlIdentityUnitOfWork(db_session, identity_services.clock)


def client_info(request: Request[Any, Any, Any]) -> ClientInfo:
    return ClientInfo(ip=client_ip(request), user_agent=request.headers.get("user-agent"))


def bearer_token(request: Request[Any, Any, Any]) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationRequired("Sign in and send the access token as `Authorization: Bearer <token>`.")
    return token.strip()


async def provide_principal(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    identity_services: NamedDependency[IdentityServices],
) -> Principal:
    """The signed-in caller, checked against storage on every request (never the token alone)."""
    uow = SqlIdentityUnitOfWork(db_session, identity_services.clock)
    principal, user = await authenticate_user(uow, identity_services, access_token=bearer_token(request))
    request.state[CURRENT_USER_STATE_KEY] = user  # GET /me answers from it without a second read
    # Row-level security: from here on this request's queries run as this user. Deferred: a
    # tenant route's organisation binding carries it in the same statement.
    await bind_rls_scope(db_session, user_id=principal.user_id, defer=True)
    return principal


def caller_identifier(
    sessions: async_sessionmaker[AsyncSession], services: IdentityServices
) -> Callable[[Headers], Awaitable[str | None]]:
    """Who is calling, for the platform's per-caller scopes (idempotency keys): the user of a
    valid access token, checked against storage as `provide_principal` does; None otherwise
    (no token, or one the route itself will refuse)."""

    async def identify(headers: Headers) -> str | None:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        async with sessions() as session:
            try:
                principal, _ = await authenticate_user(
                    SqlIdentityUnitOfWork(session, services.clock), services, access_token=token.strip()
                )
            except DomainError:
                return None
        return f"user:{principal.user_id}"

    return identify
