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
from nexuscore.billing.adapters.renderers import TaxDocumentRenderer
from nexuscore.billing.adapters.sql import tables
from nexuscore.billing.application.services import BillingServices, NumberingPrefixes
from nexuscore.billing.domain.parties import Supplier
from nexuscore.platform.http.problem_docs import FORBIDDEN, UNAUTHENTICATED
from nexuscore.platform.modules import ContextModule, Infrastructure
from nexuscore.platform.settings import Settings

COMMANDS: list[click.Command] = []


def supplier_of(settings: Settings) -> Supplier:
    return Supplier(
        name=settings.supplier_name,
        address_lines=settings.supplier_address_lines,
        postal_code=settings.supplier_postal_code,
        uen=settings.supplier_uen,
        gst_registration_number=settings.supplier_gst_registration_number,
    )


def build_services(infra: Infrastructure) -> BillingServices:
    settings = infra.settings
    return BillingServices(
        clock=infra.clock,
        supplier=supplier_of(settings),
        renderer=TaxDocumentRenderer(),
        mailer=infra.mailer,
        prefixes=NumberingPrefixes(settings.invoice_number_prefix, settings.credit_note_number_prefix),
    )


def build(infra: Infrastructure) -> ContextModule:
    services = build_services(infra)
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
    )
