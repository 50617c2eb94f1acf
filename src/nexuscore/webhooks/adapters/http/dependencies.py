"""Dependencies of the webhooks routes, registered app-wide by the webhooks module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.identity.api import Principal
from nexuscore.kernel.errors import PermissionDenied
from nexuscore.platform.database import bind_rls_scope
from nexuscore.webhooks.adapters.sql.repositories import SqlWebhooksUnitOfWork
from nexuscore.webhooks.application.services import WebhooksServices

WEBHOOKS_STATE_KEY = "webhooks"


@dataclass(frozen=True)
class WebhooksHttpState:
    services: WebhooksServices
    stripe_secrets: tuple[str, ...]


def webhooks_state(request: Request[Any, Any, Any]) -> WebhooksHttpState:
    state: WebhooksHttpState = request.app.state[WEBHOOKS_STATE_KEY]
    return state


def provide_webhooks_services(request: Request[Any, Any, Any]) -> WebhooksServices:
    return webhooks_state(request).services


async def provide_webhooks_uow(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> SqlWebhooksUnitOfWork:
    # The inbox is not tenant data; its outbox message is a system event (no organisation).
    await bind_rls_scope(db_session, system=True)
    return SqlWebhooksUnitOfWork(db_session, webhooks_state(request).services.clock)


async def provide_webhooks_staff_uow(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    webhooks_staff: NamedDependency[Principal],
) -> SqlWebhooksUnitOfWork:
    """The staff routes' unit of work, made after the caller is known to be staff. Litestar
    resolves independent dependencies concurrently: the principal's session read and this
    one's RLS binding would otherwise run on one session at once (a 500 under load)."""
    return await provide_webhooks_uow(request, db_session)


def provide_staff(principal: NamedDependency[Principal]) -> Principal:
    """Staff only: the inbox holds every tenant's billing events."""
    if not principal.is_staff:
        raise PermissionDenied("Staff only.")
    return principal
