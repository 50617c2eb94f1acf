"""Account use cases: register, verify email, resend verification, profile, email change."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from nexuscore.identity.application.services import REGISTER_PER_IP, RESEND_PER_USER, IdentityServices
from nexuscore.identity.domain.errors import InvalidToken
from nexuscore.identity.domain.events import (
    UserEmailChanged,
    UserEmailChangeRequested,
    UserEmailVerified,
    UserProfileUpdated,
    UserRegistered,
    UserVerificationRequested,
)
from nexuscore.identity.domain.model import SUPPORTED_LOCALES, ActionPurpose, User
from nexuscore.identity.domain.passwords import check_password
from nexuscore.identity.ports.repositories import IdentityUnitOfWork
from nexuscore.kernel.email import normalise_email
from nexuscore.kernel.errors import Conflict, FieldError, NotFound, ValidationError
from nexuscore.kernel.tokens import digest_token

MAX_NAME = 200


def clean_full_name(raw: str) -> str:
    name = " ".join((raw or "").split())
    if not name:
        raise ValidationError("Invalid name.", errors=[FieldError("fullName", "must not be empty")])
    if len(name) > MAX_NAME:
        raise ValidationError(
            "Invalid name.", errors=[FieldError("fullName", f"must be at most {MAX_NAME} characters")]
        )
    return name


async def register(
    uow: IdentityUnitOfWork,
    services: IdentityServices,
    *,
    email: str,
    password: str,
    full_name: str,
    marketing_consent: bool = False,
    ip: str | None = None,
) -> User:
    await services.rate_limit(f"register:ip:{ip}", REGISTER_PER_IP)
    email = normalise_email(email)
    name = clean_full_name(full_name)
    check_password(password, email)
    if await uow.users.get_by_email(email) is not None:
        raise Conflict("An account with this email already exists.")
    await uow.rollback()  # release the connection while hashing (a unique index guards the race)
    password_hash = await services.hasher.hash(password)
    now = services.clock.now()
    user = User.register(
        email=email,
        full_name=name,
        password_hash=password_hash,
        now=now,
        marketing_consent=marketing_consent,
    )
    await uow.users.add(user)
    # The verification mail is sent by a subscriber of this event (outbox), not in the request.
    await uow.events.append(
        UserRegistered(occurred_at=now, user_id=user.id, actor_id=user.id, marketing_consent=marketing_consent)
    )
    await uow.commit()
    return user


async def resend_verification(uow: IdentityUnitOfWork, services: IdentityServices, *, user_id: UUID) -> None:
    user = await _user(uow, user_id)
    if user.email_verified:
        return  # nothing to verify; answering the same keeps the endpoint boring
    await services.rate_limit(f"resend:user:{user_id}", RESEND_PER_USER)
    now = services.clock.now()
    await uow.events.append(UserVerificationRequested(occurred_at=now, user_id=user.id, actor_id=user.id))
    await uow.commit()


async def verify_email(uow: IdentityUnitOfWork, services: IdentityServices, *, token: str) -> User:
    """Complete a sign-up verification or an email change, whichever the token was mailed for."""
    now = services.clock.now()
    found = await uow.action_tokens.find(
        digest_token(token or ""), [ActionPurpose.VERIFY_EMAIL, ActionPurpose.CHANGE_EMAIL]
    )
    if found is None or not found.usable(now):
        raise InvalidToken()
    user = await uow.users.get(found.user_id)
    if user is None or not user.is_active:
        raise InvalidToken()
    if not await uow.action_tokens.use(found.id, now):
        raise InvalidToken()
    if found.purpose is ActionPurpose.CHANGE_EMAIL:
        assert found.new_email is not None
        if found.new_email != user.email and await uow.users.get_by_email(found.new_email) is not None:
            raise Conflict("Another account now uses this email address.")
        old_email = user.email
        user.email = found.new_email
        user.email_verified_at = now
        user.updated_at = now
        await uow.users.save(user)
        await uow.events.append(
            UserEmailChanged(occurred_at=now, user_id=user.id, actor_id=user.id, previous_email=old_email)
        )
    else:
        if user.email_verified_at is None:
            user.email_verified_at = now
            user.updated_at = now
            await uow.users.save(user)
            await uow.events.append(UserEmailVerified(occurred_at=now, user_id=user.id, actor_id=user.id))
    await uow.commit()
    return user


async def get_profile(uow: IdentityUnitOfWork, services: IdentityServices, *, user_id: UUID) -> User:
    return await _user(uow, user_id)


@dataclass(frozen=True)
class ProfileChanges:
    full_name: str | None = None
    locale: str | None = None
    marketing_consent: bool | None = None


async def update_profile(
    uow: IdentityUnitOfWork, services: IdentityServices, *, user_id: UUID, changes: ProfileChanges
) -> User:
    user = await _user(uow, user_id)
    now = services.clock.now()
    changed: list[str] = []
    if changes.full_name is not None:
        name = clean_full_name(changes.full_name)
        if name != user.full_name:
            user.full_name = name
            changed.append("fullName")
    if changes.locale is not None and changes.locale != user.locale:
        if changes.locale not in SUPPORTED_LOCALES:
            raise ValidationError(
                "Unsupported locale.",
                errors=[FieldError("locale", f"must be one of {', '.join(SUPPORTED_LOCALES)}")],
            )
        user.locale = changes.locale
        changed.append("locale")
    if changes.marketing_consent is not None and changes.marketing_consent != (user.marketing_consent_at is not None):
        user.marketing_consent_at = now if changes.marketing_consent else None
        changed.append("marketingConsent")
    if changed:
        user.updated_at = now
        await uow.users.save(user)
        await uow.events.append(
            UserProfileUpdated(occurred_at=now, user_id=user.id, actor_id=user.id, fields=tuple(changed))
        )
        await uow.commit()
    return user


async def request_email_change(
    uow: IdentityUnitOfWork,
    services: IdentityServices,
    *,
    user_id: UUID,
    new_email: str,
    password: str,
    ip: str | None = None,
) -> None:
    user = await _user(uow, user_id)
    new_email = normalise_email(new_email, field="newEmail")
    # The password is checked like a sign-in: it shares the sign-in failure throttle.
    await services.password_check_allowed(user.email, ip)
    if not await services.hasher.verify(user.password_hash, password):
        await services.password_check_failed(user.email, ip)
        raise ValidationError("The password is incorrect.", errors=[FieldError("password", "is incorrect")])
    if new_email == user.email:
        raise ValidationError("That is already your email.", errors=[FieldError("newEmail", "is your current email")])
    if await uow.users.get_by_email(new_email) is not None:
        raise Conflict("Another account uses this email address.")
    now = services.clock.now()
    # The address is not a secret; the mailed token is created by the subscriber.
    await uow.events.append(
        UserEmailChangeRequested(occurred_at=now, user_id=user.id, actor_id=user.id, new_email=new_email)
    )
    await uow.commit()


async def _user(uow: IdentityUnitOfWork, user_id: UUID) -> User:
    user = await uow.users.get(user_id)
    if user is None or not user.is_active:
        raise NotFound("User not found.")
    return user


async def confirm_password(
    uow: IdentityUnitOfWork, services: IdentityServices, *, user_id: UUID, password: str, ip: str | None = None
) -> User:
    """A password check before an irreversible act (deleting the account), throttled like a
    sign-in; the account on success."""
    user = await _user(uow, user_id)
    await services.password_check_allowed(user.email, ip)
    if not await services.hasher.verify(user.password_hash, password):
        await services.password_check_failed(user.email, ip)
        raise ValidationError("The password is incorrect.", errors=[FieldError("password", "is incorrect")])
    await services.password_check_succeeded(user.email, ip)
    return user
