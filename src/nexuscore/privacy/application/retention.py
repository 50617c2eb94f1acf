"""Use cases: retention schedules, the purge preview and the daily purge."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from nexuscore.kernel.clock import Clock
from nexuscore.kernel.tenancy import TenantContext
from nexuscore.privacy.domain.permissions import PrivacyAction, require
from nexuscore.privacy.domain.records_events import RetentionPurged
from nexuscore.privacy.domain.retention import (
    PlatformPurgeCounts,
    PlatformPurgeCutoffs,
    PurgeCounts,
    PurgeCutoffs,
    RetentionCategory,
    RetentionRule,
    effective_rules,
    next_run_at,
    run_day_of,
    validate_months,
)
from nexuscore.privacy.ports.records import PlatformRetentionTargets, PrivacyUnitOfWork, RetentionTargets


async def schedules(uow: PrivacyUnitOfWork, *, tenant: TenantContext) -> list[RetentionRule]:
    require(tenant, PrivacyAction.MANAGE_RETENTION)
    return effective_rules(await uow.retention.overrides())


async def set_schedules(
    uow: PrivacyUnitOfWork,
    clock: Clock,
    *,
    tenant: TenantContext,
    months: Sequence[tuple[RetentionCategory, int]],
) -> list[RetentionRule]:
    """Set some categories' months (the rest keep theirs); all or nothing."""
    require(tenant, PrivacyAction.MANAGE_RETENTION)
    for category, value in months:
        validate_months(category, value)
    now = clock.now()
    for category, value in months:
        await uow.retention.put(
            RetentionRule(category, value, is_default=False, updated_at=now, updated_by=tenant.user_id)
        )
    await uow.commit()
    return effective_rules(await uow.retention.overrides())


@dataclass(frozen=True)
class PurgePreview:
    run_at: datetime
    cutoffs: PurgeCutoffs
    counts: PurgeCounts


async def preview(
    uow: PrivacyUnitOfWork, targets: RetentionTargets, clock: Clock, *, tenant: TenantContext
) -> PurgePreview:
    """What the next daily run will remove, counted by the purge's own rule for that run's day."""
    require(tenant, PrivacyAction.MANAGE_RETENTION)
    run_at = next_run_at(clock.now())
    cutoffs = PurgeCutoffs.of(run_day_of(run_at), effective_rules(await uow.retention.overrides()))
    return PurgePreview(run_at=run_at, cutoffs=cutoffs, counts=await targets.preview(cutoffs))


async def purge_organization(
    uow: PrivacyUnitOfWork, targets: RetentionTargets, clock: Clock, *, organization_id: UUID
) -> PurgeCounts:
    """One organisation's part of the daily run: delete, record the counts, commit together."""
    now = clock.now()
    cutoffs = PurgeCutoffs.of(run_day_of(now), effective_rules(await uow.retention.overrides()))
    counts = await targets.purge(cutoffs)
    if counts.total:
        await uow.events.append(
            RetentionPurged(
                occurred_at=now,
                organization_id=organization_id,
                run_day=cutoffs.run_day.isoformat(),
                counts={
                    RetentionCategory.LOST_LEADS.value: counts.lost_leads,
                    RetentionCategory.ARCHIVED_LEADS.value: counts.archived_leads,
                    RetentionCategory.ACTIVITIES.value: counts.activities,
                },
                cutoffs={
                    RetentionCategory.LOST_LEADS.value: cutoffs.lost_leads.isoformat(),
                    RetentionCategory.ARCHIVED_LEADS.value: cutoffs.archived_leads.isoformat(),
                    RetentionCategory.ACTIVITIES.value: cutoffs.activities.isoformat(),
                },
            )
        )
    await uow.commit()
    return counts


@dataclass(frozen=True)
class PlatformPurgePreview:
    run_at: datetime
    cutoffs: PlatformPurgeCutoffs
    counts: PlatformPurgeCounts


async def preview_platform(targets: PlatformRetentionTargets, clock: Clock) -> PlatformPurgePreview:
    """Staff's dry run of the platform categories (the caller checked staff): counted by the
    purge's own rule for the next run's day."""
    run_at = next_run_at(clock.now())
    cutoffs = PlatformPurgeCutoffs.of(run_day_of(run_at))
    return PlatformPurgePreview(run_at=run_at, cutoffs=cutoffs, counts=await targets.preview(cutoffs))


async def purge_platform(
    uow: PrivacyUnitOfWork, targets: PlatformRetentionTargets, clock: Clock
) -> PlatformPurgeCounts:
    """The platform's part of the daily run: delete, record the counts, commit together."""
    now = clock.now()
    cutoffs = PlatformPurgeCutoffs.of(run_day_of(now))
    counts = await targets.purge(cutoffs)
    if counts.total:
        await uow.events.append(
            RetentionPurged(
                occurred_at=now,
                run_day=cutoffs.run_day.isoformat(),
                counts={
                    RetentionCategory.USER_SESSIONS.value: counts.user_sessions,
                    RetentionCategory.AUDIT_LOGS.value: counts.audit_logs,
                },
                cutoffs={
                    RetentionCategory.USER_SESSIONS.value: cutoffs.user_sessions.isoformat(),
                    RetentionCategory.AUDIT_LOGS.value: cutoffs.audit_logs.isoformat(),
                },
            )
        )
    await uow.commit()
    return counts
