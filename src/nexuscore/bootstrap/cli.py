"""`nexuscore` command line: serve, worker, scheduler, migrate, makemigrations, seed, openapi."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from nexuscore.bootstrap.modules import CONTEXT_PACKAGES
from nexuscore.bootstrap.runtime import build_runtime
from nexuscore.platform.modules import ContextModule, Infrastructure
from nexuscore.platform.settings import Settings, SettingsError, load_settings

_T = TypeVar("_T")


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        # A bad value stops start-up with a message naming the variable.
        click.echo(f"configuration error: {exc}", err=True)
        sys.exit(2)


class RuntimeCommandRunner:
    """`ctx.obj` of every command: contexts' commands run their work through it."""

    def run(self, module: str, work: Callable[[Infrastructure, ContextModule], Awaitable[_T]]) -> _T:
        async def go() -> _T:
            runtime = build_runtime(_settings())
            try:
                return await work(runtime.infra, runtime.module(module))
            finally:
                await runtime.close()

        return asyncio.run(go())


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """NexusCore: multi-tenant B2B SaaS backend."""
    ctx.obj = RuntimeCommandRunner()


@main.command()
@click.option("--host", default=None, help="Bind address (default: HOST or 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default: PORT or 8000).")
@click.option("--workers", type=int, default=1, show_default=True, help="Worker processes.")
@click.option("--reload", is_flag=True, help="Restart on code changes (development).")
@click.option(
    "--grace",
    type=float,
    default=None,
    help="Seconds in-flight requests get to finish after SIGTERM (default: the processes' grace period, 30).",
)
def serve(host: str | None, port: int | None, workers: int, reload: bool, grace: float | None) -> None:
    """Run the HTTP API. On SIGTERM it stops accepting connections and lets in-flight requests
    finish for the grace period before shutting down."""
    import uvicorn

    from nexuscore.bootstrap.processes import SHUTDOWN_GRACE_SECONDS

    settings = _settings()
    host, port = host or settings.host, port or settings.port
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"nexuscore api listening on http://{shown}:{port}", err=True)
    uvicorn.run(
        host=host,
        port=port,
        workers=None if reload else workers,
        reload=reload,
        reload_dirs=["src"] if reload else None,
        timeout_graceful_shutdown=int(SHUTDOWN_GRACE_SECONDS if grace is None else grace),
        **server_options(settings),
    )


def server_options(settings: Settings) -> dict[str, Any]:
    """What `nexuscore serve` tells uvicorn about each request it serves (bench/ runs the same)."""
    from nexuscore.platform.http.server import PROBLEM_HTTP_PROTOCOL

    return {
        "app": "nexuscore.bootstrap.app:create_app",
        "factory": True,
        "server_header": False,
        "http": PROBLEM_HTTP_PROTOCOL,  # the server's own 400s are problems too
        "log_config": None,  # structlog is configured by the app
        # The app logs each request with its request id; uvicorn's access logger is switched off
        # (platform/logging.py), but would still format its line's arguments on every request.
        "access_log": False,
        **proxy_headers_policy(settings),
    }


def proxy_headers_policy(settings: Settings) -> dict[str, Any]:
    """uvicorn's proxy-header options: X-Forwarded-* count only from a peer in TRUSTED_PROXIES.

    By default no peer is trusted, loopback included, so the client address is the TCP peer and
    a client cannot pick the address that throttles and the session list see. Behind a proxy,
    list it; uvicorn then takes the rightmost address of X-Forwarded-For that is not itself a
    trusted proxy (nginx sets the header to the address it saw, it does not append).
    """
    if not settings.trusted_proxies:
        return {"proxy_headers": False, "forwarded_allow_ips": []}
    return {"proxy_headers": True, "forwarded_allow_ips": list(settings.trusted_proxies)}


@main.command()
def worker() -> None:
    """Run a taskiq worker: outbox relay and task consumers (needs REDIS_URL)."""
    from nexuscore.bootstrap.processes import run_worker

    settings = _settings()
    if not settings.uses_redis:
        click.echo(
            "REDIS_URL is not set: with the in-process broker the API runs tasks itself; "
            "set REDIS_URL to run a separate worker.",
            err=True,
        )
        sys.exit(2)
    asyncio.run(run_worker(settings))


@main.command()
def scheduler() -> None:
    """Run the taskiq scheduler (exactly one per deployment; needs REDIS_URL)."""
    from nexuscore.bootstrap.processes import run_scheduler

    settings = _settings()
    if not settings.uses_redis:
        click.echo("REDIS_URL is not set: the scheduler needs the Redis broker.", err=True)
        sys.exit(2)
    asyncio.run(run_scheduler(settings))


@main.command()
def migrate() -> None:
    """Upgrade the database to the latest migration (alembic upgrade head)."""
    from nexuscore.bootstrap.runtime import ensure_sqlite_dir
    from nexuscore.platform.migrations import upgrade_head

    settings = _settings()
    ensure_sqlite_dir(settings.database_url)
    upgrade_head(settings.database_url)
    click.echo("database is at head")


@main.command()
@click.option("-m", "--message", required=True, help="What the migration does.")
def makemigrations(message: str) -> None:
    """Autogenerate a migration from the difference between models and database."""
    from nexuscore.platform.migrations import make_migration

    make_migration(_settings().database_url, message)


@main.command()
def seed() -> None:
    """Load demo data; running it again changes nothing."""
    from nexuscore.bootstrap.seed import run_seeders

    for line in asyncio.run(run_seeders(_settings())):
        click.echo(line)


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("openapi.json"))
def openapi(output: Path) -> None:
    """Write the OpenAPI 3.1 document to a file (.json or .yaml)."""
    from nexuscore.bootstrap.app import create_app

    app = create_app(_settings())
    schema = app.openapi_schema.to_schema()
    if output.suffix in (".yaml", ".yml"):
        import yaml

        output.write_text(yaml.safe_dump(schema, sort_keys=False, allow_unicode=True))
    else:
        output.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
    click.echo(f"wrote {output}")


for _package in CONTEXT_PACKAGES:
    for _command in _package.COMMANDS:
        main.add_command(_command)


if __name__ == "__main__":
    main()
