"""Scenario 3: leads at scale. GET /leads on an organisation with 100,000 leads against one raw
asyncpg query returning the same page, and a 50,000-row CSV import.

One NexusCore server (one uvicorn worker) on a fresh PostgreSQL database
(`nexuscore_bench_<random>`, always dropped), connecting as the non-owner role `nexuscore_app`
so row-level security is in the measured path as in production. The leads are seeded straight
into `leads_lead` with COPY (as the owner), then:

- list: each filtered, sorted page (limit 50) under closed-loop load through HTTP, and the same
  page fetched by one raw asyncpg query (the exact SQL and parameters the repository issues,
  captured in-process, as the app role with `app.current_org` set) on as many connections for
  as long, alternating; p50/p99 and the API/floor ratios. Beside them, the request's whole SQL
  replayed on asyncpg in one transaction (the database's share of a request). Also the SQL
  statements one request issues at limit 5 and 50 (must not differ: no N+1) and EXPLAIN
  (ANALYZE, BUFFERS) of each statement on leads_lead (index names, no sequential scan).
- import: a 50,000-row CSV (a few hundred invalid rows and duplicates among them) previewed
  (dryRun=true), then imported; wall time from upload to `completed`, rows/s and the counts.

    .venv/bin/python bench/leads.py                        # both scenarios
    .venv/bin/python bench/leads.py --scenario list --seconds 5 --rounds 3
    .venv/bin/python bench/leads.py --scenario import
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import dataclasses
import io
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from health_live import (  # noqa: E402
    Server,
    free_port,
    git_commit,
    host_busy_seconds,
    migrate,
    process_cpu_seconds,
    serve_argv,
    start,
    stop,
    wait_ready,
)
from http_load import MAX_CONCURRENCY, MAX_SECONDS, LoadResult, loop_factory, merge, run_load  # noqa: E402
from login_storm import (  # noqa: E402
    DEFAULT_PG_ADMIN_URL,
    Account,
    DbCpu,
    _loopback_pg_url,
    create_users,
    database,
    login,
    nexuscore_env,
)
from peers.runner import (  # noqa: E402
    PEER_TOKEN_SQL,
    PEER_TOKEN_TABLE_SQL,
    gunicorn_argv,
    peer_env,
    pin_client,
    pinned,
    pinning_available,
    tree_cpu_seconds,
)

DEFAULT_OUTPUT = BENCH_DIR / "results" / "leads.json"
APP_ROLE = "nexuscore_app"  # as tests/conftest.py: reads and writes, owns nothing, bypasses no RLS
LEADS_LIMIT = 1_000_000  # LEADS_DEFAULT_LIMIT: the plan limit must not refuse the seeded tenant
ORGS_PATH = "/api/v1/orgs"
POLL_S = 0.25  # import progress polling interval (the wall time is this precise)
TOKEN_MAX_AGE_S = 300.0  # log in again after this: long runs must not outlive the access token

# ---------------------------------------------------------------------------------------------
# Seed data: a realistic spread over every column of leads_lead

FIRST_NAMES = (
    "Wei Ling", "Jun Jie", "Hui Min", "Zhi Hao", "Mei Ling", "Kai Wen", "Siew Lan", "Boon Kiat", "Li Ting",
    "Jia Hui", "Aishah", "Nurul", "Farhan", "Hafiz", "Siti", "Iskandar", "Priya", "Arjun", "Kavitha",
    "Rajesh", "Deepa", "Vikram", "Sarah", "David", "Michael", "Rachel", "Daniel", "Stanley", "Grace",
    "Benjamin", "Chloe", "Marcus", "Natalie", "Ethan", "Olivia", "Ryan", "Sophia", "Gabriel", "Hannah", "Joel",
)  # fmt: skip
LAST_NAMES = (
    "Tan", "Lim", "Lee", "Ng", "Ong", "Wong", "Goh", "Chua", "Chan", "Koh", "Teo", "Ang", "Yeo", "Tay", "Ho",
    "Low", "Toh", "Sim", "Chong", "Chia", "Kumar", "Singh", "Rahman", "Abdullah", "Ismail", "Hassan",
    "Nair", "Pillai", "Menon", "Fernandez", "Pereira", "Santos", "Smith", "Brown", "Wilson", "Taylor",
    "Martin", "Anderson", "Thomas", "Jackson",
)  # fmt: skip
COMPANY_WORDS = (
    "Tanjong", "Marina", "Orchard", "Raffles", "Harbour", "Lion City", "Merlion", "Bukit", "Jurong", "Changi",
    "Sentosa", "Kallang", "Pioneer", "Straits", "Temasek", "Horizon", "Summit", "Evergreen", "Pacific", "Golden",
)  # fmt: skip
COMPANY_KINDS = (
    "Logistics", "Holdings", "Trading", "Engineering", "Foods", "Technologies", "Consulting", "Services",
    "Design", "Capital",
)  # fmt: skip
JOB_TITLES = (
    "Director", "Managing Director", "Operations Manager", "Sales Manager", "Procurement Executive",
    "Finance Manager", "HR Executive", "Founder", "IT Manager", "Marketing Lead", "Office Manager", "CEO",
)  # fmt: skip
TAGS = (
    "vip", "enterprise", "sme", "fintech", "retail", "f&b", "logistics", "healthcare", "hot", "follow-up",
    "newsletter", "event-2025", "partner", "renewal", "trial",
)  # fmt: skip
STATUSES = (("new", 35), ("contacted", 25), ("qualified", 15), ("proposal", 8), ("negotiation", 5), ("won", 5),
            ("lost", 7))  # fmt: skip
SOURCES = (("website", 30), ("referral", 15), ("event", 10), ("cold_outreach", 15), ("ads", 12), ("partner", 5),
           ("import", 10), ("other", 3))  # fmt: skip
LOST_REASONS = ("Budget", "Went with a competitor", "No response", "Not a fit", "Timing")
SOURCE_POINTS = {"referral": 20, "partner": 15, "event": 10, "website": 10, "ads": 5}
PHONE_PREFIXES = tuple(range(81, 99))  # +65 81..98: SG mobile ranges phonenumbers accepts as valid
PHONE_STRIDE = 7919  # coprime with 10**6: (k * stride) mod 10**6 is a bijection, so numbers stay unique
SEARCH_TERM = "tan"  # a common surname, also inside "Tanjong", "Stanley", many emails: a busy trigram
FILTER_TAG = "hot"

LEAD_COLUMNS = (
    "id", "organization_id", "first_name", "last_name", "email", "phone", "company", "company_uen", "job_title",
    "source", "status", "lost_reason", "owner_id", "tags", "estimated_value_minor", "estimated_value_currency",
    "next_follow_up", "score", "score_reasons", "marketing_consent_granted", "marketing_consent_recorded_at",
    "marketing_consent_source", "dnc_status", "dnc_checked_at", "created_by", "created_at", "updated_by",
    "updated_at", "archived_at", "merged_into_id",
)  # fmt: skip


def uuid7_at(moment: datetime, rng: random.Random) -> uuid.UUID:
    """A UUIDv7 for a past moment (kernel.ids.uuid7(unix_ms=...) without importing the app here)."""
    ms = int(moment.timestamp() * 1000)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | rng.getrandbits(12) << 64 | 0b10 << 62 | rng.getrandbits(62)
    return uuid.UUID(int=value)


def phone_number(index: int) -> str:
    """A distinct valid Singapore mobile number (E.164) per index below 18,000,000."""
    prefix = PHONE_PREFIXES[index % len(PHONE_PREFIXES)]
    return f"+65{prefix}{(index // len(PHONE_PREFIXES)) * PHONE_STRIDE % 1_000_000:06d}"


def _slug(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _weighted(rng: random.Random, table: Sequence[tuple[str, int]]) -> str:
    return rng.choices([name for name, _ in table], weights=[weight for _, weight in table])[0]


def _expanded(table: Sequence[tuple[str, int]]) -> list[str]:
    """The weighted table as a list to pick from uniformly (weights are percentages)."""
    return [name for name, weight in table for _ in range(weight)]


COMPANIES = [(f"{w} {k} Pte Ltd", f"{_slug(w)}{_slug(k)}.sg") for w in COMPANY_WORDS for k in COMPANY_KINDS]
NAME_SLUGS = {name: _slug(name) for name in (*FIRST_NAMES, *LAST_NAMES)}
TAG_COUNTS = (0, 0, 1, 1, 1, 2, 2, 3)


def lead_records(
    rng: random.Random,
    *,
    org_id: uuid.UUID,
    count: int,
    first_index: int,
    owners: Sequence[uuid.UUID],
    creator: uuid.UUID,
    now: datetime,
    archived_share: float = 0.02,
) -> list[tuple[Any, ...]]:
    """`count` rows in LEAD_COLUMNS order, oldest first (as they would have been inserted);
    emails and phones unique across indexes."""
    today = now.date()
    statuses, sources = _expanded(STATUSES), _expanded(SOURCES)
    reasons_json = {
        source: json.dumps(
            [
                {
                    "factor": "source",
                    "detail": source.replace("_", " ").title(),
                    "points": SOURCE_POINTS.get(source, 0),
                },
                {"factor": "completeness", "detail": "Email, phone and company", "points": 0},
            ]
        ).removesuffix("0}]")  # the completeness points are appended per lead
        for source in {name for name, _ in SOURCES}
    }
    span = 730 * 86400
    records: list[tuple[Any, ...]] = []
    random_ = rng.random
    for n in range(count):
        index = first_index + n
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        company, domain = rng.choice(COMPANIES) if random_() < 0.85 else (None, "gmail.com")
        created_at = now - timedelta(seconds=random_() * span)
        updated_at = min(now, created_at + timedelta(seconds=random_() * 60 * 86400))
        status, source = rng.choice(statuses), rng.choice(sources)
        value = rng.randrange(100, 500_000) * 100 if random_() < 0.6 else None
        consent = random_()
        granted = None if consent < 0.5 else consent < 0.85
        dnc = random_()
        dnc_status = "unchecked" if dnc < 0.6 else "clear" if dnc < 0.9 else "listed"
        checked = None if dnc_status == "unchecked" else today - timedelta(days=rng.randrange(0, 60))
        score = int(rng.triangular(0, 100, 35))
        records.append(
            (
                uuid7_at(created_at, rng),
                org_id,
                first,
                last,
                f"{NAME_SLUGS[first]}.{NAME_SLUGS[last]}.{index}@{domain}",
                phone_number(index),
                company,
                None,
                rng.choice(JOB_TITLES) if random_() < 0.7 else None,
                source,
                status,
                rng.choice(LOST_REASONS) if status == "lost" else None,
                rng.choice(owners) if random_() < 0.8 else None,
                rng.sample(TAGS, k=rng.choice(TAG_COUNTS)),
                value,
                "SGD" if value is not None else None,
                today + timedelta(days=rng.randrange(-30, 90)) if random_() < 0.3 else None,
                score,
                f"{reasons_json[source]}{max(0, score - SOURCE_POINTS.get(source, 0))}}}]",
                granted,
                created_at if granted is not None else None,
                "web-form" if granted is not None else None,
                dnc_status,
                checked,
                creator,
                created_at,
                creator,
                updated_at,
                updated_at if random_() < archived_share else None,
                None,
            )
        )
    records.sort(key=lambda record: record[0])  # UUIDv7: creation order
    return records


# ---------------------------------------------------------------------------------------------
# Database: roles, memberships, seeding, EXPLAIN


def asyncpg_dsn(url: str) -> str:
    """A SQLAlchemy URL (postgresql+asyncpg://) as a DSN asyncpg itself accepts."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def app_database_url(url: str) -> str:
    """The bench database as the application's role (loopback trust auth: no password)."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(username=APP_ROLE, password=None).render_as_string(hide_password=False)


GRANT_APP_ROLE_SQL = f"""
DO $$ BEGIN
    CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
GRANT USAGE ON SCHEMA public TO {APP_ROLE};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE};
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {APP_ROLE};
"""


async def _execute(dsn: str, sql: str, *args: Any) -> None:
    import asyncpg

    conn = await asyncpg.connect(dsn, timeout=10)
    try:
        await conn.execute(sql, *args, timeout=600)
    finally:
        await conn.close(timeout=10)


async def _fetch(dsn: str, sql: str, *args: Any) -> list[Any]:
    import asyncpg

    conn = await asyncpg.connect(dsn, timeout=10)
    try:
        return list(await conn.fetch(sql, *args, timeout=600))
    finally:
        await conn.close(timeout=10)


async def add_members(owner_dsn: str, org_id: uuid.UUID, members: Sequence[tuple[uuid.UUID, str]]) -> None:
    """Straight into organizations_membership: the invitation flow is not what is measured."""
    await _execute(
        owner_dsn,
        "INSERT INTO organizations_membership (organization_id, user_id, role, joined_at) "
        "SELECT $1, m.user_id, m.role, now() FROM unnest($2::uuid[], $3::text[]) AS m(user_id, role)",
        org_id,
        [m[0] for m in members],
        [m[1] for m in members],
    )


async def seed_leads(owner_dsn: str, batches: Sequence[list[tuple[Any, ...]]]) -> dict[str, Any]:
    """COPY the rows as the owner (past RLS), each tenant's oldest first as they would have
    arrived. The secondary indexes are dropped first and rebuilt from their own definitions
    afterwards (3-4x faster than maintaining two trigram GIN indexes row by row; the rebuilt
    unique indexes also check the generated emails and phones), then VACUUM ANALYZE, so the
    planner statistics and the visibility map look like a table autovacuum has seen."""
    import asyncpg

    conn = await asyncpg.connect(owner_dsn, timeout=10)
    try:
        indexes = await conn.fetch(
            "SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition FROM pg_index x"
            " JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = 'leads_lead'::regclass AND NOT x.indisprimary"
        )
        started = time.perf_counter()
        for index in indexes:
            await conn.execute(f'DROP INDEX "{index["name"]}"')
        for records in batches:
            if records:
                await conn.copy_records_to_table("leads_lead", records=records, columns=LEAD_COLUMNS, timeout=900)
        copied = time.perf_counter()
        for index in indexes:
            await conn.execute(index["definition"], timeout=900)
        indexed = time.perf_counter()
        await conn.execute("VACUUM (ANALYZE) leads_lead", timeout=900)
        return {
            "copy_s": round(copied - started, 2),
            "index_build_s": round(indexed - copied, 2),
            "indexes_rebuilt": len(indexes),
            "vacuum_analyze_s": round(time.perf_counter() - indexed, 2),
        }
    finally:
        await conn.close(timeout=10)


async def _app_connection(app_dsn: str, org_id: str) -> Any:
    """The app role with the tenant scope set for the whole session: each query is then one
    round trip, under the same row-level-security policy as the API's transactions."""
    import asyncpg

    from nexuscore.platform.database import POSTGRES_SERVER_SETTINGS

    # The API's own session settings (custom plans), so the floors and the replay plan alike.
    conn = await asyncpg.connect(app_dsn, timeout=10, server_settings=dict(POSTGRES_SERVER_SETTINGS))
    await conn.execute(f"SELECT set_config('app.current_org', '{uuid.UUID(org_id)}', false)")
    return conn


def _plan_nodes(node: dict[str, Any], out: list[dict[str, Any]], under_limit: bool = False) -> None:
    item = {"node": node.get("Node Type"), "under_limit": under_limit}
    for key, name in (("Index Name", "index"), ("Relation Name", "relation"), ("Scan Direction", "direction")):
        if key in node:
            item[name] = node[key]
    item["rows"] = node.get("Actual Rows")
    item["loops"] = node.get("Actual Loops")
    if "Heap Fetches" in node:
        item["heap_fetches"] = node["Heap Fetches"]
    if "Rows Removed by Filter" in node:
        item["removed_by_filter"] = node["Rows Removed by Filter"]
    out.append(item)
    for child in node.get("Plans", ()):
        _plan_nodes(child, out, under_limit or item["node"] == "Limit")


# A sequential scan under a Limit that read less than this share of the table stopped early
# (the capped count's `LIMIT cap + 1`): bounded by the cap, not by the tenant's size.
BOUNDED_SCAN_SHARE = 0.5


def rows_read(node: dict[str, Any]) -> int:
    """Rows a scan node read: returned plus removed by its filter (the RLS policy's quals are
    filters too), over every loop (a parallel scan's workers each report their share)."""
    return ((node.get("rows") or 0) + (node.get("removed_by_filter") or 0)) * (node.get("loops") or 1)


def full_seq_scans(nodes: Sequence[dict[str, Any]], table_rows: int) -> list[dict[str, Any]]:
    """The sequential scans of leads_lead that are real full scans: not under a Limit, or
    under one but reading at least BOUNDED_SCAN_SHARE of the table's rows (the limit did not
    stop them early)."""
    return [
        n
        for n in nodes
        if n["node"] == "Seq Scan"
        and n.get("relation") == "leads_lead"
        and not (n["under_limit"] and rows_read(n) < BOUNDED_SCAN_SHARE * table_rows)
    ]


def _plan_label(node: dict[str, Any]) -> str:
    label = str(node["node"])
    if node.get("direction") == "Backward":
        label += " Backward"
    if "index" in node:
        label += f" using {node['index']}"
    elif "relation" in node:
        label += f" on {node['relation']}"
    details = []
    if node.get("rows") is not None:  # per loop: a parallel scan's workers each report their share
        details.append(f"rows {node['rows']}" + (f" x{node['loops']} loops" if (node.get("loops") or 1) > 1 else ""))
    if node.get("removed_by_filter"):
        details.append(f"filtered {node['removed_by_filter']}")
    if node.get("heap_fetches"):
        details.append(f"heap fetches {node['heap_fetches']}")
    return label + (f" [{', '.join(details)}]" if details else "")


async def explain(app_dsn: str, org_id: str, sql: str, params: Sequence[Any]) -> dict[str, Any]:
    """EXPLAIN (ANALYZE, BUFFERS) with the captured parameters, run twice (the second, warm, counts)."""
    conn = await _app_connection(app_dsn, org_id)
    try:
        for _ in range(2):
            raw = await conn.fetchval("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, *params, timeout=120)
        document = json.loads(raw)[0]
        # Every tenant's rows (the planner's estimate after the seeding's ANALYZE): what a full scan reads.
        table_rows = int(await conn.fetchval("SELECT reltuples::bigint FROM pg_class WHERE relname = 'leads_lead'"))
    finally:
        await conn.close(timeout=10)
    nodes: list[dict[str, Any]] = []
    _plan_nodes(document["Plan"], nodes)
    scans = [n for n in nodes if n.get("relation") == "leads_lead" or "index" in n]
    full = full_seq_scans(nodes, table_rows)
    return {
        "execution_ms": round(document["Execution Time"], 3),
        "planning_ms": round(document["Planning Time"], 3),
        "shared_hit_blocks": document["Plan"].get("Shared Hit Blocks"),
        "shared_read_blocks": document["Plan"].get("Shared Read Blocks"),
        "nodes": [_plan_label(n) for n in nodes],
        "scans": [_plan_label(n) for n in scans],
        "indexes": sorted({str(n["index"]) for n in nodes if "index" in n}),
        "table_rows": table_rows,
        "seq_scan_on_leads": any(n["node"] == "Seq Scan" and n.get("relation") == "leads_lead" for n in nodes),
        # Bounded scans (under a Limit, stopped early) are listed with the rows they read.
        "bounded_seq_scans": [
            f"{_plan_label(n)}: read {rows_read(n):,} of {table_rows:,} rows"
            for n in nodes
            if n["node"] == "Seq Scan" and n.get("relation") == "leads_lead" and n not in full
        ],
        "full_seq_scan_on_leads": bool(full),
    }


# ---------------------------------------------------------------------------------------------
# The floor: one raw asyncpg query per page, on N connections in a closed loop


async def floor_page_ids(app_dsn: str, org_id: str, sql: str, params: Sequence[Any]) -> list[str]:
    conn = await _app_connection(app_dsn, org_id)
    try:
        return [str(row["id"]) for row in await conn.fetch(sql, *params, timeout=60)]
    finally:
        await conn.close(timeout=10)


Statement = tuple[str, Sequence[Any]]


async def floor_load(
    app_dsn: str,
    org_id: str,
    statements: Sequence[Statement],
    *,
    transaction: bool,
    concurrency: int,
    seconds: float,
    timeout: float,
) -> tuple[LoadResult, dict[str, Any]]:
    """`statements` in a closed loop on `concurrency` connections for `seconds`: one query (the
    page), or a request's whole SQL in one transaction (BEGIN, statements, ROLLBACK). asyncpg's
    statement cache makes each a named prepared statement, as SQLAlchemy's asyncpg driver does."""
    conns = [await _app_connection(app_dsn, org_id) for _ in range(concurrency)]

    async def once(conn: Any) -> None:
        if not transaction:
            sql, params = statements[0]
            await conn.fetch(sql, *params, timeout=timeout)
            return
        tx = conn.transaction()
        await tx.start()
        try:
            for sql, params in statements:
                await conn.fetch(sql, *params, timeout=timeout)
        finally:
            await tx.rollback()

    try:
        for conn in conns:  # past PostgreSQL's first five custom plans, as the API's warm pool is
            for _ in range(6):
                await once(conn)
        pids = [conn.get_server_pid() for conn in conns]
        db_before = [process_cpu_seconds(pid) or 0.0 for pid in pids]
        result = LoadResult(url="asyncpg://floor", concurrency=concurrency, duration_s=0.0)
        clock = time.perf_counter
        cpu_start, started = time.process_time(), clock()
        deadline = started + seconds

        async def loop(conn: Any) -> None:
            while clock() < deadline:
                begun = clock()
                try:
                    await once(conn)
                except Exception as exc:
                    result.errors += 1
                    result.error_kinds[type(exc).__name__] += 1
                    continue
                result.latencies_s.append(clock() - begun)
                result.requests += 1

        await asyncio.gather(*(loop(conn) for conn in conns))
        result.duration_s = clock() - started
        result.client_cpu_s = time.process_time() - cpu_start
        db_cpu = sum((process_cpu_seconds(pid) or 0.0) - before for pid, before in zip(pids, db_before, strict=True))
        page_sql = next(sql for sql, _ in statements if _statement_kind(sql) == "leads page")
        plans = await conns[0].fetchrow(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1", page_sql
        )
        extra = {
            "db_cores": db_cpu / result.duration_s,
            "page_generic_plans": plans["generic_plans"] if plans else None,
            "page_custom_plans": plans["custom_plans"] if plans else None,
        }
        return result, extra
    finally:
        for conn in conns:
            await conn.close(timeout=10)


# ---------------------------------------------------------------------------------------------
# Statements per request: one request in-process, SQLAlchemy's engine events counting


@dataclass
class Capture:
    statements: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)
    events: list[str] = field(default_factory=list)  # begin, commit, rollback, ping, checkout


def _statement_kind(sql: str) -> str:
    text = " ".join(sql.split())
    if re.match(r"(WITH first_matches AS \(.*?\) )?SELECT leads_lead(_tenant)?\.", text) and " LIMIT " in text:
        return "leads page"
    if text.startswith("SELECT count(*)") and "FROM leads_lead" in text:  # leads_lead_tenant too
        return "leads count"
    if text.startswith("SELECT set_config("):
        return "rls scope"
    table = re.search(r"\b(?:FROM|UPDATE|INTO)\s+(\w+)", text)
    verb = text.split(" ", 1)[0].lower()
    return f"{verb} {table.group(1)}" if table else text[:60]


COST_REQUESTS = 20  # in-process requests per query whose Python function calls are counted


async def asgi_get(app: Any, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    """One GET straight into the ASGI app: no HTTP client in the measured process, so the
    function calls counted around it are the server's own."""
    raw_path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": raw_path,
        "raw_path": raw_path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(b"host", b"testserver"), *((k.lower().encode(), v.encode()) for k, v in headers.items())],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


async def request_cost(app: Any, path: str, headers: dict[str, str], capture: Capture) -> dict[str, Any]:
    """Load-independent cost of one request: Python function calls (cProfile, the mean of
    COST_REQUESTS direct ASGI calls) and statements; CPU ms beside them (load-dependent)."""
    import cProfile
    import pstats

    await asgi_get(app, path, headers)  # warm: statement caches, pool
    profiler = cProfile.Profile()
    capture.statements.clear()
    profiler.enable()
    for _ in range(COST_REQUESTS):
        status, _body = await asgi_get(app, path, headers)
    profiler.disable()
    statements = len(capture.statements) / COST_REQUESTS
    if status != 200:
        raise RuntimeError(f"in-process GET {path}: HTTP {status}")
    stats = pstats.Stats(profiler)
    started = time.process_time()
    for _ in range(COST_REQUESTS):
        await asgi_get(app, path, headers)
    cpu_ms = (time.process_time() - started) * 1000 / COST_REQUESTS
    return {
        "python_calls": round(stats.total_calls / COST_REQUESTS),  # type: ignore[attr-defined]
        "statements": statements,
        "cpu_ms": round(cpu_ms, 2),
        "stats": stats,
    }


async def capture_requests(
    app_env: dict[str, str],
    token: str,
    org_id: str,
    queries: Sequence[ListQuery],
    limits: Sequence[int],
    cost_limit: int | None = None,
    profile_dir: Path | None = None,
) -> dict[str, dict[str, Any]]:
    """Each list request once in-process (create_app on the same database and role as the
    server, relay off), recording every statement SQLAlchemy sends and each transaction event;
    at `cost_limit`, also the request's Python function calls (see request_cost)."""
    from litestar.testing import AsyncTestClient
    from sqlalchemy import event

    from nexuscore.bootstrap.app import create_app
    from nexuscore.platform.settings import load_settings

    settings = dataclasses.replace(load_settings(app_env, dotenv=None), outbox_relay_in_process=False)
    app = create_app(settings)
    engine = app.state.runtime.engine
    capture = Capture()

    def on_execute(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        capture.statements.append((statement, tuple(parameters or ())))

    event.listen(engine.sync_engine, "before_cursor_execute", on_execute)
    for name in ("begin", "commit", "rollback"):
        event.listen(engine.sync_engine, name, lambda _conn, name=name: capture.events.append(name))
    event.listen(engine.sync_engine.pool, "checkout", lambda *_: capture.events.append("checkout"))
    ping = engine.dialect.do_ping

    def counting_ping(dbapi_connection: Any) -> Any:
        capture.events.append("ping")
        return ping(dbapi_connection)

    engine.dialect.do_ping = counting_ping  # the pool's pre-ping: a round trip too
    headers = {"Authorization": f"Bearer {token}"}
    found: dict[str, dict[str, Any]] = {}
    async with AsyncTestClient(app=app) as client:
        for query in queries:
            per_limit: dict[str, Any] = {}
            for limit in limits:
                path = query.path(org_id, limit)
                for _ in range(2):  # the first request of a connection also runs the dialect's set-up
                    capture.statements.clear()
                    capture.events.clear()
                    response = await client.get(path, headers=headers)
                    if response.status_code != 200:
                        raise RuntimeError(f"in-process GET {path}: HTTP {response.status_code} {response.text[:500]}")
                body = response.json()
                page = [(sql, params) for sql, params in capture.statements if _statement_kind(sql) == "leads page"]
                if len(page) != 1:
                    raise RuntimeError(f"{query.name}: expected one page statement, got {len(page)}")
                count = [(sql, params) for sql, params in capture.statements if _statement_kind(sql) == "leads count"]
                per_limit[str(limit)] = {
                    "statements": len(capture.statements),
                    "kinds": [_statement_kind(sql) for sql, _ in capture.statements],
                    "events": dict(sorted((e, capture.events.count(e)) for e in set(capture.events))),
                    "items": len(body["items"]),
                    "ids": [item["id"] for item in body["items"]],
                    "total": body["total"],
                    "total_is_exact": body.get("totalIsExact", True),
                    "page_sql": page[0][0],
                    "page_params": page[0][1],
                    "count_sql": count[0][0] if count else None,
                    "count_params": count[0][1] if count else None,
                    "all": list(capture.statements),
                }
            if cost_limit is not None:
                # On the client's portal thread, where the app and its pool's connections live
                # (and where cProfile, which profiles one thread, must run).
                cost = client.blocking_portal.call(request_cost, app, query.path(org_id, cost_limit), headers, capture)
                stats = cost.pop("stats")
                if profile_dir is not None:
                    stats.dump_stats(profile_dir / f"{query.name}.pstats")
                per_limit["cost"] = cost
                print(
                    f"  {query.name:<22} {cost['python_calls']:>7,} Python calls/request, "
                    f"{cost['statements']:g} statements, {cost['cpu_ms']:.2f} ms CPU (limit {cost_limit})",
                    flush=True,
                )
            found[query.name] = per_limit
    return found


# ---------------------------------------------------------------------------------------------
# HTTP helpers (setup, import); the load itself goes through http_load


class Api:
    def __init__(self, base_url: str, account: Account, timeout: float) -> None:
        import httpx

        self.base_url = base_url
        self.account = account
        self.timeout = timeout
        self.client = httpx.Client(base_url=base_url, timeout=timeout)
        self._token: str | None = None
        self._token_at = 0.0

    @property
    def token(self) -> str:
        if self._token is None or time.monotonic() - self._token_at > TOKEN_MAX_AGE_S:
            self._token = login(self.base_url, self.account, self.timeout)
            self._token_at = time.monotonic()
        return self._token

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def request(self, method: str, path: str, expect: int, **kwargs: Any) -> Any:
        response = self.client.request(method, path, headers=self.auth, **kwargs)
        if response.status_code != expect:
            raise RuntimeError(
                f"{method} {path}: HTTP {response.status_code} (expected {expect}): {response.text[:800]}"
            )
        return response

    def close(self) -> None:
        self.client.close()


# ---------------------------------------------------------------------------------------------
# Scenario: list


@dataclass(frozen=True)
class ListQuery:
    name: str
    params: dict[str, str]

    def path(self, org_id: str, limit: int) -> str:
        return f"{ORGS_PATH}/{org_id}/leads?" + urlencode({**self.params, "limit": str(limit)})

    def describe(self) -> str:
        return urlencode(self.params) or "(defaults: newest first)"


def list_queries(member_id: uuid.UUID, now: datetime, one_email: str) -> list[ListQuery]:
    created_from = (now - timedelta(days=180)).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return [
        ListQuery("newest", {}),
        ListQuery("status_by_score", {"status": "qualified", "sort": "-score"}),
        ListQuery("search", {"q": SEARCH_TERM}),
        ListQuery("search_one_email", {"q": one_email}),  # finding one person: a selective search
        ListQuery("tag_owner_follow_up", {"tag": FILTER_TAG, "ownerId": str(member_id), "sort": "nextFollowUp"}),
        ListQuery("score_recent_by_value", {"scoreMin": "70", "createdFrom": created_from, "sort": "-estimatedValue"}),
        ListQuery("deep_page", {"offset": "5000"}),
    ]


@dataclass
class Phase:
    round: int
    target: str  # "api" or "floor"
    result: LoadResult
    cpu: dict[str, float]
    extra: dict[str, Any] = field(default_factory=dict)


def run_api_phase(
    server: Server, url: str, token: str, args: argparse.Namespace, seconds: float, db: DbCpu, target: str = "api"
) -> Phase:
    db_before = db.sample()
    server_before, host_before = tree_cpu_seconds(server.process.pid), host_busy_seconds()
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        result = runner.run(
            run_load(
                url,
                concurrency=args.concurrency,
                seconds=seconds,
                timeout=args.timeout,
                headers={"Authorization": f"Bearer {token}"},
            )
        )
    server_after, host_after = tree_cpu_seconds(server.process.pid), host_busy_seconds()
    cpu = {"client": result.client_cpu_share}
    db_after = db.sample()
    if db_before and db_after:
        cpu["db"] = DbCpu.used(db_before, db_after) / result.duration_s
    if server_before is not None and server_after is not None:
        cpu["server"] = (server_after - server_before) / result.duration_s
        if host_before is not None and host_after is not None:
            known = cpu["server"] + cpu["client"] + cpu.get("db", 0.0)
            cpu["others"] = max(0.0, (host_after - host_before) / result.duration_s - known)
    return Phase(0, target, result, cpu)


def run_floor_phase(
    app_dsn: str,
    org_id: str,
    statements: Sequence[Statement],
    transaction: bool,
    args: argparse.Namespace,
    target: str = "floor",
) -> Phase:
    host_before = host_busy_seconds()
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        result, extra = runner.run(
            floor_load(
                app_dsn,
                org_id,
                statements,
                transaction=transaction,
                concurrency=args.concurrency,
                seconds=args.seconds,
                timeout=args.timeout,
            )
        )
    host_after = host_busy_seconds()
    # Connecting and warming up happen before the measured window; "client" covers the window only.
    cpu = {"client": result.client_cpu_share, "db": extra.pop("db_cores")}
    if host_before is not None and host_after is not None:
        cpu["busy_incl_setup"] = (host_after - host_before) / result.duration_s
    return Phase(0, "request_sql" if transaction else target, result, cpu, extra)


def summary(result: LoadResult) -> dict[str, Any]:
    s = result.summary()
    s.pop("client_cpu_share")
    s.pop("url")
    return s


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


def mean_shares(samples: list[dict[str, float]]) -> dict[str, float]:
    keys = set.intersection(*(set(sample) for sample in samples)) if samples else set()
    return {key: round(sum(sample[key] for sample in samples) / len(samples), 2) for key in sorted(keys)}


def _json_param(value: Any) -> Any:
    if isinstance(value, uuid.UUID | datetime | date):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json_param(v) for v in value]
    return value


TARGETS = ("api", "django", "floor", "floor_total", "request_sql")
_COUNT_COLUMN = re.compile(
    r",\s*\(SELECT count\(\*\) AS count_1\s+FROM \((?P<inner>.*?)\) AS anon_1\) AS matches_counted", re.DOTALL
)


def _renumbered(sql: str, params: Sequence[Any]) -> Statement:
    """`sql` with its remaining $n placeholders numbered 1.. again, and their parameters."""
    used = sorted({int(n) for n in re.findall(r"\$(\d+)", sql)})
    new = {old: i for i, old in enumerate(used, 1)}
    return re.sub(r"\$(\d+)", lambda m: f"${new[int(m.group(1))]}", sql), tuple(params[old - 1] for old in used)


# A `q` or `tag` page: its first matches (id, sort key) kept in a CTE, counted, the page cut from them.
_SEARCH_CTE = re.compile(
    r"^WITH first_matches AS\s*\(.*?(?P<cap>\s+LIMIT \$(?P<n>\d+)::(?:BIGINT|INTEGER))\)\s*SELECT ", re.DOTALL
)
_SEARCH_COUNT_COLUMN = re.compile(r",\s*\(SELECT count\(\*\) AS count_1\s+FROM first_matches\) AS matches_counted")
_PAGE_WINDOW = re.compile(
    r"LIMIT (?P<limit>\$\d+::(?:BIGINT|INTEGER)) OFFSET (?P<offset>\$\d+::(?:BIGINT|INTEGER))\) AS page_ids"
)


def _search_floor_statements(page_sql: str, params: Sequence[Any]) -> dict[str, Statement] | None:
    """The floors of a search's page statement: the walk of its matches stopped at the page's
    end and no count (the page alone), or not stopped, with the count (an exact total)."""
    cte, count, window = (
        _SEARCH_CTE.search(page_sql),
        _SEARCH_COUNT_COLUMN.search(page_sql),
        _PAGE_WINDOW.search(page_sql),
    )
    if cte is None or count is None or window is None:
        return None
    to_page_end = f" LIMIT ({window['limit']} + {window['offset']})"
    capped = page_sql[: cte.start("cap")] + to_page_end + page_sql[cte.end("cap") :]
    alone = _SEARCH_COUNT_COLUMN.sub("", capped, count=1)
    exact = page_sql[: cte.start("cap")] + page_sql[cte.end("cap") :]
    return {"floor": _renumbered(alone, params), "floor_total": _renumbered(exact, params)}


def _reads_only(sql: str) -> bool:
    """A SELECT, or a WITH whose CTEs write nothing (a search's page statement)."""
    text = sql.lstrip().upper()
    return text.startswith("SELECT") or (
        text.startswith("WITH ") and re.search(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", text) is None
    )


def floor_statements(page_sql: str, params: Sequence[Any]) -> dict[str, Statement]:
    """The two floors from the repository's page statement (the page with its capped count):
    `floor` the page alone, `floor_total` the page with an exact count of every match (no cap),
    both one round trip. A page statement without a count column is both."""
    search = _search_floor_statements(page_sql, params)
    if search is not None:
        return search
    found = _COUNT_COLUMN.search(page_sql)
    if found is None:
        return {"floor": (page_sql, tuple(params)), "floor_total": (page_sql, tuple(params))}
    alone = page_sql[: found.start()] + page_sql[found.end() :]
    inner = re.sub(r"\s+LIMIT \$\d+::INTEGER\s*$", "", found.group("inner"))
    exact = page_sql[: found.start("inner")] + inner + page_sql[found.end("inner") :]
    return {"floor": _renumbered(alone, params), "floor_total": _renumbered(exact, params)}


def check_query(
    query: ListQuery, cap: dict[str, Any], api: Api, app_dsn: str, org_id: str, args: argparse.Namespace
) -> tuple[dict[str, Any], list[str]]:
    """Statements per request, the same page from the API and the floor, and the plans."""
    problems: list[str] = []
    main = cap[str(args.limit)]
    counts = {limit: cap[limit]["statements"] for limit in cap}
    if len(set(counts.values())) != 1:
        problems.append(f"{query.name}: statements per request depend on the limit: {counts}")
    http_ids = [item["id"] for item in api.request("GET", query.path(org_id, args.limit), 200).json()["items"]]
    floor_ids = asyncio.run(
        floor_page_ids(app_dsn, org_id, *floor_statements(main["page_sql"], main["page_params"])["floor"])
    )
    if not http_ids:
        problems.append(f"{query.name}: the page is empty; the query measures nothing")
    if http_ids != floor_ids or http_ids != main["ids"]:
        raise RuntimeError(
            f"{query.name}: the API's page differs from the floor's: API {http_ids[:3]}... ({len(http_ids)}), "
            f"floor {floor_ids[:3]}... ({len(floor_ids)}), in-process {main['ids'][:3]}..."
        )
    plans: dict[str, Any] = {}
    without_rls: dict[str, Any] = {}  # the same statement as the table's owner, whom RLS does not bind
    for kind in ("page", "count"):
        if main[f"{kind}_sql"]:
            sql, params = main[f"{kind}_sql"], main[f"{kind}_params"]
            plans[kind] = asyncio.run(explain(app_dsn, org_id, sql, params))
            without_rls[kind] = asyncio.run(explain(args.owner_dsn, org_id, sql, params))
    for kind, plan in plans.items():
        if plan["full_seq_scan_on_leads"]:
            problems.append(f"{query.name}: sequential scan on leads_lead in the {kind} query: {plan['nodes']}")
        for bounded in plan["bounded_seq_scans"]:
            print(
                f"  {query.name}: bounded sequential scan (under a Limit, stopped early) in the {kind} query: {bounded}"
            )
        owner = without_rls[kind]
        lost = sorted(set(owner["indexes"]) - set(plan["indexes"]))
        if lost and plan["execution_ms"] > 2 * owner["execution_ms"] + 5:
            problems.append(
                f"{query.name}: row-level security keeps the {kind} query off {', '.join(lost)}: "
                f"{plan['execution_ms']:.1f} ms as {APP_ROLE} ({'; '.join(plan['scans'])}) against "
                f"{owner['execution_ms']:.1f} ms as the owner ({'; '.join(owner['scans'])})"
            )
    line = (
        f"  {query.name:<22} {query.describe()}\n  {'':<22} {main['statements']} statements "
        f"({', '.join(main['kinds'])}); total {main['total']}\n  {'':<22} page: {'; '.join(plans['page']['scans'])}"
        f" ({plans['page']['execution_ms']:.2f} ms)"
    )
    if "count" in plans:
        line += f"; count: {'; '.join(plans['count']['scans'])} ({plans['count']['execution_ms']:.2f} ms)"
    if any(without_rls[k]["scans"] != plans[k]["scans"] for k in plans):
        line += f"\n  {'':<22} without RLS (as the owner): " + "; ".join(
            f"{k}: {'; '.join(without_rls[k]['scans'])} ({without_rls[k]['execution_ms']:.2f} ms)" for k in plans
        )
    print(line, flush=True)
    return {
        "query": query.params,
        "limit": args.limit,
        "total": main["total"],
        "total_is_exact": main["total_is_exact"],
        "ids_match": True,
        "statements_per_request": counts,
        "statement_kinds": main["kinds"],
        "transaction_events": main["events"],
        "statements": [" ".join(sql.split())[:240] for sql, _ in main["all"]],
        "page_sql": " ".join(main["page_sql"].split()),
        "page_params": _json_param(list(main["page_params"])),
        "count_sql": " ".join(main["count_sql"].split()) if main["count_sql"] else None,
        "plans": plans,
        "plans_without_rls": without_rls,
    }, problems


def measure_query(
    server: Server,
    url: str,
    api: Api,
    app_dsn: str,
    org_id: str,
    main: dict[str, Any],
    args: argparse.Namespace,
    db: DbCpu,
    peer_url: str | None = None,
) -> list[Phase]:
    """Rounds of API, the Django peer, the two floors and (unless skipped) the request's SQL, the
    order reversed every other round."""
    floors = floor_statements(main["page_sql"], main["page_params"])
    page = [floors["floor"]]
    read_only = all(_reads_only(sql) for sql, _ in main["all"])
    request_sql = main["all"] if read_only and not args.skip_request_sql else None
    targets = [t for t in TARGETS if (t != "request_sql" or request_sql) and (t != "django" or peer_url)]
    run_api_phase(server, url, api.token, args, args.warmup, db)  # warm-up: pool, caches, plans
    if peer_url:
        run_api_phase(args.peer_server, peer_url, args.peer_token, args, args.warmup, db, "django")
    phases: list[Phase] = []
    for number in range(1, args.rounds + 1):
        token = api.token
        for target in targets if number % 2 else reversed(targets):
            if target == "api":
                phase = run_api_phase(server, url, token, args, args.seconds, db)
            elif target == "django" and peer_url:
                phase = run_api_phase(args.peer_server, peer_url, args.peer_token, args, args.seconds, db, "django")
            elif target in floors:
                phase = run_floor_phase(app_dsn, org_id, [floors[target]], False, args, target)
            else:
                phase = run_floor_phase(app_dsn, org_id, request_sql or page, True, args)
            phase.round = number
            phases.append(phase)
    return phases


def _peer_ids(url: str, token: str, timeout: float) -> list[str]:
    import httpx

    response = httpx.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=timeout)
    response.raise_for_status()
    return [item["id"] for item in response.json()["results"]]


def scenario_list(
    server: Server,
    api: Api,
    app_env: dict[str, str],
    app_dsn: str,
    org_id: str,
    queries: Sequence[ListQuery],
    args: argparse.Namespace,
    db: DbCpu,
) -> tuple[dict[str, Any], list[str]]:
    problems: list[str] = []
    base = f"http://127.0.0.1:{server.port}"
    limits = sorted({5, args.limit})
    print(f"list: capturing the statements of one request at limit {' and '.join(map(str, limits))}", flush=True)
    profile_dir = args.cost_profiles
    if profile_dir is not None:
        profile_dir.mkdir(parents=True, exist_ok=True)
    captured = asyncio.run(
        capture_requests(app_env, api.token, org_id, queries, limits, args.limit, profile_dir=profile_dir)
    )
    results: dict[str, Any] = {}
    for query in queries:
        cost = captured[query.name].pop("cost")
        entry, found = check_query(query, captured[query.name], api, app_dsn, org_id, args)
        entry["cost"] = cost
        problems += found
        main = captured[query.name][str(args.limit)]
        if args.cost_only:
            results[query.name] = entry
            continue
        peer_url = args.peer_base + query.path(org_id, args.limit) if args.peer_base else None
        if peer_url:
            entry["django_ids_match"] = _peer_ids(peer_url, args.peer_token, args.timeout) == main["ids"]
        phases = measure_query(
            server, base + query.path(org_id, args.limit), api, app_dsn, org_id, main, args, db, peer_url
        )
        pooled = {
            t: merge([p.result for p in phases if p.target == t]) for t in TARGETS if any(p.target == t for p in phases)
        }
        errors = {t: dict(r.error_kinds) for t, r in pooled.items() if r.errors}
        if errors:
            problems.append(f"{query.name}: errors: {errors}")
        for target, result in pooled.items():
            entry[target] = summary(result) | {"cpu_cores": mean_shares([p.cpu for p in phases if p.target == target])}
        entry["floor"] |= [p.extra for p in phases if p.target == "floor"][-1]
        api_r, floor_r = pooled["api"], pooled["floor"]
        by_round = {(p.round, p.target): p.result for p in phases}
        entry["ratio"] = {
            "p50_api_over_floor": ratio(api_r.percentile_ms(50), floor_r.percentile_ms(50)),
            "p99_api_over_floor": ratio(api_r.percentile_ms(99), floor_r.percentile_ms(99)),
            "rps_floor_over_api": ratio(floor_r.rps, api_r.rps),
            "per_round_p50": [
                ratio(by_round[(n, "api")].percentile_ms(50), by_round[(n, "floor")].percentile_ms(50))
                for n in range(1, args.rounds + 1)
            ],
        }
        if "django" in pooled:
            entry["ratio"]["rps_api_over_django"] = ratio(api_r.rps, pooled["django"].rps)
            entry["ratio"]["p50_django_over_api"] = ratio(pooled["django"].percentile_ms(50), api_r.percentile_ms(50))
        if "floor_total" in pooled:
            entry["ratio"]["p50_api_over_floor_total"] = ratio(
                api_r.percentile_ms(50), pooled["floor_total"].percentile_ms(50)
            )
        if "request_sql" in pooled:
            sql_r = pooled["request_sql"]
            entry["ratio"]["p50_api_over_request_sql"] = ratio(api_r.percentile_ms(50), sql_r.percentile_ms(50))
            entry["ratio"]["p99_api_over_request_sql"] = ratio(api_r.percentile_ms(99), sql_r.percentile_ms(99))
        results[query.name] = entry
        a, f, r = entry["api"], entry["floor"], entry["ratio"]
        line = (
            f"  {'':<22} API p50 {a['p50_ms']:.2f} p99 {a['p99_ms']:.2f} ms {a['rps']:.0f}/s | floor p50 "
            f"{f['p50_ms']:.2f} p99 {f['p99_ms']:.2f} ms {f['rps']:.0f}/s | API/floor p50 {r['p50_api_over_floor']}"
            f" p99 {r['p99_api_over_floor']}"
        )
        if "request_sql" in entry:
            q = entry["request_sql"]
            line += f" | request SQL p50 {q['p50_ms']:.2f} p99 {q['p99_ms']:.2f} ms"
        print(line + f" | cpu server {a['cpu_cores'].get('server', float('nan')):.2f}", flush=True)
    return results, problems


# ---------------------------------------------------------------------------------------------
# Scenario: import

IMPORT_HEADER = (
    "First Name", "Last Name", "Email", "Phone", "Company", "Job Title", "Source", "Tags", "Estimated Value",
    "Next Follow Up", "Marketing Consent",
)  # fmt: skip
INVALID_KINDS = ("email", "phone", "first_name", "date", "source", "value")


@dataclass
class ImportFile:
    data: bytes
    rows: int
    invalid: int
    file_duplicates: int
    existing_duplicates: int

    @property
    def expected_created(self) -> int:
        return self.rows - self.invalid - self.file_duplicates - self.existing_duplicates


def import_file(
    rng: random.Random, *, rows: int, first_index: int, existing: Sequence[str], invalid: int, file_duplicates: int
) -> ImportFile:
    """Valid rows with fresh contacts, plus `invalid` rows with one bad cell each, rows repeating an
    earlier row's email, and rows carrying an existing lead's email (each with a fresh phone)."""
    special = ["invalid"] * invalid + ["file_dup"] * file_duplicates + ["existing_dup"] * len(existing)
    kinds = ["valid"] * rows
    # The first ten rows stay valid: a repeated email needs an earlier valid row to repeat.
    for position, kind in zip(rng.sample(range(10, rows), len(special)), special, strict=True):
        kinds[position] = kind
    companies = [f"{w} {k} Pte Ltd" for w in COMPANY_WORDS for k in COMPANY_KINDS]
    follow_up = date.today() + timedelta(days=14)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(IMPORT_HEADER)
    valid_emails: list[str] = []
    existing_left = list(existing)
    for n, kind in enumerate(kinds):
        index = first_index + n
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        company = rng.choice(companies)
        email = f"{_slug(first)}.{_slug(last)}.{index}@{_slug(company.removesuffix(' Pte Ltd'))}.sg"
        row = [
            first,
            last,
            email,
            phone_number(index),
            company,
            rng.choice(JOB_TITLES),
            _weighted(rng, SOURCES),
            ";".join(rng.sample(TAGS, k=rng.choice((0, 1, 1, 2)))),
            f"{rng.randrange(100, 200_000)}.00" if rng.random() < 0.5 else "",
            follow_up.isoformat() if rng.random() < 0.3 else "",
            rng.choice(("yes", "no", "")),
        ]
        if kind == "invalid":
            bad = INVALID_KINDS[n % len(INVALID_KINDS)]
            column = {"email": 2, "phone": 3, "first_name": 0, "date": 9, "source": 6, "value": 8}[bad]
            row[column] = {
                "email": f"not-an-email-{index}",
                "phone": "12345",
                "first_name": "",
                "date": "31/12/2026",
                "source": "carrier pigeon",
                "value": "-5",
            }[bad]
        elif kind == "file_dup":
            row[2] = rng.choice(valid_emails)
        elif kind == "existing_dup":
            row[2] = existing_left.pop()
        else:
            valid_emails.append(email)
        writer.writerow(row)
    data = out.getvalue().encode()
    return ImportFile(data, len(kinds), invalid, file_duplicates, len(existing))


def scenario_import(
    server: Server, api: Api, org_id: str, import_csv: ImportFile, args: argparse.Namespace, db: DbCpu
) -> tuple[dict[str, Any], list[str]]:
    problems: list[str] = []
    path = f"{ORGS_PATH}/{org_id}/leads/imports"
    files = {"file": ("bench-leads.csv", import_csv.data, "text/csv")}
    expected = {
        "created": import_csv.expected_created,
        "duplicates": import_csv.file_duplicates + import_csv.existing_duplicates,
        "errors": import_csv.invalid,
    }
    size_mb = len(import_csv.data) / 1_048_576
    print(f"import: {import_csv.rows} rows, {size_mb:.2f} MB; expecting {expected}", flush=True)

    started = time.perf_counter()
    preview = api.request("POST", path, 200, files=files, data={"dryRun": "true"}, timeout=args.import_timeout).json()
    preview_s = time.perf_counter() - started
    preview_counts = {
        "created": preview["newRows"],
        "duplicates": preview["duplicateRows"],
        "errors": preview["errorRows"],
    }
    if preview_counts != expected or preview["totalRows"] != import_csv.rows:
        problems.append(f"import preview counts {preview_counts} (of {preview['totalRows']}) != expected {expected}")
    print(f"  dry run: {preview_s:.2f} s ({import_csv.rows / preview_s:,.0f} rows/s), counts {preview_counts}")

    db_before = db.sample()
    server_before = process_cpu_seconds(server.process.pid)
    started = time.perf_counter()
    accepted = api.request("POST", path, 202, files=files, data={"dryRun": "false"}, timeout=args.import_timeout)
    accepted_s = time.perf_counter() - started
    location = accepted.headers["Location"]
    deadline = started + args.import_timeout
    last_report = started
    # Each poll's latency says how responsive the API stays while the import runs in its process.
    poll_latency = LoadResult(url=location, concurrency=1, duration_s=0.0)
    progress: list[tuple[float, str, int]] = []
    while True:
        begun = time.perf_counter()
        job = api.request("GET", location, 200).json()
        now = time.perf_counter()
        poll_latency.latencies_s.append(now - begun)
        poll_latency.requests += 1
        progress.append((now - started, job["status"], job["processedRows"]))
        if job["status"] in ("completed", "failed"):
            break
        if now > deadline:
            raise RuntimeError(f"import still {job['status']} after {args.import_timeout:g} s: {job['processedRows']}")
        if now - last_report >= 10:
            print(f"  ... {job['status']}: {job['processedRows']}/{job['totalRows']} rows", flush=True)
            last_report = now
        time.sleep(POLL_S)
    wall_s = time.perf_counter() - started
    server_after = process_cpu_seconds(server.process.pid)
    db_after = db.sample()
    counts = job["counts"]
    if job["status"] != "completed":
        problems.append(f"import {job['status']}: {job.get('failure')}")
    if counts != expected:
        problems.append(f"import counts {counts} != expected {expected}")
    count_sql = "SELECT count(*) AS n FROM leads_lead WHERE organization_id = $1"
    stored = asyncio.run(_fetch(args.owner_dsn, count_sql, uuid.UUID(org_id)))[0]["n"]
    if stored != args.import_existing + counts["created"]:
        problems.append(f"import: {stored} leads stored, expected {args.import_existing} + {counts['created']}")

    def _ts(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None

    created_at, started_at, finished_at = (_ts(job.get(k)) for k in ("createdAt", "startedAt", "finishedAt"))
    server_run_s = (finished_at - started_at).total_seconds() if started_at and finished_at else None
    result = {
        "rows": import_csv.rows,
        "bytes": len(import_csv.data),
        "expected": expected,
        "counts": counts,
        "status": job["status"],
        "preview_s": round(preview_s, 2),
        "preview_rows_per_s": round(import_csv.rows / preview_s, 1),
        "preview_counts": preview_counts,
        "upload_202_s": round(accepted_s, 2),
        "wall_s": round(wall_s, 2),
        "rows_per_s": round(import_csv.rows / wall_s, 1),
        "created_per_s": round(counts["created"] / wall_s, 1),
        "server_run_s": round(server_run_s, 2) if server_run_s is not None else None,
        # From the job's creation to its first batch: queueing, loading the CSV text, and
        # validating the whole file (plan_import) before the first batch is written.
        "pending_s": round((started_at - created_at).total_seconds(), 2) if started_at and created_at else None,
        "batch_rates": batch_rates(progress, import_csv.rows),
        "poll_interval_s": POLL_S,
        "poll_latency_ms": {
            "polls": poll_latency.requests,
            "p50": round(poll_latency.percentile_ms(50), 2),
            "p99": round(poll_latency.percentile_ms(99), 2),
            "max": round(poll_latency.percentile_ms(100), 2),
        },
        "server_cpu_s": round(server_after - server_before, 2) if server_before and server_after else None,
        "db_cpu_s": round(DbCpu.used(db_before, db_after), 2) if db_before and db_after else None,
        "server_peak_rss_mb": peak_rss_mb(server.process.pid),
        "leads_stored": stored,
        "broker": "in-process (no REDIS_URL): the import runs in the API process",
    }
    print(
        f"  import: {job['status']} in {wall_s:.2f} s = {result['rows_per_s']:,.0f} rows/s "
        f"(upload answered 202 in {accepted_s:.2f} s; pending {result['pending_s']} s; batches "
        f"{result['server_run_s']} s, rows/s first/second half {result['batch_rates']}); counts {counts}; "
        f"GET import p50/p99/max {result['poll_latency_ms']['p50']}/{result['poll_latency_ms']['p99']}/"
        f"{result['poll_latency_ms']['max']} ms",
        flush=True,
    )
    return result, problems


def batch_rates(progress: Sequence[tuple[float, str, int]], total: int) -> dict[str, float | None]:
    """Rows/s over the first and the second half of the rows, from the polled progress: a second
    half much slower than the first would mean batches slow down as the table grows."""
    running = [(t, rows) for t, status, rows in progress if status in ("running", "completed")]
    if len(running) < 3:
        return {"first_half": None, "second_half": None}
    (t0, rows0), (t_end, rows_end) = running[0], running[-1]
    t_mid, rows_mid = next(((t, rows) for t, rows in running if rows >= total / 2), running[-1])

    def rate(rows: int, seconds: float) -> float | None:
        return round(rows / seconds, 1) if seconds > 0 and rows > 0 else None

    return {"first_half": rate(rows_mid - rows0, t_mid - t0), "second_half": rate(rows_end - rows_mid, t_end - t_mid)}


def peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except (OSError, ValueError):
        return None
    return None


# ---------------------------------------------------------------------------------------------
# Report


def print_report(result: dict[str, Any]) -> None:
    lists = result.get("list")
    if lists:
        print()
        print(f"{'per request':<22} {'total':>7} | {'Python calls':>12} | {'statements':>10} | {'CPU ms':>6}")
        for name, e in lists.items():
            c = e["cost"]
            total = f"{e['total']}{'' if e.get('total_is_exact', True) else '+'}"
            print(f"{name:<22} {total:>7} | {c['python_calls']:>12,} | {c['statements']:>10g} | {c['cpu_ms']:>6.2f}")
        print(
            f"Python calls: cProfile's count per request (mean of {COST_REQUESTS} in-process ASGI calls, no HTTP "
            "client), independent of load; CPU ms beside it is not"
        )
    if lists and "api" in next(iter(lists.values())):
        print()
        print(
            f"{'GET /leads limit ' + str(result['params']['limit']):<22} {'total':>7} |"
            f" {'NexusCore p50':>13} {'p99':>6} {'req/s':>5} | {'Django p50':>10} {'req/s':>5} {'x rps':>5} |"
            f" {'floor p50':>9} {'p99':>5} {'x p50':>5} |"
            f" {'floor+total p50':>15} | {'SQL p50':>7} | stmts | page plan (EXPLAIN ANALYZE ms)"
        )
        for name, e in lists.items():
            a, f, r, plan = e["api"], e["floor"], e["ratio"], e["plans"]["page"]
            q, d, ft = e.get("request_sql"), e.get("django"), e.get("floor_total")
            dj = (
                f"{d['p50_ms']:>10.2f} {d['rps']:>5.0f} {r['rps_api_over_django']:>5.2f}"
                if d
                else f"{'-':>10} {'-':>5} {'-':>5}"
            )
            stmts = "/".join(str(v) for v in e["statements_per_request"].values())
            total = f"{e['total']}{'' if e.get('total_is_exact', True) else '+'}"
            print(
                f"{name:<22} {total:>7} | {a['p50_ms']:>13.2f} {a['p99_ms']:>6.2f} {a['rps']:>5.0f} | {dj} |"
                f" {f['p50_ms']:>9.2f} {f['p99_ms']:>5.2f} {r['p50_api_over_floor']:>5.1f} |"
                f" {(ft['p50_ms'] if ft else float('nan')):>15.2f} | {(q['p50_ms'] if q else float('nan')):>7.2f} |"
                f" {stmts:>5} | {'; '.join(plan['scans'])} ({plan['execution_ms']:.2f})"
            )
        print(
            "ms. NexusCore and Django: one server process each, pinned to core 0 with the load generator on core 1 "
            "(unless --no-pin); x rps = NexusCore req/s over Django's (goal >= 3); floor = the page's SQL alone, "
            "one asyncpg query under RLS; x p50 = NexusCore/floor (goal <= 3); floor+total = the page with an exact "
            "count of every match, one round trip; SQL = every statement of the request replayed on asyncpg in one "
            "transaction; stmts = statements per request at limit 5/"
            + str(result["params"]["limit"])
            + "; total with + = a lower bound (totalIsExact false)"
        )
        counted = {n: e["plans"]["count"] for n, e in lists.items() if "count" in e["plans"]}
        if counted:
            print("count(*) for `total` (run whenever the page is full):")
            for name, plan in counted.items():
                print(f"  {name:<22} {plan['execution_ms']:>8.2f} ms  {'; '.join(plan['scans'])}")
        differ = [
            (name, kind, plan, e["plans_without_rls"][kind])
            for name, e in lists.items()
            for kind, plan in e["plans"].items()
            if e["plans_without_rls"][kind]["scans"] != plan["scans"]
        ]
        if differ:
            print(f"plans as {APP_ROLE} (RLS) that differ from the owner's (no RLS), same statement:")
            for name, kind, plan, owner in differ:
                print(
                    f"  {name:<22} {kind:<5} RLS {plan['execution_ms']:>8.2f} ms  {'; '.join(plan['scans'])}\n"
                    f"  {'':<22} {'':<5} owner {owner['execution_ms']:>6.2f} ms  {'; '.join(owner['scans'])}"
                )
    imp = result.get("import")
    if imp:
        print()
        print(
            f"CSV import, {imp['rows']:,} rows ({imp['bytes'] / 1_048_576:.1f} MB): {imp['status']} in "
            f"{imp['wall_s']:.2f} s = {imp['rows_per_s']:,.0f} rows/s; created {imp['counts']['created']:,}, "
            f"duplicates {imp['counts']['duplicates']}, errors {imp['counts']['errors']}; dry run "
            f"{imp['preview_s']:.2f} s; server CPU {imp['server_cpu_s']} s, db CPU {imp['db_cpu_s']} s, "
            f"server peak RSS {imp['server_peak_rss_mb']} MB"
        )
        print(
            f"  pending (queue + validating the file) {imp['pending_s']} s, batches {imp['server_run_s']} s "
            f"(rows/s first half {imp['batch_rates']['first_half']}, second half "
            f"{imp['batch_rates']['second_half']}); GET import during the run p50 {imp['poll_latency_ms']['p50']} ms,"
            f" p99 {imp['poll_latency_ms']['p99']} ms, max {imp['poll_latency_ms']['max']} ms; {imp['broker']}"
        )
    env = result["environment"]
    print(f"load average before/after: {env['loadavg_before']} / {env['loadavg_after']} on {env['cpus']} CPUs")
    if result["problems"]:
        print("PROBLEMS:")
        for problem in result["problems"]:
            print(f"  - {problem}")
    else:
        checks = "ids equal to the floor's, statements independent of the limit, no full sequential scan"
        print(f"checks: {checks}{', import counts as expected' if imp else ''} -> PASS")


def loadavg() -> list[float] | None:
    try:
        return [float(v) for v in Path("/proc/loadavg").read_text().split()[:3]]
    except (OSError, ValueError):
        return None


# ---------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="GET /leads at 100,000 leads against one raw asyncpg query, and a 50,000-row CSV import."
    )
    parser.add_argument("--scenario", choices=("list", "import", "both"), default="both", help="default both")
    parser.add_argument("--leads", type=int, default=100_000, help="leads of the measured organisation")
    parser.add_argument("--other-leads", type=int, default=20_000, help="leads of a second organisation")
    parser.add_argument("--limit", type=int, default=50, help="page size (default 50)")
    parser.add_argument("--seconds", type=float, default=3.0, help="seconds per phase (default 3)")
    parser.add_argument("--rounds", type=int, default=2, help="API/floor rounds per query, alternating (default 2)")
    parser.add_argument("--concurrency", type=int, default=4, help="connections, API and floor alike (default 4)")
    parser.add_argument("--warmup", type=float, default=1.0, help="API warm-up seconds per query (default 1)")
    parser.add_argument("--timeout", type=float, default=10.0, help="per-request timeout in seconds (default 10)")
    parser.add_argument(
        "--skip-request-sql",
        action="store_true",
        help="do not also replay the request's whole SQL (BEGIN, every statement, ROLLBACK) on raw asyncpg",
    )
    parser.add_argument("--no-peer", dest="peer", action="store_false", help="skip the Django peer")
    parser.add_argument(
        "--cost-only",
        action="store_true",
        help="per query only the load-independent figures (Python calls and statements per request, plans); no load",
    )
    parser.add_argument(
        "--cost-profiles", type=Path, default=None, help="write each query's cProfile stats (.pstats) to this folder"
    )
    parser.add_argument("--no-pin", dest="pin", action="store_false", help="do not pin servers and client to cores")
    parser.add_argument("--queries", default="", help="comma-separated query names to run (default all)")
    parser.add_argument("--import-rows", type=int, default=50_000, help="CSV rows (default 50,000, the cap)")
    parser.add_argument("--import-invalid", type=int, default=300, help="rows with a bad cell (default 300)")
    parser.add_argument("--import-duplicates", type=int, default=200, help="rows repeating an earlier email")
    parser.add_argument("--import-existing", type=int, default=200, help="leads already there, repeated in the CSV")
    parser.add_argument("--import-timeout", type=float, default=600.0, help="seconds to wait for the import")
    parser.add_argument("--seed", type=int, default=20261126, help="random seed of the generated data")
    parser.add_argument(
        "--pg-admin-url",
        default=DEFAULT_PG_ADMIN_URL,
        help=f"loopback PostgreSQL to create the bench database on (default {DEFAULT_PG_ADMIN_URL})",
    )
    parser.add_argument("--startup-timeout", type=float, default=60.0, help="seconds to wait for the server")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"JSON result (default {DEFAULT_OUTPUT})")
    parser.add_argument("--keep-tmp", action="store_true", help="keep the temp dir (server log)")
    args = parser.parse_args(argv)
    if not 1 <= args.rounds <= 20:
        parser.error("--rounds must be 1..20")
    if not 0 < args.seconds <= MAX_SECONDS or not 0 < args.warmup <= 60:
        parser.error(f"--seconds must be in (0, {MAX_SECONDS:g}] and --warmup in (0, 60]")
    if not 1 <= args.concurrency <= min(MAX_CONCURRENCY, 64):
        parser.error("--concurrency must be 1..64 (the floor opens as many PostgreSQL connections)")
    if not 6 <= args.limit <= 100:
        parser.error("--limit must be 6..100 (the API's maximum is 100; 5 is the comparison)")
    if not 1_000 <= args.leads <= 2_000_000 or not 0 <= args.other_leads <= 2_000_000:
        parser.error("--leads must be 1,000..2,000,000 and --other-leads 0..2,000,000")
    if args.leads <= 5000 + args.limit:
        parser.error("--leads must exceed the deep page's offset (5000) plus the limit")
    if not 1 <= args.import_rows <= 50_000:
        parser.error("--import-rows must be 1..50,000 (the import's cap)")
    special = args.import_invalid + args.import_duplicates + args.import_existing
    if min(args.import_invalid, args.import_duplicates, args.import_existing) < 0 or special > args.import_rows - 10:
        parser.error("--import-invalid/-duplicates/-existing must be >= 0 and leave at least 10 valid rows")
    try:
        _loopback_pg_url(args.pg_admin_url)
    except ValueError as exc:
        parser.error(str(exc))
    return args


@dataclass
class Tenants:
    owner: Account
    owner_id: uuid.UUID
    member_ids: list[uuid.UUID]
    orgs: dict[str, str]  # measured, other, import -> organisation id


def create_accounts(owner_env: dict[str, str], tmp: Path, owner_dsn: str, run_id: str) -> tuple[Account, list[Any]]:
    """The organisations' owner and two members, verified accounts made with the CLI."""
    accounts = [
        Account(f"{local}-{run_id}@bench.example.com", f"Leads-{secrets.token_urlsafe(15)}")
        for local in ("owner", "member1", "member2")
    ]
    create_users(accounts, owner_env, tmp)
    rows = asyncio.run(
        _fetch(
            owner_dsn, "SELECT id, email FROM identity_user WHERE email = ANY($1::text[])", [a.email for a in accounts]
        )
    )
    ids = {row["email"]: row["id"] for row in rows}
    return accounts[0], [ids[a.email] for a in accounts]


def create_tenants(api: Api, owner: Account, user_ids: list[Any], owner_dsn: str, run_id: str) -> Tenants:
    """Three organisations through the API (the owner's), the members added to the measured one."""
    orgs = {
        name: api.request("POST", ORGS_PATH + "/", 201, json={"name": f"Bench {name} {run_id}"}).json()["id"]
        for name in ("measured", "other", "import")
    }
    members = list(zip(user_ids[1:], ("member", "admin"), strict=True))
    asyncio.run(add_members(owner_dsn, uuid.UUID(orgs["measured"]), members))
    return Tenants(owner, user_ids[0], user_ids[1:], orgs)


def seed(
    rng: random.Random, tenants: Tenants, args: argparse.Namespace, now: datetime
) -> tuple[dict[str, Any], list[str], str]:
    """The measured tenant's leads, a second tenant's, and the import tenant's existing leads;
    returns the timings, the existing leads' emails (the CSV repeats them) and the email of one
    active lead of the measured tenant (a selective search)."""
    started = time.perf_counter()
    org = {name: uuid.UUID(value) for name, value in tenants.orgs.items()}
    owner_id = tenants.owner_id
    batches: list[list[tuple[Any, ...]]] = []
    if args.scenario in ("list", "both"):
        owners = [owner_id, *tenants.member_ids]
        for name, count, first_index, org_owners in (
            ("measured", args.leads, 0, owners),
            ("other", args.other_leads, 2_000_000, [owner_id]),
        ):
            batches.append(
                lead_records(
                    rng,
                    org_id=org[name],
                    count=count,
                    first_index=first_index,
                    owners=org_owners,
                    creator=owner_id,
                    now=now,
                )
            )
    existing: list[tuple[Any, ...]] = []
    if args.scenario in ("import", "both") and args.import_existing:
        existing = lead_records(
            rng,
            org_id=org["import"],
            count=args.import_existing,
            first_index=4_000_000,
            owners=[owner_id],
            creator=owner_id,
            now=now,
            archived_share=0.0,
        )
        batches.append(existing)
    rows = sum(len(b) for b in batches)
    generated = time.perf_counter() - started
    print(f"seeding {rows:,} leads with COPY", flush=True)
    timings = {"rows": rows, "generate_s": round(generated, 2)} | asyncio.run(seed_leads(args.owner_dsn, batches))
    print(f"  {timings}", flush=True)
    email, archived = LEAD_COLUMNS.index("email"), LEAD_COLUMNS.index("archived_at")
    measured = batches[0] if args.scenario in ("list", "both") else []
    one_email = next((str(r[email]) for r in measured[len(measured) // 2 :] if r[archived] is None), "")
    return timings, [str(record[email]) for record in existing], one_email


def owner_id_of(tenants: Tenants) -> uuid.UUID:
    return uuid.UUID(str(tenants.owner_id))


def run(args: argparse.Namespace, tmp: Path, setup: dict[str, Any]) -> tuple[dict[str, Any], list[str], str]:
    """Database, accounts, server, tenants, seed, then the scenarios; the server is always stopped
    and the database always dropped."""
    rng = random.Random(args.seed)
    run_id = secrets.token_hex(3)
    result: dict[str, Any] = {}
    problems: list[str] = []
    server: Server | None = None
    api: Api | None = None
    db_args = argparse.Namespace(sqlite=False, pg_admin_url=args.pg_admin_url)
    with database(db_args, tmp) as (db_url, db_label, db):
        assert db is not None  # PostgreSQL: the backends' CPU can be sampled
        try:
            owner_env = nexuscore_env(tmp, db_url)
            app_url = app_database_url(db_url)
            args.owner_dsn, app_dsn = asyncpg_dsn(db_url), asyncpg_dsn(app_url)
            print(f"database: {db_label}; migrating, granting {APP_ROLE}, creating 3 users", flush=True)
            started = time.perf_counter()
            migrate(owner_env, tmp)
            asyncio.run(_execute(args.owner_dsn, GRANT_APP_ROLE_SQL))
            setup["postgresql"] = asyncio.run(_fetch(args.owner_dsn, "SHOW server_version"))[0][0]
            owner, user_ids = create_accounts(owner_env, tmp, args.owner_dsn, run_id)
            setup["migrate_and_users_s"] = round(time.perf_counter() - started, 2)

            # The server connects as the application's role: row-level security applies to it.
            app_env = owner_env | {"DATABASE_URL": app_url, "LEADS_DEFAULT_LIMIT": str(LEADS_LIMIT)}
            port = free_port()
            args.pin = args.pin and pinning_available()
            pin_client(args.pin)
            argv = pinned(serve_argv(port), args.pin)  # as deployed: `nexuscore serve`, one worker
            server = start("nexuscore", argv, app_env, tmp, port)
            wait_ready(server, args.startup_timeout)
            print(f"nexuscore on :{port} as {APP_ROLE}", flush=True)
            api = Api(f"http://127.0.0.1:{port}", owner, args.timeout)
            tenants = create_tenants(api, owner, user_ids, args.owner_dsn, run_id)
            now = datetime.now(UTC)
            setup["seed"], existing_emails, one_email = seed(rng, tenants, args, now)

            args.peer_base = None
            if args.peer and args.scenario in ("list", "both"):
                args.peer_token = secrets.token_hex(20)
                asyncio.run(_execute(args.owner_dsn, PEER_TOKEN_TABLE_SQL))
                asyncio.run(_execute(args.owner_dsn, PEER_TOKEN_SQL, args.peer_token, owner_id_of(tenants)))
                peer_port = free_port()
                peer = start(
                    "django", pinned(gunicorn_argv(peer_port), args.pin), peer_env(args.owner_dsn), tmp, peer_port
                )
                args.peer_server = peer
                wait_ready(peer, args.startup_timeout)
                args.peer_base = f"http://127.0.0.1:{peer_port}"
                print(f"django peer (gunicorn, 1 worker) on :{peer_port} as the owner", flush=True)
            if args.scenario in ("list", "both"):
                started = time.perf_counter()
                queries = list_queries(tenants.member_ids[0], now, one_email)
                if args.queries:
                    wanted = set(args.queries.split(","))
                    queries = [q for q in queries if q.name in wanted]
                measured = tenants.orgs["measured"]
                result["list"], found = scenario_list(server, api, app_env, app_dsn, measured, queries, args, db)
                problems += found
                setup["list_scenario_s"] = round(time.perf_counter() - started, 1)
            if args.scenario in ("import", "both"):
                started = time.perf_counter()
                csv_file = import_file(
                    rng,
                    rows=args.import_rows,
                    first_index=6_000_000,
                    existing=existing_emails,
                    invalid=args.import_invalid,
                    file_duplicates=args.import_duplicates,
                )
                result["import"], found = scenario_import(server, api, tenants.orgs["import"], csv_file, args, db)
                problems += found
                setup["import_scenario_s"] = round(time.perf_counter() - started, 1)
            return result, problems, server.log_tail(15)
        finally:
            if api is not None:
                api.close()
            if server is not None:
                stop(server)  # before the database is dropped
            if getattr(args, "peer_server", None) is not None:
                stop(args.peer_server)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # A plain SIGTERM would skip the finally blocks that stop the server and drop the database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    loadavg_before = loadavg()
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="nexuscore-bench-"))
    setup: dict[str, Any] = {}
    try:
        result, problems, log_tail = run(args, tmp, setup)
    finally:
        if args.keep_tmp:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    hidden = ("output", "owner_dsn", "pg_admin_url", "keep_tmp")
    report = {
        "scenario": "leads",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "params": {k: v for k, v in vars(args).items() if k not in hidden}
        | {"database_role": APP_ROLE, "uvicorn_workers": 1, "leads_default_limit": LEADS_LIMIT, "broker": "in-process"},
        "environment": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "litestar": version("litestar"),
            "uvicorn": version("uvicorn"),
            "sqlalchemy": version("sqlalchemy"),
            "asyncpg": version("asyncpg"),
            "postgresql": setup.pop("postgresql", None),
            "git_commit": git_commit(),
            "loadavg_before": loadavg_before,
            "loadavg_after": loadavg(),
            "run_seconds": round(time.perf_counter() - started, 1),
        },
        "setup": setup,
        **result,
        "problems": problems,
        "pass": not problems,
    }
    if log_tail:
        report["server_log_tail"] = log_tail
    print_report(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"wrote {args.output} (run took {report['environment']['run_seconds']:.0f} s)")
    return 0 if not problems else 1


if __name__ == "__main__":
    raise SystemExit(main())
