"""Schemathesis over the whole served document, as the CLI runs it: every check, every phase
(examples, coverage, fuzzing, stateful with inferred links), once as an anonymous caller and once
as a signed-in owner of a real organisation, against `nexuscore serve` on PostgreSQL and Redis.

The signed-in run signs in through the API itself (schemathesis' dynamic bearer auth on
POST /api/v1/auth/login, fetched again on a 401, so `logout-all` does not end the run), and
every organisation path parameter is the caller's organisation, so tenant routes are reached
instead of answering 404. `just fuzz` runs it long; tests/e2e/fuzz/test_fuzz.py a bounded run.

The operations that check the caller's password (deleting the account, changing the email or
the password) share the sign-in failure throttle by design: a few wrong guesses there and the
account may not sign in from this address for a while. Fuzzed with the signed-in run's dynamic
auth, they lock its re-login out mid-run, so they get a run of their own: another account,
a static bearer token, no sign-in needed (PASSWORD_CHECKS).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.conftest import PASSWORD, link_token
from tests.e2e.served import ServedApi

SCHEMATHESIS = str(Path(sys.executable).parent / "schemathesis")
# Organisation path parameters, as the document spells them today and after the camelCase rename.
ORG_PARAMETERS = ("org_id", "orgId")
# The failure types of schemathesis' JSON report behind the three numbers the issue asks for.
SERVER_ERROR = "ServerError"
UNDOCUMENTED_STATUS = "UndefinedStatusCode"
CONTENT_TYPE_MISMATCH = "UndefinedContentType"
# The operations that check the caller's password against the sign-in failure throttle.
PASSWORD_CHECKS = r"^(DELETE /api/v1/me|POST /api/v1/me/email|POST /api/v1/me/password)$"


@dataclass
class Caller:
    email: str
    password: str
    org_id: str
    access_token: str


@dataclass
class FuzzReport:
    caller: str
    report: dict[str, Any]
    output: str
    failures: Counter[str] = field(default_factory=Counter)
    operations_by_failure: dict[str, list[str]] = field(default_factory=dict)

    @property
    def cases(self) -> int:
        return int(self.report["test_cases"]["generated"])

    @property
    def operations(self) -> int:
        return int(self.report["operations"]["tested"])

    def summary(self) -> str:
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(self.failures.items())) or "none"
        return f"{self.caller}: {self.cases} cases over {self.operations} operations; failures: {kinds}"


def signed_in_owner(api: ServedApi, email: str) -> Caller:
    """Registers, verifies through the mailed link, signs in and creates an organisation."""
    with httpx.Client(base_url=api.base_url, timeout=30) as http:
        registered = http.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD, "fullName": "Fuzz"})
        assert registered.status_code == 201, registered.text
        token = link_token(asyncio.run(api.inbox.wait_for(email, "Verify your email")))
        assert http.post("/api/v1/auth/verify-email", json={"token": token}).status_code == 200
        login = http.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert login.status_code == 200, login.text
        headers = {"Authorization": f"Bearer {login.json()['accessToken']}"}
        org = http.post("/api/v1/orgs", json={"name": "Fuzz Pte Ltd"}, headers=headers)
        assert org.status_code == 201, org.text
        return Caller(email, PASSWORD, org.json()["id"], login.json()["accessToken"])


def _config(caller: Caller | None, max_examples: int, *, static_token: bool) -> str:
    lines = [f"generation.max-examples = {max_examples}", "request-timeout = 30.0"]
    if caller is not None and static_token:
        lines += [f'headers = {{ Authorization = "Bearer {caller.access_token}" }}']
    if caller is not None:
        lines += ["[parameters]"]
        lines += [f'"path.{name}" = "{caller.org_id}"' for name in ORG_PARAMETERS]
    if caller is not None and not static_token:
        lines += [
            "[auth.dynamic.openapi.BearerToken]",
            'path = "/api/v1/auth/login"',
            f"payload = {{ email = {json.dumps(caller.email)}, password = {json.dumps(caller.password)} }}",
            'extract_selector = "/accessToken"',
        ]
    return "\n".join(lines) + "\n"


def run_schemathesis(
    base_url: str,
    out_dir: Path,
    *,
    caller: Caller | None,
    max_examples: int,
    seed: int,
    max_time: int | None = None,
    workers: int = 2,
    name: str | None = None,
    include_name_regex: str | None = None,
    exclude_name_regex: str | None = None,
    static_token: bool = False,
) -> FuzzReport:
    """One schemathesis run; `static_token` sends the caller's access token instead of signing in."""
    name = name or ("signed-in" if caller else "anonymous")
    out_dir.mkdir(parents=True, exist_ok=True)
    config = out_dir / f"{name}.toml"
    config.write_text(_config(caller, max_examples, static_token=static_token))
    report_path = out_dir / f"{name}.json"
    argv = [SCHEMATHESIS, "--no-color", "--config-file", str(config), "run", f"{base_url}/schema/openapi.json"]
    argv += ["--checks", "all", "--phases", "examples,coverage,fuzzing,stateful", "--workers", str(workers)]
    argv += ["--seed", str(seed), "--continue-on-failure"]
    argv += ["--report", "json,ndjson", "--report-json-path", str(report_path)]
    argv += ["--report-ndjson-path", str(out_dir / f"{name}.ndjson")]
    if max_time is not None:
        argv += ["--max-time", str(max_time)]
    if include_name_regex is not None:
        argv += ["--include-name-regex", include_name_regex]
    if exclude_name_regex is not None:
        argv += ["--exclude-name-regex", exclude_name_regex]
    done = subprocess.run(argv, cwd=out_dir, env=dict(os.environ), capture_output=True, text=True, check=False)
    (out_dir / f"{name}.log").write_text(done.stdout + done.stderr)
    if not report_path.exists():
        raise RuntimeError(f"schemathesis wrote no report (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    report = json.loads(report_path.read_text())
    result = FuzzReport(name, report, done.stdout)
    for failure in report["failures"]:
        result.failures[failure["type"]] += int(failure["count"])
        result.operations_by_failure[failure["type"]] = list(failure["operations"])
    return result
