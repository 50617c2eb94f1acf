"""Dependencies of the subscriptions routes, registered app-wide by its module."""

from __future__ import annotations

import hashlib
from typing import Any
from uuid import uuid4

from litestar import Request
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.subscriptions.adapters.http.state import SUBSCRIPTIONS_STATE_KEY, SubscriptionsHttpState
from nexuscore.subscriptions.adapters.sql.unit_of_work import SqlSubscriptionsUnitOfWork
from nexuscore.subscriptions.adapters.usage import SqlUsageReader
from nexuscore.subscriptions.application.services import SubscriptionsServices

# Routes a read-only organisation (payment overdue) may still POST to: the way to pay.
BILLING_ROUTE = "billing_route"


def subscriptions_state(request: Request[Any, Any, Any]) -> SubscriptionsHttpState:
    state: SubscriptionsHttpState = request.app.state[SUBSCRIPTIONS_STATE_KEY]
    return state


def provide_subscriptions_services(request: Request[Any, Any, Any]) -> SubscriptionsServices:
    return subscriptions_state(request).services


def provide_subscriptions_uow(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> SqlSubscriptionsUnitOfWork:
    clock = subscriptions_state(request).services.clock
    return SqlSubscriptionsUnitOfWork(db_session, clock, SqlUsageReader(db_session, clock))


def command_id(request: Request[Any, Any, Any], caller: object) -> str:
    """Our id of the command a request carries: from its Idempotency-Key (scoped to the caller,
    method and path), so a retried request reaches the gateway with the same idempotency key;
    a fresh id without one."""
    key = request.headers.get("idempotency-key")
    if not key:
        return str(uuid4())
    scope = f"{caller}|{request.method}|{request.url.path}|{key}"
    return hashlib.sha256(scope.encode()).hexdigest()[:48]
