"""The `nexuscore` CLI as an operator meets it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from nexuscore.bootstrap.cli import main

pytestmark = pytest.mark.unit


def test_every_documented_command_exists() -> None:
    assert {"serve", "worker", "scheduler", "migrate", "makemigrations", "seed", "openapi"} <= set(main.commands)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"PORT": "eighty"}, "PORT"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
    ],
)
def test_bad_configuration_stops_start_up_naming_the_variable(tmp_path: Path, env: dict[str, str], named: str) -> None:
    result = CliRunner().invoke(main, ["migrate"], env={"NEXUSCORE_VAR_DIR": str(tmp_path), **env})
    assert result.exit_code == 2
    assert named in result.output and "configuration error" in result.output


def test_production_refuses_insecure_defaults(tmp_path: Path) -> None:
    env = {
        "ENVIRONMENT": "production",
        "NEXUSCORE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "postgresql+asyncpg://app@db/app",
        "REDIS_URL": "redis://cache:6379/0",
        "SECRET_KEY": "",
    }
    result = CliRunner().invoke(main, ["migrate"], env=env)
    assert result.exit_code == 2 and "SECRET_KEY" in result.output


def test_worker_without_redis_explains_itself(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["worker"], env={"NEXUSCORE_VAR_DIR": str(tmp_path), "REDIS_URL": ""})
    assert result.exit_code == 2 and "REDIS_URL" in result.output


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_openapi_writes_the_spec(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"spec{suffix}"
    env = {"NEXUSCORE_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"}
    result = CliRunner().invoke(main, ["openapi", "-o", str(out)], env=env)
    assert result.exit_code == 0, result.output
    text = out.read_text()
    if suffix == ".json":
        spec = json.loads(text)
        assert spec["openapi"].startswith("3.1") and "/health/live" in spec["paths"]
    else:
        assert "openapi: 3.1" in text and "/health/ready" in text
