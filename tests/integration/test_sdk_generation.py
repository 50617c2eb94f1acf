"""sdk/ is what the code generates (`just sdk`), and the TypeScript calls type-check strictly.

Needs node and npm (the pinned generators are installed by `npm ci` from
sdk/typescript/package-lock.json when missing)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

import pytest
from litestar.testing import AsyncTestClient

from nexuscore.bootstrap.app import create_app
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parents[2]
TYPESCRIPT = ROOT / "sdk" / "typescript"


def _sdk_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("nexuscore_sdk_script", ROOT / "scripts" / "sdk.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sdk() -> ModuleType:
    assert shutil.which("npm"), "the SDK tests need node and npm (node 20)"
    return _sdk_script()


@pytest.fixture(scope="module")
def fresh(sdk: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sdk")
    sdk.generate(out)
    return out


def test_the_committed_spec_and_clients_are_what_the_code_generates(sdk: ModuleType, fresh: Path) -> None:
    assert sdk.drift(fresh) == [], "sdk/ drifted from the code: run `just sdk` and commit"


def test_the_drift_check_sees_a_changed_spec_an_edited_client_and_a_missing_module(
    sdk: ModuleType, fresh: Path, tmp_path: Path
) -> None:
    tampered = tmp_path / "sdk"
    shutil.copytree(fresh, tampered)
    spec = json.loads((tampered / "openapi.json").read_text())
    spec["info"]["version"] = "9.9.9"
    (tampered / "openapi.json").write_text(json.dumps(spec))
    client = tampered / "python" / "nexuscore_client" / "client.py"
    client.write_text(client.read_text() + "\n# edited by hand\n")
    (tampered / "python" / "nexuscore_client" / "errors.py").unlink()
    found = sdk.drift(tampered)
    assert "openapi.json" in found
    assert "python/nexuscore_client/client.py" in found
    assert "python/nexuscore_client/errors.py (not generated any more)" in found


async def test_the_committed_spec_is_the_document_the_server_serves(tmp_path: Path) -> None:
    committed = json.loads((ROOT / "sdk" / "openapi.json").read_text())
    async with AsyncTestClient(create_app(make_settings(tmp_path))) as client:
        served = await client.get("/schema/openapi.json")
    assert served.status_code == 200
    assert served.json() == committed


def test_the_typescript_calls_type_check_with_tsc_strict(sdk: ModuleType) -> None:
    sdk.ensure_node_modules()
    tsc = TYPESCRIPT / "node_modules" / ".bin" / "tsc"
    done = subprocess.run(
        [str(tsc), "--noEmit", "--strict", "-p", "tsconfig.json"],
        cwd=TYPESCRIPT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
