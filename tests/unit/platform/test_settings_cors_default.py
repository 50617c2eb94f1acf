"""CORS defaults: a local frontend works in development; elsewhere origins are explicit."""

from __future__ import annotations

from pathlib import Path

import pytest

from nexuscore.platform.settings import load_settings

pytestmark = pytest.mark.unit


def _load(tmp_path: Path, **env: str):  # type: ignore[no-untyped-def]
    return load_settings({"NEXUSCORE_VAR_DIR": str(tmp_path / "var"), **env}, dotenv=None)


def test_development_allows_the_app_base_url_origin_by_default(tmp_path: Path) -> None:
    settings = _load(tmp_path, APP_BASE_URL="http://localhost:5173/app/")
    assert settings.cors_origins == ("http://localhost:5173",)


def test_an_explicit_cors_origins_wins(tmp_path: Path) -> None:
    assert _load(tmp_path, CORS_ORIGINS=" ").cors_origins == ("http://localhost:3000",)  # blank means default
    assert _load(tmp_path, CORS_ORIGINS="https://a.example.sg").cors_origins == ("https://a.example.sg",)


def test_test_environment_keeps_cors_off_unless_listed(tmp_path: Path) -> None:
    assert _load(tmp_path, ENVIRONMENT="test").cors_origins == ()
