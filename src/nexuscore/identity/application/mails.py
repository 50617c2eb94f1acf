"""Mail use cases, run by outbox subscribers: each mints the one-time token it mails.

The token is created here, in the subscriber's transaction, rather than in the request, so no
secret ever sits in an event payload. A mail whose send fails rolls the token back and the
task is retried; a send that succeeded before a crash may be repeated (at-least-once), and
only the newest link then works.
"""

from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID

from nexuscore.identity.application.services import IdentityServices
from nexuscore.identity.domain.model import ActionPurpose, ActionToken, User
from nexuscore.identity.ports.repositories import IdentityUnitOfWork
from nexuscore.kernel.mail import EmailMessage
from nexuscore.kernel.tokens import new_opaque_token


def _link(services: IdentityServices, path: str, token: str) -> str:
    return f"{services.config.app_base_url.rstrip('/')}/{path}?{urlencode({'token': token})}"


async def _mint(
    uow: IdentityUnitOfWork,
    services: IdentityServices,
    user: User,
    purpose: ActionPurpose,
    new_email: str | None = None,
) -> str:
    now = services.clock.now()
    await uow.action_tokens.invalidate(user.id, purpose, now)  # only the newest link works
    token = new_opaque_token()
    await uow.action_tokens.add(
        ActionToken(
            user_id=user.id,
            purpose=purpose,
            digest=token.digest,
            created_at=now,
            expires_at=now + purpose.lifetime,
            new_email=new_email,
        )
    )
    return token.raw


def _message(to: str, subject: str, greeting: str, lines: list[str], link: str | None, tag: str) -> EmailMessage:
    text_lines = [greeting, "", *lines]
    html_lines = [f"<p>{_escape(greeting)}</p>", *(f"<p>{_escape(line)}</p>" for line in lines)]
    if link:
        text_lines += ["", link]
        html_lines.append(f'<p><a href="{_escape(link)}">{_escape(link)}</a></p>')
    text_lines += ["", "— NexusCore"]
    html_lines.append("<p>— NexusCore</p>")
    return EmailMessage(
        to=(to,),
        subject=subject,
        text="\n".join(text_lines) + "\n",
        html="<!doctype html><html><body>" + "".join(html_lines) + "</body></html>",
        tags=(tag,),
    )


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


async def send_verification_email(uow: IdentityUnitOfWork, services: IdentityServices, *, user_id: UUID) -> bool:
    user = await uow.users.get(user_id)
    if user is None or not user.is_active or user.email_verified:
        return False
    raw = await _mint(uow, services, user, ActionPurpose.VERIFY_EMAIL)
    await services.mailer.send(
        _message(
            user.email,
            "Verify your email address",
            f"Hi {user.full_name},",
            ["Please confirm your email address for NexusCore. The link works once and expires in 24 hours."],
            _link(services, "verify-email", raw),
            "verify-email",
        )
    )
    return True


async def send_password_reset_email(uow: IdentityUnitOfWork, services: IdentityServices, *, user_id: UUID) -> bool:
    user = await uow.users.get(user_id)
    if user is None or not user.is_active:
        return False
    raw = await _mint(uow, services, user, ActionPurpose.RESET_PASSWORD)
    await services.mailer.send(
        _message(
            user.email,
            "Reset your password",
            f"Hi {user.full_name},",
            [
                "Someone asked to reset the password of your NexusCore account. The link works once and "
                "expires in 1 hour. If it was not you, ignore this mail: your password stays as it is."
            ],
            _link(services, "reset-password", raw),
            "reset-password",
        )
    )
    return True


async def send_email_change_email(
    uow: IdentityUnitOfWork, services: IdentityServices, *, user_id: UUID, new_email: str
) -> bool:
    user = await uow.users.get(user_id)
    if user is None or not user.is_active:
        return False
    raw = await _mint(uow, services, user, ActionPurpose.CHANGE_EMAIL, new_email=new_email)
    await services.mailer.send(
        _message(
            new_email,
            "Confirm your new email address",
            f"Hi {user.full_name},",
            ["Confirm that this is the new email address of your NexusCore account. The link expires in 24 hours."],
            _link(services, "verify-email", raw),
            "change-email",
        )
    )
    return True


async def send_security_notice(
    uow: IdentityUnitOfWork,
    services: IdentityServices,
    *,
    user_id: UUID,
    subject: str,
    line: str,
    to: str | None = None,
) -> bool:
    """Tell the account holder about a security-relevant change (password, email)."""
    user = await uow.users.get(user_id)
    if user is None:
        return False
    await services.mailer.send(
        _message(to or user.email, subject, f"Hi {user.full_name},", [line], None, "security-notice")
    )
    return True
