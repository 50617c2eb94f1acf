"""Dependencies of the consent, DNC, retention and breach routes (registered app-wide by the
privacy module; named `privacy_records_*` so they stay apart from the requests routes')."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.identity.api import Principal
from nexuscore.kernel.clock import Clock
from nexuscore.kernel.errors import PermissionDenied
from nexuscore.kernel.tenancy import TenantContext
from nexuscore.platform.database import bind_rls_scope
from nexuscore.privacy.adapters.sql.records import SqlPrivacyUnitOfWork

PRIVACY_RECORDS_STATE_KEY = "privacy_records"


@dataclass(frozen=True)
class PrivacyRecordsState:
    clock: Clock


def records_state(request: Request[Any, Any, Any]) -> PrivacyRecordsState:
    state: PrivacyRecordsState = request.app.state[PRIVACY_RECORDS_STATE_KEY]
    return state


def provide_privacy_records_services(request: Request[Any, Any, Any]) -> PrivacyRecordsState:
    return records_state(request)


def provide_privacy_tenant_uow(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], tenant: NamedDependency[TenantContext]
) -> SqlPrivacyUnitOfWork:
    # Built after `tenant`, whose dependency bound the organisation's row-level security scope.
    return SqlPrivacyUnitOfWork(db_session, tenant.org_id, records_state(request).clock)


def provide_privacy_user_uow(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], principal: NamedDependency[Principal]
) -> SqlPrivacyUnitOfWork:
    # The principal dependency bound app.current_user: a user's own consent rows are visible.
    return SqlPrivacyUnitOfWork(db_session, None, records_state(request).clock)


def provide_privacy_staff(principal: NamedDependency[Principal]) -> Principal:
    if not principal.is_staff:
        raise PermissionDenied("Staff only.")
    return principal


async def provide_privacy_platform_uow(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    privacy_records_staff: NamedDependency[Principal],
) -> SqlPrivacyUnitOfWork:
    """The platform's breach register: made after the staff check (Litestar resolves
    independent dependencies concurrently, and both would use the one session)."""
    await bind_rls_scope(db_session, system=True)
    return SqlPrivacyUnitOfWork(db_session, None, records_state(request).clock)
