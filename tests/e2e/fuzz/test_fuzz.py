"""Schemathesis over the whole document, bounded (issue 15, "Fuzzing stays in the suite"):
0 server errors, 0 undocumented statuses, 0 content-type mismatches, as an anonymous caller
and as the signed-in owner of a real organisation (the operations that check the password in a
run of their own, see harness.PASSWORD_CHECKS).

Bounded by NEXUSCORE_FUZZ_MAX_EXAMPLES (default 8 per operation and phase, ~2 minutes on two
cores); `just fuzz` runs the long version through this same module and keeps the reports in
var/fuzz/ (NEXUSCORE_FUZZ_REPORT_DIR).
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy.engine import make_url

from tests.conftest import APP_ROLE, DEFAULT_REDIS_URL, truncate_all
from tests.e2e.fuzz.harness import (
    CONTENT_TYPE_MISMATCH,
    PASSWORD_CHECKS,
    SERVER_ERROR,
    UNDOCUMENTED_STATUS,
    FuzzReport,
    run_schemathesis,
    signed_in_owner,
)
from tests.e2e.served import served_api

MAX_EXAMPLES = int(os.environ.get("NEXUSCORE_FUZZ_MAX_EXAMPLES", "8"))
MAX_TIME = int(os.environ["NEXUSCORE_FUZZ_MAX_TIME"]) if os.environ.get("NEXUSCORE_FUZZ_MAX_TIME") else None
CREATE_LEAD = re.compile(r"POST /api/v1/orgs/\{\w+\}/leads")
SEED = int(os.environ.get("NEXUSCORE_FUZZ_SEED", "20261201"))


@pytest.fixture(scope="module")
def fuzz_runs(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[FuzzReport]]:
    import asyncio

    report_dir = Path(os.environ.get("NEXUSCORE_FUZZ_REPORT_DIR") or tmp_path_factory.mktemp("fuzz")).resolve()
    app_url = make_url(postgres_url).set(username=APP_ROLE, password=None).render_as_string(hide_password=False)
    redis_url = os.environ.get("TEST_REDIS_URL", DEFAULT_REDIS_URL)
    store = redis.Redis.from_url(redis_url)
    runs: list[FuzzReport] = []
    try:
        store.flushdb()
        # One server per caller: the anonymous run's failed sign-ins must not throttle the other's.
        with served_api(report_dir / "anonymous-server", app_url, redis_url) as api:
            runs.append(
                run_schemathesis(
                    api.base_url, report_dir, caller=None, max_examples=MAX_EXAMPLES, seed=SEED, max_time=MAX_TIME
                )
            )
        store.flushdb()
        with served_api(report_dir / "signed-in-server", app_url, redis_url, ACCESS_TOKEN_TTL_SECONDS="3600") as api:
            caller = signed_in_owner(api, f"fuzz-{secrets.token_hex(3)}@example.sg")
            # Signed up before the main run, whose fuzzed sign-ups may use up the address's quota.
            checker = signed_in_owner(api, f"fuzz-password-{secrets.token_hex(3)}@example.sg")
            runs.append(
                run_schemathesis(
                    api.base_url,
                    report_dir,
                    caller=caller,
                    max_examples=MAX_EXAMPLES,
                    seed=SEED,
                    max_time=MAX_TIME,
                    exclude_name_regex=PASSWORD_CHECKS,
                )
            )
            # After it: the wrong passwords here count against this address's sign-in throttle too.
            runs.append(
                run_schemathesis(
                    api.base_url,
                    report_dir,
                    caller=checker,
                    max_examples=MAX_EXAMPLES,
                    seed=SEED,
                    max_time=MAX_TIME,
                    name="password-checks",
                    include_name_regex=PASSWORD_CHECKS,
                    static_token=True,
                )
            )
        for run in runs:
            print(run.summary())
        yield runs
    finally:
        store.flushdb()
        store.close()
        asyncio.run(truncate_all(postgres_url))


def _failures(runs: list[FuzzReport], kind: str) -> str:
    return "; ".join(f"{run.caller}: {run.operations_by_failure[kind]}" for run in runs if run.failures[kind])


def test_both_callers_fuzz_every_operation(fuzz_runs: list[FuzzReport]) -> None:
    for run in fuzz_runs:
        assert run.report["operations"]["tested"] == run.report["operations"]["selected"], run.output[-3000:]
        assert run.report["operations"]["errored"] == 0, run.output[-3000:]
        assert run.cases > 0
    anonymous, signed_in, password_checks = fuzz_runs
    total = anonymous.report["operations"]["total"]
    assert anonymous.report["operations"]["selected"] == total > 40
    # Between them the two signed-in runs reach every operation, the password checks included.
    assert signed_in.operations + password_checks.operations == total, (signed_in.operations, total)
    assert password_checks.operations == 3, password_checks.output[-3000:]
    # Signed in, the secured operations are reached: not every answer is a 401.
    locked_out = len(signed_in.report["warnings"]["missing_auth"])
    assert locked_out < len(anonymous.report["warnings"]["missing_auth"]) / 4, signed_in.report["warnings"]
    # ... and so are tenant routes of the caller's organisation (whatever the path parameter's name).
    create_lead = [rates for op, rates in signed_in.report["valid_rates"].items() if CREATE_LEAD.fullmatch(op)]
    assert any(phase["accepted"] for rates in create_lead for phase in rates.values()), create_lead


def test_no_input_makes_the_server_fail(fuzz_runs: list[FuzzReport]) -> None:
    assert not _failures(fuzz_runs, SERVER_ERROR), _failures(fuzz_runs, SERVER_ERROR)


def test_every_status_answered_is_documented(fuzz_runs: list[FuzzReport]) -> None:
    assert not _failures(fuzz_runs, UNDOCUMENTED_STATUS), _failures(fuzz_runs, UNDOCUMENTED_STATUS)


def test_every_content_type_answered_is_documented(fuzz_runs: list[FuzzReport]) -> None:
    assert not _failures(fuzz_runs, CONTENT_TYPE_MISMATCH), _failures(fuzz_runs, CONTENT_TYPE_MISMATCH)
