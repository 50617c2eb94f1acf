"""The process-wide ports and settings the leads use cases take as `services`."""

from __future__ import annotations

from dataclasses import dataclass, field

from nexuscore.kernel.clock import Clock
from nexuscore.leads.ports.repositories import ContactSuppression, LeadEntitlements, NoSuppression


@dataclass(frozen=True)
class LeadsServices:
    """Built once per process by the leads module; every leads use case is called as
    `use_case(uow, services, *, tenant=..., ...)`."""

    clock: Clock
    entitlements: LeadEntitlements
    # Erased people's emails and phones (PDPA): an import does not bring them back.
    suppression: ContactSuppression = field(default_factory=NoSuppression)
