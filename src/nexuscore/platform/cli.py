"""`nexuscore` command line: serve, worker, scheduler, migrate, makemigrations, seed, openapi."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import click

from nexuscore.kernel.errors import DomainError
from nexuscore.platform.settings import Settings, SettingsError, load_settings


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        # A bad value stops start-up with a message naming the variable.
        click.echo(f"configuration error: {exc}", err=True)
        sys.exit(2)


@click.group()
def main() -> None:
    """NexusCore: multi-tenant B2B SaaS backend."""


@main.command()
@click.option("--host", default=None, help="Bind address (default: HOST or 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default: PORT or 8000).")
@click.option("--workers", type=int, default=1, show_default=True, help="Worker processes.")
@click.option("--reload", is_flag=True, help="Restart on code changes (development).")
def serve(host: str | None, port: int | None, workers: int, reload: bool) -> None:
    """Run the HTTP API."""
    import uvicorn

    settings = _settings()
    uvicorn.run(
        "nexuscore.platform.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=None if reload else workers,
        reload=reload,
        reload_dirs=["src"] if reload else None,
        proxy_headers=True,
        server_header=False,
        log_config=None,  # structlog is configured by the app
    )


@main.command()
def worker() -> None:
    """Run a taskiq worker: outbox relay and task consumers (needs REDIS_URL)."""
    from nexuscore.platform.processes import run_worker

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
    from nexuscore.platform.processes import run_scheduler

    settings = _settings()
    if not settings.uses_redis:
        click.echo("REDIS_URL is not set: the scheduler needs the Redis broker.", err=True)
        sys.exit(2)
    asyncio.run(run_scheduler(settings))


@main.command()
def migrate() -> None:
    """Upgrade the database to the latest migration (alembic upgrade head)."""
    from nexuscore.platform.migrations import upgrade_head
    from nexuscore.platform.runtime import ensure_sqlite_dir

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
    from nexuscore.platform.seed import run_seeders

    for line in asyncio.run(run_seeders(_settings())):
        click.echo(line)


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("openapi.json"))
def openapi(output: Path) -> None:
    """Write the OpenAPI 3.1 document to a file (.json or .yaml)."""
    from nexuscore.platform.app import create_app

    app = create_app(_settings())
    schema = app.openapi_schema.to_schema()
    if output.suffix in (".yaml", ".yml"):
        import yaml

        output.write_text(yaml.safe_dump(schema, sort_keys=False, allow_unicode=True))
    else:
        output.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
    click.echo(f"wrote {output}")


@main.group()
def users() -> None:
    """Manage user accounts."""


@users.command("create-staff")
@click.argument("email")
@click.option("--name", "full_name", default=None, help="Full name for a new account.")
@click.option(
    "--password",
    default=None,
    envvar="NEXUSCORE_STAFF_PASSWORD",
    help="Password for a new account (default: generated and printed once).",
)
def create_staff_command(email: str, full_name: str | None, password: str | None) -> None:
    """Grant platform-operator rights (isStaff) to EMAIL, creating a verified account if needed."""
    from nexuscore.platform.staff import grant_staff

    settings = _settings()
    try:
        line = asyncio.run(grant_staff(settings, email=email, password=password, full_name=full_name))
    except DomainError as exc:
        details = "; ".join(f"{e.field} {e.message}" for e in getattr(exc, "errors", ()))
        click.echo(f"error: {exc.message}{' (' + details + ')' if details else ''}", err=True)
        sys.exit(1)
    click.echo(line)


if __name__ == "__main__":
    main()
