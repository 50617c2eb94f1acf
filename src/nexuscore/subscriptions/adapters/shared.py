"""The process's one `SubscriptionsServices` per session maker: built by `module.py`, read by
other contexts through `api.services_for`, so a process has one payment gateway (one
StripeClient, its API version pinned in `stripe_gateway.py`) whoever calls it."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.subscriptions.application.services import SubscriptionsServices

_BUILT: WeakKeyDictionary[async_sessionmaker[AsyncSession], SubscriptionsServices] = WeakKeyDictionary()


def register_services(sessions: async_sessionmaker[AsyncSession], services: SubscriptionsServices) -> None:
    _BUILT[sessions] = services


def services_for(sessions: async_sessionmaker[AsyncSession]) -> SubscriptionsServices:
    try:
        return _BUILT[sessions]
    except KeyError:
        raise LookupError("the subscriptions module was not built on these sessions") from None
