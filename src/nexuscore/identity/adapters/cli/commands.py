"""`nexuscore users ...`: identity's commands on the command line."""

from __future__ import annotations

import sys

import click

from nexuscore.identity.adapters.sql.repositories import SqlIdentityUnitOfWork
from nexuscore.identity.application.services import IdentityServices
from nexuscore.identity.application.staff import create_staff
from nexuscore.kernel.errors import DomainError
from nexuscore.platform.modules import ContextModule, Infrastructure, command_runner

SERVICES_STATE_KEY = "identity_services"


@click.group()
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

    async def grant(infra: Infrastructure, module: ContextModule) -> str:
        services: IdentityServices = module.state[SERVICES_STATE_KEY]
        async with infra.sessions() as session:
            user, generated = await create_staff(
                SqlIdentityUnitOfWork(session, infra.clock),
                services,
                email=email,
                password=password,
                full_name=full_name,
            )
        line = f"{user.email} ({user.id}) is staff"
        if generated:
            line += f"; generated password (shown once): {generated}"
        return line

    try:
        line = command_runner().run("identity", grant)
    except DomainError as exc:
        details = "; ".join(f"{e.field} {e.message}" for e in getattr(exc, "errors", ()))
        click.echo(f"error: {exc.message}{' (' + details + ')' if details else ''}", err=True)
        sys.exit(1)
    click.echo(line)
