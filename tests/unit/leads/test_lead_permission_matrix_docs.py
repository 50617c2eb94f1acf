"""The published leads permission matrix (docs and the module docstring) says what the code enforces."""

from __future__ import annotations

from pathlib import Path

import pytest

from nexuscore.kernel.errors import PermissionDenied
from nexuscore.kernel.ids import new_id
from nexuscore.kernel.tenancy import Role, TenantContext
from nexuscore.leads.domain import permissions
from nexuscore.leads.domain.permissions import LeadAction, require

pytestmark = pytest.mark.unit

ROWS = {
    "view leads and activities": [LeadAction.VIEW],
    "create, edit, move, assign": [LeadAction.EDIT],
    "log activities": [LeadAction.LOG_ACTIVITY],
    "archive, merge": [LeadAction.ARCHIVE, LeadAction.MERGE],
    "import, export": [LeadAction.IMPORT, LeadAction.EXPORT],
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


def _allowed(role: Role, action: LeadAction) -> bool:
    try:
        require(TenantContext(new_id(), new_id(), role), action)
    except PermissionDenied:
        return False
    return True


@pytest.mark.parametrize(
    "source", [Path(permissions.__file__).read_text(), DOCS.read_text()], ids=["docstring", "docs"]
)
def test_published_matrix_matches_the_code(source: str) -> None:
    table = _table(source)
    assert set(table) == set(ROWS), "every row of the matrix is published"
    assert {a for actions in ROWS.values() for a in actions} == set(LeadAction), "every action is published"
    for label, allowed in table.items():
        for role, expected in zip(COLUMNS, allowed, strict=True):
            for action in ROWS[label]:
                assert _allowed(role, action) is expected, (label, role)
