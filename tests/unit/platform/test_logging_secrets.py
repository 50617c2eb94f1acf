"""Logged tracebacks never carry the secrets sitting in the failing frames' local variables."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from nexuscore.platform.logging import configure_logging
from tests.conftest import make_settings

pytestmark = pytest.mark.unit

TOKEN = "eyJhbGciOiJIUzI1NiJ9.secret-bearer-token-value"
PASSWORD = "correct-horse-battery-staple-secret"


@pytest.fixture(autouse=True)
def _restore_root_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _handle_request(authorization: str, body: bytes) -> None:
    headers = {"authorization": authorization}  # noqa: F841 -- a local, as in a real handler
    raise RuntimeError("boom while handling the request")


@pytest.mark.parametrize("log_format", ["console", "json"])
def test_an_unhandled_error_logs_its_traceback_without_locals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], log_format: str
) -> None:
    configure_logging(make_settings(tmp_path, LOG_FORMAT=log_format, LOG_LEVEL="INFO"))
    try:
        _handle_request(f"Bearer {TOKEN}", f'{{"password": "{PASSWORD}"}}'.encode())
    except RuntimeError:
        logging.getLogger("nexuscore.errors").exception("unhandled error")
    err = capsys.readouterr().err
    assert "boom while handling the request" in err and "_handle_request" in err  # the traceback is there
    assert TOKEN not in err and PASSWORD not in err
