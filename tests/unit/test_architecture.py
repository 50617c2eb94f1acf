"""The import-linter contracts of ARCHITECTURE.md hold, and they really catch a violation."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=project,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(project / "src"), "PATH": "/usr/bin:/bin"},
        timeout=300,
        check=False,
    )


def test_all_contracts_are_kept() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "rule"),
    [
        ("events/domain/stored_event.py", "import sqlalchemy", "Rule 1"),
        ("kernel/money.py", "import nexuscore.platform.settings", "Rule 5"),
        ("events/application/relay.py", "import nexuscore.platform.database", "Rule 4"),
        ("events/domain/stored_event.py", "import nexuscore.events.adapters.sql.tables", "Rule 2"),
    ],
)
def test_a_forbidden_import_breaks_the_suite(tmp_path: Path, module: str, line: str, rule: str) -> None:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    shutil.copytree(ROOT / "src", project / "src", ignore=shutil.ignore_patterns("__pycache__"))
    target = project / "src" / "nexuscore" / module
    target.write_text(target.read_text() + f"\n{line}  # injected by the test\n")

    result = _lint_imports(project)
    assert result.returncode != 0
    broken = [ln for ln in result.stdout.splitlines() if " BROKEN" in ln]
    assert any(ln.startswith(rule) for ln in broken), result.stdout
