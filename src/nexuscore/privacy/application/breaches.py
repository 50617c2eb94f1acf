"""Use cases: the breach register of a tenant (its admins) or of the platform (staff)."""

from __future__ import annotations

from uuid import UUID

from nexuscore.kernel.clock import Clock
from nexuscore.kernel.errors import NotFound
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.privacy.domain.breaches import (
    Breach,
    BreachChanges,
    BreachInput,
    changed_breach,
    new_breach,
    register_order,
)
from nexuscore.privacy.domain.records_events import BreachRecorded, BreachUpdated
from nexuscore.privacy.ports.records import PrivacyUnitOfWork

# Authorisation is the caller's (a tenant admin or staff, checked by the adapter that knows
# which register it opened); the unit of work is bound to that register's scope.


async def record_breach(uow: PrivacyUnitOfWork, clock: Clock, *, actor_id: UUID, data: BreachInput) -> Breach:
    breach = new_breach(data, organization_id=uow.organization_id, actor_id=actor_id, now=clock.now())
    await uow.breaches.add(breach)
    await uow.events.append(
        BreachRecorded(
            occurred_at=breach.created_at,
            organization_id=breach.organization_id,
            actor_id=actor_id,
            breach_id=breach.id,
            affected_count=breach.affected_count,
            notifiable=breach.notifiable,
            categories=tuple(c.value for c in breach.categories),
        )
    )
    await uow.commit()
    return breach


async def get_breach(uow: PrivacyUnitOfWork, *, breach_id: UUID) -> Breach:
    breach = await uow.breaches.get(breach_id)
    if breach is None:
        raise NotFound("Breach not found.")
    return breach


async def update_breach(
    uow: PrivacyUnitOfWork, clock: Clock, *, actor_id: UUID, breach_id: UUID, changes: BreachChanges
) -> Breach:
    breach = await get_breach(uow, breach_id=breach_id)
    updated, changed = changed_breach(breach, changes, now=clock.now())
    if not changed:
        return breach
    await uow.breaches.save(updated)
    await uow.events.append(
        BreachUpdated(
            occurred_at=updated.updated_at,
            organization_id=updated.organization_id,
            actor_id=actor_id,
            breach_id=updated.id,
            changed=tuple(changed),
            affected_count=updated.affected_count,
            notifiable=updated.notifiable,
        )
    )
    await uow.commit()
    return updated


async def list_breaches(uow: PrivacyUnitOfWork, clock: Clock, *, overdue_only: bool, page: PageRequest) -> Page[Breach]:
    """Overdue first, then open PDPC deadlines soonest first, then the rest newest first."""
    now = clock.now()
    register = sorted(await uow.breaches.all(), key=lambda b: register_order(b, now))
    if overdue_only:
        register = [b for b in register if b.overdue(now)]
    items = register[page.offset : page.offset + page.limit]
    return Page(items=items, total=len(register), limit=page.limit, offset=page.offset)
