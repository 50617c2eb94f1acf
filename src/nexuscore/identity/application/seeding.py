"""Demo accounts for `nexuscore seed`: created once, verified, left alone afterwards."""

from __future__ import annotations

from nexuscore.identity.application.services import IdentityServices
from nexuscore.identity.domain.events import UserRegistered
from nexuscore.identity.domain.model import User
from nexuscore.identity.ports.repositories import IdentityUnitOfWork
from nexuscore.kernel.email import normalise_email


async def ensure_demo_user(
    uow: IdentityUnitOfWork, services: IdentityServices, *, email: str, password: str, full_name: str
) -> tuple[User, bool]:
    """Return the account with this email, creating it (verified) when missing; True if created."""
    email = normalise_email(email)
    existing = await uow.users.get_by_email(email)
    if existing is not None:
        return existing, False
    now = services.clock.now()
    user = User.register(email=email, full_name=full_name, password_hash=await services.hasher.hash(password), now=now)
    user.email_verified_at = now
    await uow.users.add(user)
    await uow.events.append(UserRegistered(occurred_at=now, user_id=user.id, actor_id=user.id, via="seed"))
    await uow.commit()
    return user, True
