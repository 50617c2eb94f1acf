"""The supplier (the platform operator, from settings) and the customer (an organisation's
billing profile), as billing needs them; both become `Party` snapshots at finalisation."""

from __future__ import annotations

from dataclasses import dataclass

from nexuscore.billing.domain.documents import Party


@dataclass(frozen=True)
class Supplier:
    name: str
    address_lines: tuple[str, ...]
    postal_code: str
    uen: str
    gst_registration_number: str | None  # None: not GST-registered (NG invoices only)
    country: str = "SG"
    email: str | None = None

    @property
    def gst_registered(self) -> bool:
        return self.gst_registration_number is not None

    @property
    def issuer(self) -> str:
        """Who the number series belong to."""
        return self.uen

    def party(self) -> Party:
        return Party(
            self.name,
            self.address_lines,
            self.postal_code,
            self.country,
            self.uen,
            self.gst_registration_number,
            self.email,
        )


@dataclass(frozen=True)
class BillingCustomer:
    organization_id: object
    name: str
    address_lines: tuple[str, ...]
    postal_code: str
    country: str
    email: str
    uen: str | None = None
    gst_registration_number: str | None = None
    overseas_evidence: bool = False  # its belonging outside Singapore is recorded (zero-rating)

    @property
    def gst_registered(self) -> bool:
        return self.gst_registration_number is not None

    def party(self) -> Party:
        return Party(
            self.name,
            self.address_lines,
            self.postal_code,
            self.country,
            self.uen,
            self.gst_registration_number,
            self.email,
        )
