"""Password use cases: change (signed in), forgot and reset (by mailed token)."""

from __future__ import annotations

from uuid import UUID

from nexuscore.identity.application.services import FORGOT_PER_EMAIL, FORGOT_PER_IP, IdentityServices
from nexuscore.identity.domain.errors import InvalidToken
from nexuscore.identity.domain.events import UserPasswordChanged, UserPasswordReset, UserPasswordResetRequested
from nexuscore.identity.domain.model import ActionPurpose
from nexuscore.identity.domain.passwords import check_password
from nexuscore.identity.ports.repositories import IdentityUnitOfWork
from nexuscore.kernel.email import normalise_email
from nexuscore.kernel.errors import FieldError, NotFound, ValidationError
from nexuscore.kernel.tokens import digest_token


async def change_password(
    uow: IdentityUnitOfWork,
    services: IdentityServices,
    *,
    user_id: UUID,
    session_id: UUID,
    current_password: str,
    new_password: str,
    ip: str | None = None,
) -> None:
    user = await uow.users.get(user_id)
    if user is None:
        raise NotFound("User not found.")
    # The current password is a password check like a sign-in: it shares its failure throttle.
    await services.password_check_allowed(user.email, ip)
    if not await services.hasher.verify(user.password_hash, current_password):
        await services.password_check_failed(user.email, ip)
        raise ValidationError(
            "The current password is incorrect.", errors=[FieldError("currentPassword", "is incorrect")]
        )
    check_password(new_password, user.email, field="newPassword")
    now = services.clock.now()
    user.set_password(await services.hasher.hash(new_password), now)
    await uow.users.save(user)
    # Other devices are signed out; this one keeps its refresh token and gets new access tokens.
    count = await uow.sessions.revoke_all(user.id, now, "password_changed", keep=session_id)
    await uow.action_tokens.invalidate(user.id, ActionPurpose.RESET_PASSWORD, now)
    await uow.events.append(
        UserPasswordChanged(occurred_at=now, user_id=user.id, actor_id=user.id, sessions_revoked=count)
    )
    await uow.commit()


async def forgot_password(uow: IdentityUnitOfWork, services: IdentityServices, *, email: str, ip: str | None) -> None:
    """Always looks the same to the caller; mails a reset link only when the account exists.

    Both paths do the same work in the request (throttle hits, one account read, one outbox
    event, one commit), so the answer's timing does not tell whether the account exists: for an
    unknown or inactive account the event has no subject, and its subscriber mails nothing.
    """
    await services.rate_limit(f"forgot:ip:{ip}", FORGOT_PER_IP)
    try:
        normalised = normalise_email(email)
    except ValidationError:
        return  # malformed: no account can have it (and the caller sees why it was typed wrong)
    await services.rate_limit(f"forgot:email:{normalised}", FORGOT_PER_EMAIL)
    user = await uow.users.get_by_email(normalised)
    user_id = user.id if user is not None and user.is_active else None
    now = services.clock.now()
    await uow.events.append(UserPasswordResetRequested(occurred_at=now, user_id=user_id, actor_id=user_id, ip=ip))
    await uow.commit()


async def reset_password(uow: IdentityUnitOfWork, services: IdentityServices, *, token: str, password: str) -> None:
    now = services.clock.now()
    found = await uow.action_tokens.find(digest_token(token or ""), [ActionPurpose.RESET_PASSWORD])
    if found is None or not found.usable(now):
        raise InvalidToken()
    user = await uow.users.get(found.user_id)
    if user is None or not user.is_active:
        raise InvalidToken()
    check_password(password, user.email)
    if not await uow.action_tokens.use(found.id, now):
        raise InvalidToken()
    user.set_password(await services.hasher.hash(password), now)
    if user.email_verified_at is None:
        user.email_verified_at = now  # the reset link proved control of the mailbox
    await uow.users.save(user)
    await uow.action_tokens.invalidate(user.id, ActionPurpose.RESET_PASSWORD, now)
    count = await uow.sessions.revoke_all(user.id, now, "password_reset")
    await uow.events.append(
        UserPasswordReset(occurred_at=now, user_id=user.id, actor_id=user.id, sessions_revoked=count)
    )
    await uow.commit()
