"""What the privacy context plugs into the composition root.

Unlike the other contexts, privacy is built after them: `build(infra, providers)` receives
every module's `personal_data_providers` (the composition root collects them), so a context
takes part in the data map, access bundles and erasure by publishing a provider, and privacy
names no other context for it (the event store's provider excepted: `adapters.wiring`).
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
from nexuscore.platform.throttle import throttle_for
from nexuscore.privacy.adapters.http.controllers import (
    OrgPrivacyRequestsController,
    PlatformPrivacyRequestsController,
    PrivacyAdminController,
)
from nexuscore.privacy.adapters.http.dependencies import provide_privacy_services
from nexuscore.privacy.adapters.http.platform_retention import PlatformRetentionController
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
from nexuscore.privacy.adapters.http.subject_controllers import (
    MyPrivacyController,
    PublicPrivacyController,
    delete_my_account,
)
from nexuscore.privacy.adapters.sql import records_tables, tables
from nexuscore.privacy.adapters.sql.personal_data import PrivacyOwnFields
from nexuscore.privacy.adapters.tasks.retention import register_retention_tasks
from nexuscore.privacy.adapters.tasks.tasks import (
    TaskiqProcessingQueue,
    register_privacy_tasks,
    system_uows,
)
from nexuscore.privacy.adapters.wiring import all_providers
from nexuscore.privacy.application.services import PrivacyServices

COMMANDS: list[click.Command] = []


def build_services(infra: Infrastructure, providers: Sequence[PersonalDataProvider]) -> PrivacyServices:
    return PrivacyServices(
        clock=infra.clock,
        providers=all_providers(providers, infra.sessions),
        mailer=infra.mailer,
        queue=TaskiqProcessingQueue(infra.broker),
        secret=infra.settings.secret_key.encode(),
        app_base_url=infra.settings.app_base_url,
        # Its own instance over the same store as identity's; the keys' prefixes keep them apart.
        throttle=throttle_for(infra.clock, infra.redis),
    )


def build(infra: Infrastructure, providers: Sequence[PersonalDataProvider] = ()) -> ContextModule:
    services = build_services(infra, providers)
    uows = system_uows(infra.sessions, infra.clock)

    def register_tasks(broker: AsyncBroker) -> None:
        register_privacy_tasks(broker, uows, services)
        register_retention_tasks(broker, infra.sessions, infra.clock)

    return ContextModule(
        name="privacy",
        openapi_tags=[Tag(name="privacy", description="PDPA: personal data map, data subject requests, erasure.")],
        route_handlers=[
            PrivacyAdminController,
            PlatformPrivacyRequestsController,
            MyPrivacyController,
            OrgPrivacyRequestsController,
            PublicPrivacyController,
            delete_my_account,  # after identity's MeController (see the handler)
            # Consent, DNC checks, retention and breaches:
            TenantPrivacyRecordsController,
            MyConsentsController,
            PlatformBreachesController,
            PlatformRetentionController,
        ],
        dependencies={
            "privacy_services": Provide(provide_privacy_services, sync_to_thread=False),
            "privacy_records_uow": Provide(provide_privacy_tenant_uow, sync_to_thread=False),
            "privacy_records_user_uow": Provide(provide_privacy_user_uow, sync_to_thread=False),
            "privacy_records_services": Provide(provide_privacy_records_services, sync_to_thread=False),
            "privacy_records_staff": Provide(provide_privacy_staff, sync_to_thread=False),
        },
        state={
            PRIVACY_STATE_KEY: PrivacyHttpState(services=services, data_map=(*services.providers, PrivacyOwnFields())),
            PRIVACY_RECORDS_STATE_KEY: PrivacyRecordsState(clock=infra.clock),
        },
        dependency_problems={"privacy_records_staff": (UNAUTHENTICATED, FORBIDDEN)},
        register_tasks=register_tasks,
        tables=[tables, records_tables],
    )
