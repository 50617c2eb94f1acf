"""`nexuscore serve`: the address it announces and the proxy headers it believes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn
from click.testing import CliRunner

from nexuscore.bootstrap.cli import main

pytestmark = pytest.mark.unit


def _serve(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, args: list[str], **env: str) -> tuple[str, dict[str, Any]]:
    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda **kw: seen.update(kw))  # the server itself is uvicorn's
    result = CliRunner().invoke(main, ["serve", *args], env={"NEXUSCORE_VAR_DIR": str(tmp_path), **env})
    assert result.exit_code == 0, result.output
    return result.output, seen


def test_serve_says_where_it_listens(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    output, seen = _serve(monkeypatch, tmp_path, ["--port", "8123"])
    assert "listening on http://127.0.0.1:8123" in output
    assert (seen["host"], seen["port"]) == ("127.0.0.1", 8123)


def test_serve_trusts_no_proxy_headers_by_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Not even from loopback, and FORWARDED_ALLOW_IPS (uvicorn's own variable) changes nothing.
    _, seen = _serve(monkeypatch, tmp_path, [], FORWARDED_ALLOW_IPS="*")
    assert seen["proxy_headers"] is False and seen["forwarded_allow_ips"] == []


def test_serve_trusts_only_the_configured_proxies(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _, seen = _serve(monkeypatch, tmp_path, [], TRUSTED_PROXIES="10.1.2.3, 172.16.0.0/12")
    assert seen["proxy_headers"] is True
    assert seen["forwarded_allow_ips"] == ["10.1.2.3/32", "172.16.0.0/12"]


def test_a_bad_trusted_proxy_stops_start_up(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve"], env={"NEXUSCORE_VAR_DIR": str(tmp_path), "TRUSTED_PROXIES": "nginx"})
    assert result.exit_code == 2 and "TRUSTED_PROXIES" in result.output


def test_serve_leaves_access_logging_to_the_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _, seen = _serve(monkeypatch, tmp_path, [])
    # The app logs each request with its request id; uvicorn's line would be a second, unused one.
    assert seen["access_log"] is False and seen["server_header"] is False and seen["factory"] is True
