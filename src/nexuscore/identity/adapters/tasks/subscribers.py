"""Outbox subscribers of the identity context: the mails its events call for.

Each handler runs once per event (the dispatcher's ledger), inside the dispatch transaction
it is handed, so the token it mints commits only if the mail went out.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.events.api import EventRecord, Subscriber, SubscriberRegistry
from nexuscore.identity.adapters.sql.repositories import SqlIdentityUnitOfWork
from nexuscore.identity.application import events as ev
from nexuscore.identity.application import mails
from nexuscore.identity.application.services import IdentityServices
from nexuscore.kernel.mail import Mailer


def register_identity_subscribers(registry: SubscriberRegistry, services: IdentityServices, mailer: Mailer) -> None:
    def uow(session: Any) -> SqlIdentityUnitOfWork:
        assert isinstance(session, AsyncSession)
        return SqlIdentityUnitOfWork(session, services.clock)

    def user_id(event: EventRecord) -> UUID:
        assert event.subject and event.subject.startswith("user:")
        return UUID(event.subject.removeprefix("user:"))

    async def verification(event: EventRecord, session: Any) -> None:
        if event.payload.get("via") in ("cli", "seed"):
            return  # accounts made on the CLI or by the seeder are verified already
        await mails.send_verification_email(uow(session), services, mailer, user_id=user_id(event))

    async def password_reset(event: EventRecord, session: Any) -> None:
        await mails.send_password_reset_email(uow(session), services, mailer, user_id=user_id(event))

    async def email_change(event: EventRecord, session: Any) -> None:
        await mails.send_email_change_email(
            uow(session), services, mailer, user_id=user_id(event), new_email=str(event.payload["newEmail"])
        )

    async def password_changed_notice(event: EventRecord, session: Any) -> None:
        await mails.send_security_notice(
            uow(session),
            mailer,
            user_id=user_id(event),
            subject="Your password was changed",
            line="The password of your NexusCore account was just changed. If it was not you, reset it now "
            "and contact support.",
        )

    async def email_changed_notice(event: EventRecord, session: Any) -> None:
        previous = event.payload.get("previousEmail")
        await mails.send_security_notice(
            uow(session),
            mailer,
            user_id=user_id(event),
            to=str(previous) if previous else None,
            subject="Your sign-in email was changed",
            line="The email address of your NexusCore account was changed. If it was not you, contact support.",
        )

    registry.subscribe("identity.mail.verification", [ev.USER_REGISTERED, ev.USER_VERIFICATION_REQUESTED], verification)
    registry.subscribe("identity.mail.password_reset", ev.USER_PASSWORD_RESET_REQUESTED, password_reset)
    registry.subscribe("identity.mail.email_change", ev.USER_EMAIL_CHANGE_REQUESTED, email_change)
    registry.subscribe(
        "identity.mail.password_changed", [ev.USER_PASSWORD_CHANGED, ev.USER_PASSWORD_RESET], password_changed_notice
    )
    registry.subscribe("identity.mail.email_changed", ev.USER_EMAIL_CHANGED, email_changed_notice)


def identity_subscribers(services: IdentityServices, mailer: Mailer) -> list[Subscriber]:
    registry = SubscriberRegistry()
    register_identity_subscribers(registry, services, mailer)
    return registry.all()
