"""The permission matrix: the one place that says which role may do what in an organisation.

| action               | viewer | member | admin | owner |
|----------------------|:------:|:------:|:-----:|:-----:|
| view organisation    |   ✓    |   ✓    |   ✓   |   ✓   |
| view members         |   ✓    |   ✓    |   ✓   |   ✓   |
| leave                |   ✓    |   ✓    |   ✓   |   ✓*  |
| update organisation  |        |        |   ✓   |   ✓   |
| change roles         |        |        |   ✓†  |   ✓   |
| remove members       |        |        |   ✓†  |   ✓   |
| invite / revoke      |        |        |   ✓†  |   ✓   |
| view invitations     |        |        |   ✓   |   ✓   |
| view audit events    |        |        |   ✓   |   ✓   |
| transfer ownership   |        |        |       |   ✓   |
| delete / undelete    |        |        |       |   ✓   |

* not the last owner.  † never to or from the owner role.
"""

from __future__ import annotations

import enum

from nexuscore.kernel.errors import PermissionDenied
from nexuscore.kernel.tenancy import Role, TenantContext


class Action(enum.StrEnum):
    VIEW_ORGANIZATION = "view_organization"
    VIEW_MEMBERS = "view_members"
    LEAVE = "leave"
    UPDATE_ORGANIZATION = "update_organization"
    CHANGE_ROLES = "change_roles"
    REMOVE_MEMBERS = "remove_members"
    MANAGE_INVITATIONS = "manage_invitations"
    VIEW_AUDIT_EVENTS = "view_audit_events"
    TRANSFER_OWNERSHIP = "transfer_ownership"
    DELETE_ORGANIZATION = "delete_organization"


MINIMUM_ROLE: dict[Action, Role] = {
    Action.VIEW_ORGANIZATION: Role.VIEWER,
    Action.VIEW_MEMBERS: Role.VIEWER,
    Action.LEAVE: Role.VIEWER,
    Action.UPDATE_ORGANIZATION: Role.ADMIN,
    Action.CHANGE_ROLES: Role.ADMIN,
    Action.REMOVE_MEMBERS: Role.ADMIN,
    Action.MANAGE_INVITATIONS: Role.ADMIN,
    Action.VIEW_AUDIT_EVENTS: Role.ADMIN,
    Action.TRANSFER_OWNERSHIP: Role.OWNER,
    Action.DELETE_ORGANIZATION: Role.OWNER,
}


def can(tenant: TenantContext, action: Action) -> bool:
    return tenant.role.at_least(MINIMUM_ROLE[action])


def require(tenant: TenantContext, action: Action) -> None:
    if not can(tenant, action):
        raise PermissionDenied(f"Your role ({tenant.role}) may not {action.value.replace('_', ' ')}.")


def require_may_assign(tenant: TenantContext, role: Role) -> None:
    """Only owners grant, remove or change the owner role."""
    if role is Role.OWNER and tenant.role is not Role.OWNER:
        raise PermissionDenied("Only an owner can grant or remove the owner role.")
