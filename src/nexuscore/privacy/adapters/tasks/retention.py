"""taskiq side of retention: the daily purge, sent by the scheduler at 03:00 Singapore time."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from taskiq import AsyncBroker

from nexuscore.kernel.clock import Clock
from nexuscore.platform.database import bind_rls_scope
from nexuscore.privacy.adapters.leads_data import LeadsRetentionTargets, organizations_with_leads
from nexuscore.privacy.adapters.platform_data import PlatformRetentionData
from nexuscore.privacy.adapters.sql.records import SqlPrivacyUnitOfWork
from nexuscore.privacy.application.retention import purge_organization, purge_platform
from nexuscore.privacy.domain.retention import PURGE_HOUR_SGT

logger = logging.getLogger(__name__)
PURGE_TASK = "nexuscore.privacy.retention_purge"
# 03:00 Asia/Singapore (UTC+8, no daylight saving) is 19:00 UTC the day before.
PURGE_CRON = f"0 {(PURGE_HOUR_SGT - 8) % 24} * * *"


async def run_purge(sessions: async_sessionmaker[AsyncSession], clock: Clock) -> int:
    """Each organisation in its own transaction (one failing does not hold back the rest),
    then the platform categories (ended sessions, old events) in one more; returns the rows
    removed in all."""
    async with sessions() as session:
        await bind_rls_scope(session, system=True)
        organizations = await organizations_with_leads(session)
    removed = 0
    for org_id in organizations:
        try:
            async with sessions() as session:
                await bind_rls_scope(session, org_id=org_id)
                uow = SqlPrivacyUnitOfWork(session, org_id, clock)
                counts = await purge_organization(
                    uow, LeadsRetentionTargets(session, org_id), clock, organization_id=org_id
                )
                removed += counts.total
        except Exception:
            logger.exception("retention purge failed for organisation %s", org_id)
    try:
        async with sessions() as session:
            await bind_rls_scope(session, system=True)
            platform = await purge_platform(
                SqlPrivacyUnitOfWork(session, None, clock), PlatformRetentionData(session), clock
            )
            removed += platform.total
    except Exception:
        logger.exception("retention purge failed for the platform categories")
    return removed


def register_retention_tasks(broker: AsyncBroker, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
    async def purge() -> int:
        removed = await run_purge(sessions, clock)
        logger.info("retention purge removed %d rows", removed)
        return removed

    broker.register_task(purge, task_name=PURGE_TASK, schedule=[{"cron": PURGE_CRON}])
