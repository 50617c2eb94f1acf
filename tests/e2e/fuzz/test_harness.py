"""The fuzz harness sees what it is there to see: against a toy API whose one operation fails on
some inputs, the report counts server errors (so a 0 from tests/e2e/fuzz/test_fuzz.py means
none happened, not that none could be counted)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.e2e.fuzz.harness import SERVER_ERROR, run_schemathesis
from tests.e2e.served import free_port

FAILING_APP = """
from litestar import Litestar, get


@get("/items/{item_id:int}", sync_to_thread=False)
def get_item(item_id: int) -> dict[str, int]:
    if item_id > 10:
        raise RuntimeError("a bug the fuzzer must find")
    return {"id": item_id}


app = Litestar([get_item])
"""


def test_the_harness_counts_server_errors(tmp_path: Path) -> None:
    (tmp_path / "failing_app.py").write_text(FAILING_APP)
    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", "failing_app:app", "--port", str(port), "--log-level", "warning"]
    server = subprocess.Popen(argv, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):  # waits for the process to listen
            try:
                httpx.get(base + "/schema/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        report = run_schemathesis(base, tmp_path / "report", caller=None, max_examples=20, seed=1, workers=1)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert report.failures[SERVER_ERROR] >= 1, report.output[-2000:]
    assert report.operations_by_failure[SERVER_ERROR] == ["GET /items/{item_id}"]
