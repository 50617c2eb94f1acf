"""Who may do what with the organisation's subscription.

| action                          | viewer | member | admin | owner |
|---------------------------------|:------:|:------:|:-----:|:-----:|
| view subscription, billing      |        |   ✓    |   ✓   |   ✓   |
| edit billing profile, checkout, |        |        |   ✓   |   ✓   |
| preview / change plan, portal   |        |        |       |       |
| cancel, resume                  |        |        |       |   ✓   |

The catalogue (`/admin/plans`, `/admin/subscriptions`) is for staff only.
"""

from __future__ import annotations

import enum

from nexuscore.kernel.errors import PermissionDenied
from nexuscore.kernel.tenancy import Role, TenantContext


class BillingAction(enum.StrEnum):
    VIEW = "view_billing"
    MANAGE = "manage_billing"
    CANCEL = "cancel_subscription"


MINIMUM_ROLE = {BillingAction.VIEW: Role.MEMBER, BillingAction.MANAGE: Role.ADMIN, BillingAction.CANCEL: Role.OWNER}


def require(tenant: TenantContext, action: BillingAction) -> None:
    if not tenant.role.at_least(MINIMUM_ROLE[action]):
        raise PermissionDenied(f"Your role ({tenant.role}) may not {action.value.replace('_', ' ')}.")


def require_staff(is_staff: bool) -> None:
    if not is_staff:
        raise PermissionDenied("Only NexusCore staff may manage the plan catalogue.")
