"""The published permission matrix (docs and the module docstring) says what the code enforces."""

from __future__ import annotations

from pathlib import Path

import pytest

from nexuscore.kernel.ids import new_id
from nexuscore.kernel.tenancy import Role, TenantContext
from nexuscore.organizations.domain import permissions
from nexuscore.organizations.domain.permissions import Action, can

pytestmark = pytest.mark.unit

ROWS = {
    "view organisation": [Action.VIEW_ORGANIZATION],
    "view members": [Action.VIEW_MEMBERS],
    "leave": [Action.LEAVE],
    "update organisation": [Action.UPDATE_ORGANIZATION],
    "change roles": [Action.CHANGE_ROLES],
    "remove members": [Action.REMOVE_MEMBERS],
    "invite / revoke": [Action.MANAGE_INVITATIONS],
    "view invitations": [Action.MANAGE_INVITATIONS],
    "view audit events": [Action.VIEW_AUDIT_EVENTS],
    "transfer ownership": [Action.TRANSFER_OWNERSHIP],
    "delete / undelete": [Action.DELETE_ORGANIZATION],
}
COLUMNS = [Role.VIEWER, Role.MEMBER, Role.ADMIN, Role.OWNER]
DOCS = Path(__file__).resolve().parents[3] / "docs" / "architecture.md"


def _table(text: str) -> dict[str, list[bool]]:
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0] in ROWS:
            rows[cells[0]] = ["✓" in c for c in cells[1:]]
    return rows


@pytest.mark.parametrize(
    "source",
    [
        Path(permissions.__file__).read_text(),
        (Path(__file__).resolve().parents[3] / "docs" / "architecture.md").read_text(),
    ],
    ids=["docstring", "docs"],
)
def test_published_matrix_matches_the_code(source: str) -> None:
    table = _table(source)
    assert set(table) == set(ROWS), "every row of the matrix is published"
    assert {a for actions in ROWS.values() for a in actions} == set(Action), "every action is published"
    for label, allowed in table.items():
        for role, expected in zip(COLUMNS, allowed, strict=True):
            for action in ROWS[label]:
                assert can(TenantContext(new_id(), new_id(), role), action) is expected, (label, role)
