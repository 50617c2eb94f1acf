"""The subscriptions journey runs on PostgreSQL (the application's role, RLS on) and on the
embedded default (SQLite), with the local payment gateway."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import update

from nexuscore.bootstrap.app import create_app
from nexuscore.identity.adapters.sql.tables import UserRow
from nexuscore.kernel.clock import SystemClock
from nexuscore.platform.database import create_engine, session_maker
from nexuscore.platform.migrations import upgrade_head
from nexuscore.platform.settings import Settings
from nexuscore.subscriptions.adapters.sql.unit_of_work import SqlSubscriptionsUnitOfWork
from nexuscore.subscriptions.application.plans import seed_plans
from nexuscore.subscriptions.application.services import SubscriptionsServices
from tests.conftest import make_settings
from tests.e2e.conftest import Inbox


@pytest.fixture(params=["postgres", "sqlite"])
def billing_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    if request.param == "postgres":
        url = request.getfixturevalue("app_postgres_url")
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'embedded.db'}"
        upgrade_head(url)
    return make_settings(
        tmp_path,
        DATABASE_URL=url,
        OUTBOX_RELAY_IN_PROCESS="true",
        OUTBOX_POLL_SECONDS="0.05",
        MAIL_BACKEND="file",
        APP_BASE_URL="https://app.example.sg",
        API_BASE_URL="http://testserver.local",
    )


@pytest.fixture
def inbox(billing_settings: Settings) -> Inbox:
    return Inbox(billing_settings.mail_dir)


@pytest.fixture
async def client(billing_settings: Settings) -> AsyncIterator[AsyncTestClient[Litestar]]:
    engine = create_engine(billing_settings.database_url, pool_size=1)
    try:
        async with session_maker(engine)() as session:
            services = SubscriptionsServices(SystemClock(), None, "")  # type: ignore[arg-type]
            await seed_plans(SqlSubscriptionsUnitOfWork(session, SystemClock()), services)
    finally:
        await engine.dispose()
    async with AsyncTestClient(create_app(billing_settings), base_url="http://testserver.local") as c:
        yield c


async def make_staff(settings: Settings, user_id: str) -> None:
    engine = create_engine(settings.database_url, pool_size=1)
    try:
        async with engine.begin() as conn:
            await conn.execute(update(UserRow).where(UserRow.id == UUID(user_id)).values(is_staff=True))
    finally:
        await engine.dispose()
