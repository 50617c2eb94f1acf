# NexusCore tasks. Bootstrap (README): python3 -m venv .tools && .tools/bin/pip install uv rust-just

set shell := ["bash", "-euo", "pipefail", "-c"]
set dotenv-load := false

export PATH := justfile_directory() + "/.venv/bin:" + justfile_directory() + "/.tools/bin:" + env_var("PATH")

# List recipes
default:
    @just --list

# Install the locked dependencies into .venv (dev tools included)
install:
    uv sync --frozen --quiet

# Run the API on the embedded default (SQLite, in-process broker): install, migrate, seed, serve with reload
dev: install
    nexuscore migrate
    nexuscore seed
    nexuscore serve --reload

# The whole test suite: unit, integration (PostgreSQL, Redis) and end to end
test *args: install services
    pytest {{ args }}

# Unit tests only: no services needed
test-unit *args: install
    pytest -m unit {{ args }}

# ruff, mypy and the architecture contracts
lint: install
    ruff check .
    ruff format --check .
    mypy
    lint-imports

# Format and autofix
fmt: install
    ruff format .
    ruff check --fix .

# Upgrade the database at DATABASE_URL to the latest migration
migrate: install
    nexuscore migrate

# Autogenerate a migration: just makemigrations "add leads"
makemigrations message: install
    nexuscore makemigrations -m "{{ message }}"

# taskiq worker (needs REDIS_URL)
worker: install
    nexuscore worker

# taskiq scheduler, exactly one per deployment (needs REDIS_URL)
scheduler: install
    nexuscore scheduler

# Write the OpenAPI document to openapi.json
openapi: install
    nexuscore openapi -o openapi.json

# Regenerate sdk/ from the served document: sdk/openapi.json, the TypeScript types (openapi-typescript) and the Python client (openapi-python-client)
sdk: install
    python scripts/sdk.py generate

# Fail when the committed sdk/ differs from what the code generates (also a test: tests/integration/test_sdk_generation.py)
sdk-check: install
    python scripts/sdk.py check

# Schemathesis over the whole document, long (the suite runs 8 examples): just fuzz; NEXUSCORE_FUZZ_MAX_EXAMPLES=500 just fuzz; reports in var/fuzz/
fuzz *args: install services
    NEXUSCORE_FUZZ_MAX_EXAMPLES="${NEXUSCORE_FUZZ_MAX_EXAMPLES:-200}" NEXUSCORE_FUZZ_REPORT_DIR="${NEXUSCORE_FUZZ_REPORT_DIR:-var/fuzz}" pytest tests/e2e/fuzz -s -p no:cacheprovider -rA {{ args }}

# Every benchmark scenario with default arguments (loopback only; figures are ratios within one run)
bench: install
    status=0; python bench/health_live.py || status=$?; python bench/login_storm.py || status=$?; python bench/leads.py || status=$?; exit $status

# Scenario 1: GET /health/live against a bare Litestar floor: just bench-health --seconds 3 --rounds 2
bench-health *args: install
    python bench/health_live.py {{ args }}

# Scenario 2: GET /me p99 idle vs during a login storm (fresh PostgreSQL database; --sqlite for SQLite)
bench-login *args: install
    python bench/login_storm.py {{ args }}

# Scenario 3: GET /leads at 100,000 leads vs one raw asyncpg query, and a 50,000-row CSV import: just bench-leads --scenario list
bench-leads *args: install
    python bench/leads.py {{ args }}

# Scenario 4: the webhook inbox's ingest and drain against raw asyncpg floors: just bench-webhooks --profile-calls
bench-webhooks *args: install
    python bench/webhooks.py {{ args }}

# Issue 16 scale curve: GET /leads p50 at 10k, 100k and 1M leads, plotted to bench/scale_curve.png
bench-scale *args: install
    python bench/scale_curve.py {{ args }}

# Fault drills of issue 17 on the production layout (own Redis on :6393, own database, API, worker, scheduler, SMTP sink): just drill --quick
drill *args: install
    python bench/drill/run.py {{ args }}

# Start local PostgreSQL and Redis when installed but not running (installs them with apt when root)
services:
    bash scripts/services.sh
