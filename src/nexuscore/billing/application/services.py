"""What the billing use cases need besides a unit of work."""

from __future__ import annotations

from dataclasses import dataclass, field

from nexuscore.billing.domain.parties import Supplier
from nexuscore.billing.ports.documents import DocumentRenderer
from nexuscore.kernel.clock import Clock
from nexuscore.kernel.mail import Mailer
from nexuscore.kernel.singapore import SINGAPORE_GST_RATES, GstRateTable


@dataclass(frozen=True)
class NumberingPrefixes:
    invoice: str = "INV"
    credit_note: str = "CN"


@dataclass(frozen=True)
class BillingServices:
    clock: Clock
    supplier: Supplier
    renderer: DocumentRenderer
    mailer: Mailer
    prefixes: NumberingPrefixes = field(default_factory=NumberingPrefixes)
    rates: GstRateTable = SINGAPORE_GST_RATES  # a test (or a future change) hands in another table
