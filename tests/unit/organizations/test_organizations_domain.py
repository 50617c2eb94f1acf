"""Organisations domain: Singapore identifiers, roles, the permission matrix, deletion grace, invitation status."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from nexuscore.kernel.errors import PermissionDenied
from nexuscore.kernel.singapore import is_valid_gst_number, is_valid_uen, normalise_identifier
from nexuscore.kernel.tenancy import Role, TenantContext
from nexuscore.organizations.domain.model import (
    DELETION_GRACE,
    INVITATION_LIFETIME,
    Invitation,
    InvitationStatus,
    Organization,
)
from nexuscore.organizations.domain.permissions import MINIMUM_ROLE, Action, can, require, require_may_assign

pytestmark = pytest.mark.unit

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ROLES_LOW_TO_HIGH = [Role.VIEWER, Role.MEMBER, Role.ADMIN, Role.OWNER]


def tenant(role: Role) -> TenantContext:
    return TenantContext(org_id=uuid4(), user_id=uuid4(), role=role)


# --------------------------------------------------------------------------- UEN and GST numbers

VALID_UENS = ["53012345D", "200312345A", "T08LL1234A", "S99CC1234Z", "R18PF0001B"]
INVALID_UENS = ["5301234D", "1234567890", "200312345", "X08LL1234A", "T08LL123A", "", "   "]


@pytest.mark.parametrize("uen", VALID_UENS)
def test_valid_uens_are_accepted(uen: str) -> None:
    assert is_valid_uen(uen)


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("53012345d", "53012345D"),
        (" 2003 12345a ", "200312345A"),
        ("t08ll 1234a", "T08LL1234A"),
        ("s99cc\t1234z", "S99CC1234Z"),
    ],
)
def test_uens_are_normalised_from_lower_case_and_spaces(raw: str, normal: str) -> None:
    assert normalise_identifier(raw) == normal
    assert is_valid_uen(raw)


@pytest.mark.parametrize("uen", INVALID_UENS)
def test_invalid_uens_are_rejected(uen: str) -> None:
    assert not is_valid_uen(uen)


@pytest.mark.parametrize("number", [*VALID_UENS, "M91234567X", "MR2345678A", "m9 1234567x"])
def test_gst_numbers_accept_any_uen_and_the_m_format(number: str) -> None:
    assert is_valid_gst_number(number)


@pytest.mark.parametrize("number", ["M1234567X", "GST123", "", "M912345678X", *INVALID_UENS])
def test_invalid_gst_numbers_are_rejected(number: str) -> None:
    assert not is_valid_gst_number(number)


# --------------------------------------------------------------------------- roles


def test_role_ranks_go_viewer_member_admin_owner() -> None:
    assert [r.rank for r in ROLES_LOW_TO_HIGH] == [0, 1, 2, 3]
    assert sorted(Role, key=lambda r: r.rank) == ROLES_LOW_TO_HIGH


@pytest.mark.parametrize("role", ROLES_LOW_TO_HIGH)
@pytest.mark.parametrize("other", ROLES_LOW_TO_HIGH)
def test_at_least_compares_ranks(role: Role, other: Role) -> None:
    assert role.at_least(other) is (ROLES_LOW_TO_HIGH.index(role) >= ROLES_LOW_TO_HIGH.index(other))


def test_at_least_examples() -> None:
    assert Role.OWNER.at_least(Role.ADMIN)
    assert Role.ADMIN.at_least(Role.ADMIN)
    assert not Role.MEMBER.at_least(Role.ADMIN)
    assert not Role.VIEWER.at_least(Role.MEMBER)


# --------------------------------------------------------------------------- permission matrix

EXPECTED_MINIMUM = {
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


def test_every_action_has_the_documented_minimum_role() -> None:
    assert set(EXPECTED_MINIMUM) == set(Action)
    assert dict(MINIMUM_ROLE) == EXPECTED_MINIMUM


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", ROLES_LOW_TO_HIGH)
def test_require_allows_the_minimum_role_and_above_and_denies_below(action: Action, role: Role) -> None:
    allowed = role.rank >= EXPECTED_MINIMUM[action].rank
    assert can(tenant(role), action) is allowed
    if allowed:
        require(tenant(role), action)
    else:
        with pytest.raises(PermissionDenied) as info:
            require(tenant(role), action)
        assert role.value in info.value.message


@pytest.mark.parametrize("role", ROLES_LOW_TO_HIGH)
def test_only_owners_may_assign_the_owner_role(role: Role) -> None:
    if role is Role.OWNER:
        require_may_assign(tenant(role), Role.OWNER)
    else:
        with pytest.raises(PermissionDenied):
            require_may_assign(tenant(role), Role.OWNER)


@pytest.mark.parametrize("actor", ROLES_LOW_TO_HIGH)
@pytest.mark.parametrize("target", [Role.VIEWER, Role.MEMBER, Role.ADMIN])
def test_assigning_other_roles_is_not_restricted_by_require_may_assign(actor: Role, target: Role) -> None:
    require_may_assign(tenant(actor), target)  # the action itself is checked by require()


# --------------------------------------------------------------------------- deletion grace period


def test_deletion_grace_period_is_thirty_days() -> None:
    assert timedelta(days=30) == DELETION_GRACE
    org = Organization(name="Acme", created_at=T0, updated_at=T0)
    assert not org.pending_deletion
    later = T0 + timedelta(hours=5)
    org.request_deletion(later)
    assert org.pending_deletion
    assert org.deletion_requested_at == later
    assert org.purge_after == later + timedelta(days=30)
    assert org.updated_at == later


def test_cancel_deletion_clears_the_schedule() -> None:
    org = Organization(name="Acme", created_at=T0, updated_at=T0)
    org.request_deletion(T0 + timedelta(days=1))
    org.cancel_deletion(T0 + timedelta(days=2))
    assert not org.pending_deletion
    assert org.deletion_requested_at is None
    assert org.purge_after is None
    assert org.updated_at == T0 + timedelta(days=2)


# --------------------------------------------------------------------------- invitation status


def invitation() -> Invitation:
    return Invitation(
        organization_id=uuid4(),
        email="bob@example.sg",
        role=Role.MEMBER,
        invited_by=uuid4(),
        created_at=T0,
        expires_at=T0 + INVITATION_LIFETIME,
    )


def test_invitation_lifetime_is_seven_days() -> None:
    assert timedelta(days=7) == INVITATION_LIFETIME


def test_invitation_is_pending_until_it_expires_after_seven_days() -> None:
    inv = invitation()
    assert inv.status(T0) is InvitationStatus.PENDING
    assert inv.status(T0 + timedelta(days=7) - timedelta(seconds=1)) is InvitationStatus.PENDING
    assert inv.status(T0 + timedelta(days=7)) is InvitationStatus.EXPIRED
    assert inv.status(T0 + timedelta(days=30)) is InvitationStatus.EXPIRED


def test_accepted_invitation_stays_accepted_after_expiry() -> None:
    inv = invitation()
    inv.accepted_at = T0 + timedelta(days=1)
    assert inv.status(T0 + timedelta(days=1)) is InvitationStatus.ACCEPTED
    assert inv.status(T0 + timedelta(days=8)) is InvitationStatus.ACCEPTED


def test_revoked_invitation_is_revoked_even_after_expiry() -> None:
    inv = invitation()
    inv.revoked_at = T0 + timedelta(hours=1)
    assert inv.status(T0 + timedelta(hours=2)) is InvitationStatus.REVOKED
    assert inv.status(T0 + timedelta(days=8)) is InvitationStatus.REVOKED
