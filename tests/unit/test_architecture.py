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
        ("kernel/money.py", "import nexuscore.platform.settings", "Rule 4"),
        ("platform/database.py", "import nexuscore.leads.api", "Rule 4"),
        ("platform/http/problems.py", "import nexuscore.bootstrap.app", "Rule 4"),
        ("leads/adapters/http/controllers.py", "import nexuscore.bootstrap.runtime", "Rule 4"),
        ("leads/adapters/http/controllers.py", "import nexuscore.organizations.adapters.sql.repositories", "Rule 4"),
        ("leads/module.py", "import nexuscore.organizations.api", "Rule 4"),
        ("events/application/relay.py", "import nexuscore.platform.database", "Rule 4 (platform)"),
        ("events/domain/stored_event.py", "import nexuscore.events.adapters.sql.tables", "Rule 2"),
        ("identity/api.py", "import nexuscore.identity.module", "Rule 2"),
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


def test_the_contracts_have_no_exceptions_but_rule_3s_door() -> None:
    import tomllib

    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    ignored = [i for c in contracts for i in c.get("ignore_imports", [])]
    assert ignored == ["nexuscore.*.adapters.** -> nexuscore.*.api"]


def test_nothing_under_src_imports_bootstrap_but_the_entry_points() -> None:
    """The composition root sits on top: only it (its CLI is the console script) and the
    alembic environment, outside src/, may import it."""
    import grimp

    graph = grimp.build_graph("nexuscore", cache_dir=None)
    importers = {
        m
        for b in graph.find_descendants("nexuscore.bootstrap") | {"nexuscore.bootstrap"}
        for m in graph.find_modules_that_directly_import(b)
    }
    assert {m for m in importers if not m.startswith("nexuscore.bootstrap")} == set()


def test_a_context_importing_bootstrap_fails_the_bootstrap_check(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "src", project / "src", ignore=shutil.ignore_patterns("__pycache__"))
    target = project / "src" / "nexuscore" / "leads" / "api.py"
    target.write_text(target.read_text() + "\nimport nexuscore.bootstrap.runtime  # injected by the test\n")
    script = (
        "import grimp; g = grimp.build_graph('nexuscore', cache_dir=None); "
        "print(sorted(g.find_modules_that_directly_import('nexuscore.bootstrap.runtime')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=project,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(project / "src"), "PATH": "/usr/bin:/bin"},
        check=True,
    ).stdout
    assert "nexuscore.leads.api" in out


# Rule 1 read strictly: a core imports the standard library and the kernel, and one pure data
# library by name: `phonenumbers` (Google's numbering-plan tables and parser; no I/O, no
# framework), which leads' field rules use to validate and format phone numbers as E.164.
CORE_MAY_IMPORT = {"phonenumbers"}


def test_cores_import_only_the_standard_library_the_kernel_and_named_pure_libraries() -> None:
    import grimp

    graph = grimp.build_graph("nexuscore", include_external_packages=True, cache_dir=None)
    project = set(graph.find_descendants("nexuscore")) | {"nexuscore"}
    external = {m for m in graph.modules if m not in project}
    core = {
        m
        for m in project
        if m.startswith("nexuscore.kernel") or m.split(".")[2:3] in (["domain"], ["ports"], ["application"])
    }
    assert core, "no core modules found"
    offenders = {
        (m, dep)
        for m in core
        for dep in graph.find_modules_directly_imported_by(m)
        if dep in external and dep.split(".")[0] not in sys.stdlib_module_names and dep not in CORE_MAY_IMPORT
    }
    assert offenders == set()


MAX_MODULE_LINES = 400


def test_no_module_under_src_is_over_400_lines() -> None:
    """Small rooms: a module past this has more than one reason to change; split it."""
    long = {
        str(p.relative_to(ROOT)): n
        for p in (ROOT / "src").rglob("*.py")
        if (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}
