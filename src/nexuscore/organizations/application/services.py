"""What organisations use cases need besides a unit of work: process-wide ports and settings."""

from __future__ import annotations

from dataclasses import dataclass

from nexuscore.kernel.clock import Clock
from nexuscore.kernel.mail import Mailer
from nexuscore.organizations.ports.repositories import Entitlements


@dataclass(frozen=True)
class OrganizationsServices:
    """Built once per process; use cases take it as `services` (and read time only from its clock).

    `app_base_url` is the frontend's address that mailed links point at; `entitlements` gives
    the seat limit an invitation is checked against.
    """

    clock: Clock
    mailer: Mailer
    app_base_url: str
    entitlements: Entitlements
    max_organizations_per_user: int = 20  # organisations one user may own (MAX_ORGANIZATIONS_PER_USER)
