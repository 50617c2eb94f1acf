"""`nexuscore serve` gives in-flight requests the documented grace period after SIGTERM."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn
from click.testing import CliRunner

from nexuscore.bootstrap.cli import main
from nexuscore.bootstrap.processes import SHUTDOWN_GRACE_SECONDS


@pytest.mark.parametrize(("args", "grace"), [([], int(SHUTDOWN_GRACE_SECONDS)), (["--grace", "12"], 12)])
def test_serve_waits_for_in_flight_requests_on_sigterm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], grace: int
) -> None:
    started: dict[str, Any] = {}
    # uvicorn itself is the boundary here: record how it would be started instead of binding a port.
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: started.update(kw))
    result = CliRunner().invoke(main, ["serve", *args], env={"NEXUSCORE_VAR_DIR": str(tmp_path)})
    assert result.exit_code == 0, result.output
    assert started["timeout_graceful_shutdown"] == grace
