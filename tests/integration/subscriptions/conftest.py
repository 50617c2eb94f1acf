"""localstripe and the stand-in in front of it, each its own process for the test package."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# Overridable so that two checkouts can run this package at once on one machine.
LOCALSTRIPE_PORT = int(os.environ.get("TEST_LOCALSTRIPE_PORT", "8431"))
STANDIN_PORT = int(os.environ.get("TEST_STRIPE_STANDIN_PORT", "8432"))
ROOT = Path(__file__).resolve().parents[3]


def _wait(port: int, process: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the process for port {port} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port}")


def _stop(*processes: subprocess.Popen[bytes]) -> None:
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _standin(port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.integration.subscriptions.stripe_standin",
            "--port",
            str(port),
            "--upstream",
            f"http://127.0.0.1:{LOCALSTRIPE_PORT}",
        ],
        cwd=ROOT,
    )


@contextmanager
def another_standin(port: int) -> Iterator[str]:
    """A second stand-in in front of the package's localstripe, on a port of the test's own:
    a stand-in that comes up while a test runs (its own idempotency and tax-id memory)."""
    process = _standin(port)
    try:
        _wait(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(process)


@pytest.fixture(scope="package")
def stripe_api_base() -> Iterator[str]:
    """The base address the StripeClient is pointed at: the stand-in, forwarding to localstripe."""
    bin_dir = Path(sys.executable).parent
    localstripe = subprocess.Popen(
        [str(bin_dir / "localstripe"), "--port", str(LOCALSTRIPE_PORT), "--from-scratch"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    standin = _standin(STANDIN_PORT)
    try:
        _wait(LOCALSTRIPE_PORT, localstripe)
        _wait(STANDIN_PORT, standin)
        yield f"http://127.0.0.1:{STANDIN_PORT}"
    finally:
        _stop(standin, localstripe)
