"""Who may do what with billing documents.

| action                                            | viewer | member | admin | owner | staff |
|---------------------------------------------------|:------:|:------:|:-----:|:-----:|:-----:|
| read the organisation's invoices and credit notes |        |   ✓    |   ✓   |   ✓   |       |
| draft, finalise, send, mark paid, void, credit    |        |        |       |       |   ✓   |
| every organisation's invoices, the GST report     |        |        |       |       |   ✓   |
"""

from __future__ import annotations

from nexuscore.kernel.errors import PermissionDenied
from nexuscore.kernel.tenancy import Role, TenantContext

READ_ROLE = Role.MEMBER


def require_reader(tenant: TenantContext) -> None:
    if not tenant.role.at_least(READ_ROLE):
        raise PermissionDenied(f"Your role ({tenant.role}) may not read the organisation's invoices.")


def require_staff(is_staff: bool) -> None:
    if not is_staff:
        raise PermissionDenied("Only NexusCore staff may manage invoices.")
