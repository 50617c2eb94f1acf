"""What the privacy context plugs into the composition root.

Unlike the other contexts, privacy is built after them: `build(infra, providers)` receives
every module's `personal_data_providers` (the composition root collects them), so a context
takes part in the data map, access bundles and erasure by publishing a provider, and privacy
names no other context for it.
"""

from __future__ import annotations

from collections.abc import Sequence

import click
from litestar.di import Provide
from litestar.openapi.spec import Tag
from taskiq import AsyncBroker

from nexuscore.kernel.personal_data import PersonalDataProvider
from nexuscore.platform.http.problem_docs import FORBIDDEN, UNAUTHENTICATED
from nexuscore.platform.modules import ContextModule, Infrastructure
from nexuscore.privacy.adapters.http.controllers import PrivacyAdminController
from nexuscore.privacy.adapters.http.records_controllers import (
    MyConsentsController,
    PlatformBreachesController,
    TenantPrivacyRecordsController,
)
from nexuscore.privacy.adapters.http.records_dependencies import (
    PRIVACY_RECORDS_STATE_KEY,
    PrivacyRecordsState,
    provide_privacy_records_services,
    provide_privacy_staff,
    provide_privacy_tenant_uow,
    provide_privacy_user_uow,
)
from nexuscore.privacy.adapters.http.state import PRIVACY_STATE_KEY, PrivacyHttpState
from nexuscore.privacy.adapters.sql import tables as records_tables
from nexuscore.privacy.adapters.tasks.retention import register_privacy_tasks

COMMANDS: list[click.Command] = []


def build(infra: Infrastructure, providers: Sequence[PersonalDataProvider] = ()) -> ContextModule:
    names = [p.name for p in providers]
    if len(set(names)) != len(names):
        raise ValueError(f"personal data providers must have distinct names: {names}")

    def register_records_tasks(broker: AsyncBroker) -> None:
        register_privacy_tasks(broker, infra.sessions, infra.clock)

    return ContextModule(
        name="privacy",
        openapi_tags=[Tag(name="privacy", description="PDPA: personal data map, data subject requests, erasure.")],
        route_handlers=[
            PrivacyAdminController,
            # Consent, DNC checks, retention and breaches:
            TenantPrivacyRecordsController,
            MyConsentsController,
            PlatformBreachesController,
        ],
        state={
            PRIVACY_STATE_KEY: PrivacyHttpState(providers=tuple(providers)),
            PRIVACY_RECORDS_STATE_KEY: PrivacyRecordsState(clock=infra.clock),
        },
        dependencies={
            "privacy_records_uow": Provide(provide_privacy_tenant_uow, sync_to_thread=False),
            "privacy_records_user_uow": Provide(provide_privacy_user_uow, sync_to_thread=False),
            "privacy_records_services": Provide(provide_privacy_records_services, sync_to_thread=False),
            "privacy_records_staff": Provide(provide_privacy_staff, sync_to_thread=False),
        },
        dependency_problems={"privacy_records_staff": (UNAUTHENTICATED, FORBIDDEN)},
        register_tasks=register_records_tasks,
        tables=[records_tables],
    )
