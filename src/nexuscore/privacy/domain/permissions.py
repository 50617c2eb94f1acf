"""Who may do what with the tenant's privacy records (consent, DNC, retention, breaches).

| action                               | viewer | member | admin | owner |
|--------------------------------------|:------:|:------:|:-----:|:-----:|
| read a lead's consents               |        |   ✓    |   ✓   |   ✓   |
| record a lead's consent              |        |   ✓    |   ✓   |   ✓   |
| record and read DNC checks           |        |        |   ✓   |   ✓   |
| read and set retention, preview      |        |        |   ✓   |   ✓   |
| keep the breach register             |        |        |   ✓   |   ✓   |

Consents are written by whoever may edit the lead (members and up, as in the leads context):
the salesperson on the call is the one who hears a consent given or withdrawn. Viewers see
leads but not their consent history.
"""

from __future__ import annotations

import enum

from nexuscore.kernel.errors import PermissionDenied
from nexuscore.kernel.tenancy import Role, TenantContext


class PrivacyAction(enum.StrEnum):
    READ_CONSENTS = "read_consents"
    RECORD_CONSENTS = "record_consents"
    MANAGE_DNC = "manage_dnc_checks"
    MANAGE_RETENTION = "manage_retention"
    MANAGE_BREACHES = "manage_breaches"


MINIMUM_ROLE: dict[PrivacyAction, Role] = {
    PrivacyAction.READ_CONSENTS: Role.MEMBER,
    PrivacyAction.RECORD_CONSENTS: Role.MEMBER,
    PrivacyAction.MANAGE_DNC: Role.ADMIN,
    PrivacyAction.MANAGE_RETENTION: Role.ADMIN,
    PrivacyAction.MANAGE_BREACHES: Role.ADMIN,
}


def require(tenant: TenantContext, action: PrivacyAction) -> None:
    if not tenant.role.at_least(MINIMUM_ROLE[action]):
        raise PermissionDenied(f"Your role ({tenant.role}) may not {action.value.replace('_', ' ')}.")
