"""Outbox subscribers and scheduled tasks of the organisations context."""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from taskiq import AsyncBroker

from nexuscore.events.api import EventRecord, Subscriber
from nexuscore.organizations.adapters.sql.repositories import SqlOrganizationsUnitOfWork
from nexuscore.organizations.application.invitations import send_invitation_email
from nexuscore.organizations.application.organizations import purge_due_organizations
from nexuscore.organizations.application.services import OrganizationsServices
from nexuscore.organizations.domain.events import InvitationCreated
from nexuscore.platform.database import bind_rls_scope

logger = logging.getLogger(__name__)
PURGE_TASK = "nexuscore.organizations.purge_due"


def organization_subscribers(services: OrganizationsServices) -> list[Subscriber]:
    """The organisations context's reactions to events: the invitation mail."""

    async def invitation_mail(event: EventRecord, session: Any) -> None:
        assert isinstance(session, AsyncSession) and event.organization_id is not None
        await send_invitation_email(
            SqlOrganizationsUnitOfWork(session, services.clock),
            services,
            org_id=event.organization_id,
            invitation_id=UUID(str(event.payload["invitationId"])),
        )

    return [Subscriber.to("organizations.mail.invitation", InvitationCreated, invitation_mail)]


def register_organization_tasks(
    broker: AsyncBroker, sessions: async_sessionmaker[AsyncSession], services: OrganizationsServices
) -> None:
    async def purge_due() -> int:
        async with sessions() as session:
            await bind_rls_scope(session, system=True)  # the purge spans every tenant
            purged = await purge_due_organizations(SqlOrganizationsUnitOfWork(session, services.clock), services)
        if purged:
            logger.info("purged %d organisations past their deletion grace period", purged)
        return purged

    # Daily at 03:17 UTC (11:17 in Singapore), sent by the one scheduler process.
    broker.register_task(purge_due, task_name=PURGE_TASK, schedule=[{"cron": "17 3 * * *"}], retry_on_error=True)
