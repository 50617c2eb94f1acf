"""What the billing context plugs into the composition root."""

from __future__ import annotations

import click
from litestar.di import Provide
from litestar.openapi.spec import Tag

from nexuscore.billing.adapters.http.controllers import AdminInvoicesController
from nexuscore.billing.adapters.http.dependencies import (
    BILLING_STATE_KEY,
    BillingHttpState,
    provide_billing_services,
    provide_billing_staff,
)
from nexuscore.billing.adapters.http.org_controllers import OrgInvoicesController
from nexuscore.billing.adapters.sql import tables
from nexuscore.billing.adapters.sql.personal_data import BillingPersonalData
from nexuscore.billing.adapters.wiring import build_services
from nexuscore.platform.http.problem_docs import FORBIDDEN, UNAUTHENTICATED
from nexuscore.platform.modules import ContextModule, Infrastructure

COMMANDS: list[click.Command] = []


def build(infra: Infrastructure) -> ContextModule:
    services = build_services(infra.settings, infra.clock, infra.mailer)
    return ContextModule(
        name="billing",
        openapi_tags=[
            Tag(name="billing", description="Tax invoices (GST), credit notes, PDFs and InvoiceNow e-invoices.")
        ],
        route_handlers=[AdminInvoicesController, OrgInvoicesController],
        dependencies={
            "billing_services": Provide(provide_billing_services, sync_to_thread=False),
            "billing_staff": Provide(provide_billing_staff, sync_to_thread=False),
        },
        state={BILLING_STATE_KEY: BillingHttpState(services)},
        tables=[tables],
        dependency_problems={"billing_staff": (UNAUTHENTICATED, FORBIDDEN)},
        personal_data_providers=[BillingPersonalData(infra.sessions, infra.clock)],
    )
