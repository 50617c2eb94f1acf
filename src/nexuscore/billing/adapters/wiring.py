"""The billing services from the platform's settings (the module and a worker build them alike)."""

from __future__ import annotations

from nexuscore.billing.adapters.renderers import TaxDocumentRenderer
from nexuscore.billing.application.services import BillingServices, NumberingPrefixes
from nexuscore.billing.domain.parties import Supplier
from nexuscore.kernel.clock import Clock
from nexuscore.kernel.mail import Mailer
from nexuscore.platform.settings import Settings


def supplier_of(settings: Settings) -> Supplier:
    return Supplier(
        name=settings.supplier_name,
        address_lines=settings.supplier_address_lines,
        postal_code=settings.supplier_postal_code,
        uen=settings.supplier_uen,
        gst_registration_number=settings.supplier_gst_registration_number,
    )


def build_services(settings: Settings, clock: Clock, mailer: Mailer) -> BillingServices:
    return BillingServices(
        clock=clock,
        supplier=supplier_of(settings),
        renderer=TaxDocumentRenderer(),
        mailer=mailer,
        prefixes=NumberingPrefixes(settings.invoice_number_prefix, settings.credit_note_number_prefix),
    )
