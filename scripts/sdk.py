"""Generate the API clients in sdk/ from the served OpenAPI document, or check they have not drifted.

    python scripts/sdk.py generate   # rewrite sdk/openapi.json, sdk/typescript/src/schema.d.ts, sdk/python/
    python scripts/sdk.py check      # generate into a temp dir and fail (exit 1) on any difference

The document comes from `nexuscore openapi` (the same one the server serves at
/schema/openapi.json). TypeScript types: openapi-typescript, called through openapi-fetch;
Python: openapi-python-client. Both generators are pinned: sdk/typescript/package-lock.json
(installed here with `npm ci` when node_modules is missing or stale) and uv.lock (dev group).
Generated files are committed and never edited by hand.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SDK = ROOT / "sdk"
TYPESCRIPT = SDK / "typescript"
PYTHON_CONFIG = SDK / "python-client.yaml"
BIN = Path(sys.executable).parent
# Generated outputs, relative to sdk/: what `check` compares.
SPEC = "openapi.json"
TS_SCHEMA = "typescript/src/schema.d.ts"
PY_CLIENT = "python"
IGNORED = {"__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache"}


def _run(argv: list[str | Path], *, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, argv))} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout + done.stderr


def ensure_node_modules() -> None:
    """`npm ci` when the pinned generators are not installed yet, or the lock file changed since."""
    marker = TYPESCRIPT / "node_modules" / ".package-lock.json"
    lock = TYPESCRIPT / "package-lock.json"
    if not marker.exists() or marker.stat().st_mtime < lock.stat().st_mtime:
        _run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=TYPESCRIPT)


def write_spec(target: Path, work: Path) -> None:
    # A settings-free environment: the document must not depend on who generates it.
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT")}
    env.update({"ENVIRONMENT": "test", "NEXUSCORE_VAR_DIR": str(work / "var")})
    _run([BIN / "nexuscore", "openapi", "-o", target], cwd=work, env=env)


def write_typescript(spec: Path, target: Path) -> None:
    ensure_node_modules()
    target.parent.mkdir(parents=True, exist_ok=True)
    generator = TYPESCRIPT / "node_modules" / ".bin" / "openapi-typescript"
    # A property with a default is optional to send: openapi-typescript would make it required
    # everywhere (request bodies included) unless told not to.
    _run([generator, spec, "-o", target, "--default-non-nullable", "false"], cwd=TYPESCRIPT)


def write_python(spec: Path, target: Path) -> str:
    """openapi-python-client into `target` (replaced); its warnings are returned for the caller to show."""
    if target.exists():
        shutil.rmtree(target)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}  # its ruff post-hooks
    argv: list[str | Path] = [BIN / "openapi-python-client", "generate", "--path", spec, "--output-path", target]
    argv += ["--meta", "uv", "--config", PYTHON_CONFIG]
    return _run(argv, cwd=target.parent, env=env)


def generate(out: Path) -> str:
    """Every generated artefact under `out` (laid out like sdk/); the Python generator's output."""
    with tempfile.TemporaryDirectory(prefix="nexuscore-sdk-") as work:
        spec = out / SPEC
        spec.parent.mkdir(parents=True, exist_ok=True)
        write_spec(spec, Path(work))
        write_typescript(spec, out / TS_SCHEMA)
        return write_python(spec, out / PY_CLIENT)


def _files(base: Path) -> set[Path]:
    found = (p.relative_to(base) for p in base.rglob("*") if p.is_file())
    return {p for p in found if not IGNORED.intersection(p.parts)}


def drift(fresh: Path) -> list[str]:
    """What differs between the committed sdk/ and a fresh generation in `fresh`."""
    problems = [name for name in (SPEC, TS_SCHEMA) if not filecmp.cmp(SDK / name, fresh / name, shallow=False)]
    committed, generated = _files(SDK / PY_CLIENT), _files(fresh / PY_CLIENT)
    problems += [f"{PY_CLIENT}/{p} (not generated any more)" for p in sorted(committed - generated)]
    problems += [f"{PY_CLIENT}/{p} (missing)" for p in sorted(generated - committed)]
    problems += [
        f"{PY_CLIENT}/{p}"
        for p in sorted(committed & generated)
        if not filecmp.cmp(SDK / PY_CLIENT / p, fresh / PY_CLIENT / p, shallow=False)
    ]
    return problems


def check() -> list[str]:
    with tempfile.TemporaryDirectory(prefix="nexuscore-sdk-check-") as tmp:
        generate(Path(tmp))
        return drift(Path(tmp))


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "generate"
    if command == "generate":
        print(generate(SDK).strip())
        print(f"generated {SDK / SPEC}, {SDK / TS_SCHEMA}, {SDK / PY_CLIENT}/")
        return 0
    if command == "check":
        problems = check()
        for problem in problems:
            print(f"drift: sdk/{problem}", file=sys.stderr)
        if problems:
            print("the committed SDK differs from what the code generates: run `just sdk` and commit", file=sys.stderr)
            return 1
        print("sdk/ is up to date with the code")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
