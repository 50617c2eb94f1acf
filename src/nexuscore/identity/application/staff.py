"""Platform operators (`isStaff`): granted only from the CLI, never through the API."""

from __future__ import annotations

import secrets

from nexuscore.identity.application.services import IdentityServices
from nexuscore.identity.domain.events import UserRegistered, UserStaffGranted
from nexuscore.identity.domain.model import User
from nexuscore.identity.domain.passwords import check_password
from nexuscore.identity.ports.repositories import IdentityUnitOfWork
from nexuscore.kernel.email import normalise_email


async def create_staff(
    uow: IdentityUnitOfWork,
    services: IdentityServices,
    *,
    email: str,
    password: str | None = None,
    full_name: str | None = None,
) -> tuple[User, str | None]:
    """Make the account with this email staff, creating it (verified) if needed.

    Returns the user and, when a password was generated, that password (shown once).
    """
    email = normalise_email(email)
    now = services.clock.now()
    generated = None
    user = await uow.users.get_by_email(email)
    if user is None:
        if password is None:
            generated = password = secrets.token_urlsafe(18)
        check_password(password, email)
        user = User.register(
            email=email,
            full_name=full_name or email.split("@", 1)[0],
            password_hash=await services.hasher.hash(password),
            now=now,
        )
        user.email_verified_at = now
        user.is_staff = True
        await uow.users.add(user)
        await uow.events.append(UserRegistered(occurred_at=now, user_id=user.id, actor_id=None, via="cli"))
    elif not user.is_staff:
        user.is_staff = True
        user.updated_at = now
        await uow.users.save(user)
    else:
        return user, None
    await uow.events.append(UserStaffGranted(occurred_at=now, user_id=user.id, actor_id=None, via="cli"))
    await uow.commit()
    return user, generated
