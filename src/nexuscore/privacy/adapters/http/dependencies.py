"""Dependencies of the privacy routes (registered app-wide by the privacy module)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Request
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.identity.api import Principal
from nexuscore.kernel.tenancy import TenantContext
from nexuscore.platform.database import bind_rls_scope
from nexuscore.privacy.adapters.http.state import privacy_state
from nexuscore.privacy.adapters.sql.repositories import SqlPrivacyUnitOfWork
from nexuscore.privacy.application.services import PrivacyServices


def provide_privacy_services(request: Request[Any, Any, Any]) -> PrivacyServices:
    return privacy_state(request).services


def provide_privacy_tenant_uow(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], tenant: NamedDependency[TenantContext]
) -> SqlPrivacyUnitOfWork:
    """After the tenant dependency: its row-level security scope covers every query."""
    return SqlPrivacyUnitOfWork(db_session, privacy_state(request).services.clock)


async def provide_privacy_user_uow(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], principal: NamedDependency[Principal]
) -> SqlPrivacyUnitOfWork:
    """A user's own requests have no organisation: the system scope sees them, and every query
    of these routes names the signed-in user. Made after the principal (one session, in turn)."""
    await bind_rls_scope(db_session, system=True)
    return SqlPrivacyUnitOfWork(db_session, privacy_state(request).services.clock)


async def provide_privacy_public_uow(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], org_id: FromPath[UUID]
) -> SqlPrivacyUnitOfWork:
    """Anyone's request to one organisation: bound to that tenant."""
    await bind_rls_scope(db_session, org_id=org_id)
    return SqlPrivacyUnitOfWork(db_session, privacy_state(request).services.clock)


async def provide_privacy_link_uow(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> SqlPrivacyUnitOfWork:
    """A bundle link names no tenant: its token (256 random bits) is the authority."""
    await bind_rls_scope(db_session, system=True)
    return SqlPrivacyUnitOfWork(db_session, privacy_state(request).services.clock)


async def provide_privacy_staff_uow(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    privacy_records_staff: NamedDependency[Principal],
) -> SqlPrivacyUnitOfWork:
    """Requests about users (no organisation) seen by staff: made after the staff check (one
    session, in turn); the system scope sees them, and the use cases keep to those."""
    await bind_rls_scope(db_session, system=True)
    return SqlPrivacyUnitOfWork(db_session, privacy_state(request).services.clock)
