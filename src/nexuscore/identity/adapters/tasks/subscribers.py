"""Outbox subscribers of the identity context: the mails its events call for.

Each handler runs once per event (the dispatcher's ledger), inside the dispatch transaction
it is handed, so the token it mints commits only if the mail went out.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.events.api import EventRecord, Subscriber
from nexuscore.identity.adapters.sql.repositories import SqlIdentityUnitOfWork
from nexuscore.identity.application import mails
from nexuscore.identity.application.services import IdentityServices
from nexuscore.identity.domain.events import (
    UserEmailChanged,
    UserEmailChangeRequested,
    UserPasswordChanged,
    UserPasswordReset,
    UserPasswordResetRequested,
    UserRegistered,
    UserVerificationRequested,
)


def identity_subscribers(services: IdentityServices) -> list[Subscriber]:
    """The identity context's reactions to its own events (each a mail)."""

    def uow(session: Any) -> SqlIdentityUnitOfWork:
        assert isinstance(session, AsyncSession)
        return SqlIdentityUnitOfWork(session, services.clock)

    def user_id(event: EventRecord) -> UUID:
        assert event.subject and event.subject.startswith("user:")
        return UUID(event.subject.removeprefix("user:"))

    async def verification(event: EventRecord, session: Any) -> None:
        if event.payload.get("via") in ("cli", "seed"):
            return  # accounts made on the CLI or by the seeder are verified already
        await mails.send_verification_email(uow(session), services, user_id=user_id(event))

    async def password_reset(event: EventRecord, session: Any) -> None:
        if event.subject is None:
            return  # asked for an address with no (active) account: nothing to mail
        await mails.send_password_reset_email(uow(session), services, user_id=user_id(event))

    async def email_change(event: EventRecord, session: Any) -> None:
        await mails.send_email_change_email(
            uow(session), services, user_id=user_id(event), new_email=str(event.payload["newEmail"])
        )

    async def password_changed_notice(event: EventRecord, session: Any) -> None:
        await mails.send_security_notice(
            uow(session),
            services,
            user_id=user_id(event),
            subject="Your password was changed",
            line="The password of your NexusCore account was just changed. If it was not you, reset it now "
            "and contact support.",
        )

    async def email_changed_notice(event: EventRecord, session: Any) -> None:
        previous = event.payload.get("previousEmail")
        await mails.send_security_notice(
            uow(session),
            services,
            user_id=user_id(event),
            to=str(previous) if previous else None,
            subject="Your sign-in email was changed",
            line="The email address of your NexusCore account was changed. If it was not you, contact support.",
        )

    return [
        Subscriber.to("identity.mail.verification", (UserRegistered, UserVerificationRequested), verification),
        Subscriber.to("identity.mail.password_reset", UserPasswordResetRequested, password_reset),
        Subscriber.to("identity.mail.email_change", UserEmailChangeRequested, email_change),
        Subscriber.to(
            "identity.mail.password_changed", (UserPasswordChanged, UserPasswordReset), password_changed_notice
        ),
        Subscriber.to("identity.mail.email_changed", UserEmailChanged, email_changed_notice),
    ]
