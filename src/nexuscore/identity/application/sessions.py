"""Sign-in use cases: login, refresh rotation with reuse detection, logout, session management,
and resolving the caller of a request from an access token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from nexuscore.identity.application.services import IdentityServices
from nexuscore.identity.domain.errors import InvalidCredentials, InvalidRefreshToken
from nexuscore.identity.domain.events import (
    UserLoggedIn,
    UserLoggedOut,
    UserLoginFailed,
    UserRefreshTokenReused,
    UserSessionsRevoked,
)
from nexuscore.identity.domain.model import AuthSession, Principal, RefreshToken, User
from nexuscore.identity.ports.repositories import IdentityUnitOfWork
from nexuscore.kernel.email import normalise_email
from nexuscore.kernel.errors import AuthenticationRequired, NotFound, ValidationError
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.kernel.tokens import digest_token, new_opaque_token

MAX_USER_AGENT = 400


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    session_id: UUID


@dataclass(frozen=True)
class ClientInfo:
    ip: str | None = None
    user_agent: str | None = None


async def _start_session(
    uow: IdentityUnitOfWork, services: IdentityServices, user: User, client: ClientInfo
) -> TokenPair:
    now = services.clock.now()
    session = AuthSession(
        user_id=user.id,
        created_at=now,
        last_used_at=now,
        expires_at=now + services.config.refresh_token_lifetime,
        ip=client.ip,
        user_agent=(client.user_agent or "")[:MAX_USER_AGENT] or None,
    )
    refresh = new_opaque_token()
    await uow.sessions.add(
        session, RefreshToken(session.id, refresh.digest, issued_at=now, expires_at=session.expires_at)
    )
    return TokenPair(
        access_token=services.tokens.issue(user.id, session.id, now),
        refresh_token=refresh.raw,
        expires_in=services.tokens.lifetime_seconds,
        session_id=session.id,
    )


async def login(
    uow: IdentityUnitOfWork, services: IdentityServices, *, email: str, password: str, client: ClientInfo
) -> TokenPair:
    try:
        normalised: str | None = normalise_email(email)
    except ValidationError:
        normalised = None  # still spend the hashing work below: malformed and unknown look alike
    account = normalised or email.strip().lower()
    await services.password_check_allowed(account, client.ip)

    # A place in the hashing queue first, the account read second: in a login storm the
    # waiting sign-ins then hold no database connection, and the pool stays free for others.
    new_hash: str | None = None
    async with services.hasher.reserve() as hashing:
        user = await uow.users.get_by_email(normalised) if normalised else None
        # Hashing takes tens of milliseconds: give the connection back while it runs.
        await uow.rollback()
        if user is None:
            await hashing.verify_dummy(password)
            ok = False
        else:
            ok = await hashing.verify(user.password_hash, password) and user.is_active
            if ok and services.hasher.needs_rehash(user.password_hash):
                new_hash = await hashing.hash(password)
    now = services.clock.now()
    if not ok or user is None:
        await services.password_check_failed(account, client.ip)
        user_id = user.id if user else None
        await uow.events.append(
            UserLoginFailed(
                occurred_at=now,
                user_id=user_id,
                actor_id=user_id,
                reason="bad_password" if user else "unknown_account",
                ip=client.ip,
            )
        )
        await uow.commit()
        raise InvalidCredentials()

    await services.password_check_succeeded(account, client.ip)
    if new_hash is not None:
        user.password_hash = new_hash
        user.updated_at = now
        await uow.users.save(user)
    pair = await _start_session(uow, services, user, client)
    await uow.events.append(
        UserLoggedIn(occurred_at=now, user_id=user.id, actor_id=user.id, session_id=pair.session_id, ip=client.ip)
    )
    await uow.commit()
    return pair


async def refresh(uow: IdentityUnitOfWork, services: IdentityServices, *, refresh_token: str) -> TokenPair:
    now = services.clock.now()
    token = await uow.sessions.find_refresh_token(digest_token(refresh_token or ""))
    if token is None:
        raise InvalidRefreshToken()
    session = await uow.sessions.get(token.session_id)
    if session is None:
        raise InvalidRefreshToken()
    if token.spent_at is not None or not await uow.sessions.spend_refresh_token(token.id, now):
        # Spent already. Within the leeway (another tab of the same browser refreshed at the same
        # moment) the caller gets a fresh pair of the same session, as below. Later it was stolen
        # or replayed: end the whole family.
        spent_at = token.spent_at or now  # None: a concurrent refresh spent it just now
        if session.revoked_at is None and now - spent_at <= services.config.refresh_reuse_leeway:
            return await _rotate(uow, services, session, token, now)
        if session.revoked_at is None:
            session.revoked_at, session.revoke_reason = now, "refresh_token_reuse"
            await uow.sessions.save(session)
            await uow.events.append(
                UserRefreshTokenReused(
                    occurred_at=now, user_id=session.user_id, actor_id=session.user_id, session_id=session.id
                )
            )
            await uow.commit()
        raise InvalidRefreshToken()
    return await _rotate(uow, services, session, token, now)


async def _rotate(
    uow: IdentityUnitOfWork, services: IdentityServices, session: AuthSession, token: RefreshToken, now: datetime
) -> TokenPair:
    """A new refresh token in the session's family and a new access token (the token is spent)."""
    user = await uow.users.get(session.user_id)
    if user is None or not user.is_active or not session.active(now) or now >= token.expires_at:
        raise InvalidRefreshToken()
    session.last_used_at = now
    await uow.sessions.save(session)
    rotated = new_opaque_token()
    await uow.sessions.add_refresh_token(RefreshToken(session.id, rotated.digest, now, session.expires_at))
    await uow.commit()
    return TokenPair(
        access_token=services.tokens.issue(user.id, session.id, now),
        refresh_token=rotated.raw,
        expires_in=services.tokens.lifetime_seconds,
        session_id=session.id,
    )


async def logout(uow: IdentityUnitOfWork, services: IdentityServices, *, refresh_token: str) -> None:
    """End the session the refresh token belongs to. Unknown tokens are ignored (idempotent)."""
    token = await uow.sessions.find_refresh_token(digest_token(refresh_token or ""))
    if token is None:
        return
    session = await uow.sessions.get(token.session_id)
    now = services.clock.now()
    if session is None or session.revoked_at is not None:
        return
    session.revoked_at, session.revoke_reason = now, "logout"
    await uow.sessions.save(session)
    await uow.events.append(
        UserLoggedOut(occurred_at=now, user_id=session.user_id, actor_id=session.user_id, session_id=session.id)
    )
    await uow.commit()


async def logout_all(uow: IdentityUnitOfWork, services: IdentityServices, *, user_id: UUID) -> None:
    user = await uow.users.get(user_id)
    if user is None:
        raise NotFound("User not found.")
    now = services.clock.now()
    user.revoke_tokens(now)  # outstanding access tokens die now, not at their expiry
    await uow.users.save(user)
    count = await uow.sessions.revoke_all(user_id, now, "logout_all")
    await uow.events.append(
        UserSessionsRevoked(occurred_at=now, user_id=user_id, actor_id=user_id, reason="logout_all", count=count)
    )
    await uow.commit()


async def list_sessions(
    uow: IdentityUnitOfWork, services: IdentityServices, *, user_id: UUID, page: PageRequest
) -> Page[AuthSession]:
    return await uow.sessions.list_active(user_id, services.clock.now(), page)


async def revoke_session(
    uow: IdentityUnitOfWork, services: IdentityServices, *, user_id: UUID, session_id: UUID
) -> None:
    session = await uow.sessions.get(session_id)
    now = services.clock.now()
    if session is None or session.user_id != user_id or not session.active(now):
        raise NotFound("Session not found.")  # another user's session is "not found" too
    session.revoked_at, session.revoke_reason = now, "revoked_by_user"
    await uow.sessions.save(session)
    await uow.events.append(
        UserSessionsRevoked(
            occurred_at=now, user_id=user_id, actor_id=user_id, reason="revoked_by_user", session_id=session_id
        )
    )
    await uow.commit()


async def authenticate(uow: IdentityUnitOfWork, services: IdentityServices, *, access_token: str) -> Principal:
    """The caller of a request: token signature and claims, then user and session state in storage."""
    return (await authenticate_user(uow, services, access_token=access_token))[0]


async def authenticate_user(
    uow: IdentityUnitOfWork, services: IdentityServices, *, access_token: str
) -> tuple[Principal, User]:
    """As `authenticate`, also returning the user it read (so a request need not read it twice)."""
    claims = services.tokens.decode(access_token)
    found = await uow.sessions.get_with_user(claims.session_id)
    now = services.clock.now()
    session, user = found if found else (None, None)
    if (
        user is None
        or session is None
        or not user.is_active
        or user.id != claims.user_id
        or not session.active(now)
        or not user.accepts_token_issued_at(claims.issued_at)
    ):
        raise AuthenticationRequired("The access token is no longer valid. Sign in again.")
    return Principal(
        user_id=user.id,
        session_id=session.id,
        email=user.email,
        is_staff=user.is_staff,
        email_verified=user.email_verified,
    ), user
