"""Who may do what with leads.

| action                      | viewer | member | admin | owner |
|-----------------------------|:------:|:------:|:-----:|:-----:|
| view leads and activities   |   ✓    |   ✓    |   ✓   |   ✓   |
| create, edit, move, assign  |        |   ✓    |   ✓   |   ✓   |
| log activities              |        |   ✓    |   ✓   |   ✓   |
| archive, merge              |        |        |   ✓   |   ✓   |
| import, export              |        |        |   ✓   |   ✓   |
"""

from __future__ import annotations

import enum

from nexuscore.kernel.errors import PermissionDenied
from nexuscore.kernel.tenancy import Role, TenantContext


class LeadAction(enum.StrEnum):
    VIEW = "view_leads"
    EDIT = "edit_leads"
    LOG_ACTIVITY = "log_activities"
    ARCHIVE = "archive_leads"
    MERGE = "merge_leads"
    IMPORT = "import_leads"
    EXPORT = "export_leads"


MINIMUM_ROLE: dict[LeadAction, Role] = {
    LeadAction.VIEW: Role.VIEWER,
    LeadAction.EDIT: Role.MEMBER,
    LeadAction.LOG_ACTIVITY: Role.MEMBER,
    LeadAction.ARCHIVE: Role.ADMIN,
    LeadAction.MERGE: Role.ADMIN,
    LeadAction.IMPORT: Role.ADMIN,
    LeadAction.EXPORT: Role.ADMIN,
}

# Who can own leads (be assigned them): anyone who may edit leads.
OWNER_MINIMUM_ROLE = Role.MEMBER


def require(tenant: TenantContext, action: LeadAction) -> None:
    if not tenant.role.at_least(MINIMUM_ROLE[action]):
        raise PermissionDenied(f"Your role ({tenant.role}) may not {action.value.replace('_', ' ')}.")
