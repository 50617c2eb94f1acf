"""What a bounded context hands the composition root, and what it is handed to build it.

Each context's `module.py` has `def build(infra: Infrastructure) -> ContextModule`; the
composition root (`nexuscore.bootstrap`) holds the list of those functions and knows nothing
else of a context. This module names no context.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import click
from litestar.datastructures import Headers
from litestar.di import Provide
from litestar.openapi.spec import Tag
from litestar.types import ControllerRouterHandler
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from stripe import StripeClient
from taskiq import AsyncBroker

from nexuscore.kernel.clock import Clock
from nexuscore.kernel.events import Subscriber
from nexuscore.kernel.mail import Mailer
from nexuscore.kernel.personal_data import PersonalDataProvider
from nexuscore.platform.http.problem_docs import ProblemDoc
from nexuscore.platform.settings import Settings


@dataclass(frozen=True)
class Infrastructure:
    """The shared, process-wide resources every context builds its adapters on."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    broker: AsyncBroker
    clock: Clock
    mailer: Mailer
    redis: Redis | None
    # The process's one Stripe client (`platform.stripe_client`); None without STRIPE_SECRET_KEY.
    stripe: StripeClient | None


# A seeder creates what is missing (idempotently) and returns a line saying what it did.
Seeder = Callable[[], Awaitable[str]]


@dataclass(frozen=True)
class ContextModule:
    """Everything one context plugs in. Empty by default: a context fills what it has.

    - `openapi_tags`: the tags its operations use, with their descriptions.
    - `route_handlers`: its controllers (mounted under the app, paths are their own).
    - `dependencies`: app-level Litestar dependencies its routes (or other contexts' routes,
      such as `principal` and `tenant`) declare by name.
    - `state`: values put on `app.state` (read by its own HTTP dependencies).
    - `register_tasks`: registers its taskiq tasks and schedules on the broker.
    - `subscribers`: its reactions to domain events (run by the events context's dispatcher).
    - `seeders`: demo data for `nexuscore seed`.
    - `on_startup` / `on_shutdown`: per-process start and release of what it owns.
    - `tables`: the modules that declare its tables (imported, so the shared metadata is
      complete for migrations and the drift test).
    - `identify_caller`: names the authenticated caller of a request from its headers
      (`"user:<id>"`), for what the platform scopes per caller (idempotency keys). One module
      (the one that authenticates) provides it.
    - `dependency_problems`: the problems a route using one of its dependencies may answer
      (`{"tenant": (FORBIDDEN, NOT_FOUND)}`), added to every such route's OpenAPI responses
      (`platform.http.problem_docs`), whichever context the route belongs to.
    - `openapi_closed_sets`: enums known only once every context is loaded, by
      "Schema.property" or "operationId.parameter" (`platform.http.openapi.refine_document`).
    """

    name: str
    openapi_tags: Sequence[Tag] = ()
    route_handlers: Sequence[ControllerRouterHandler] = ()
    dependencies: Mapping[str, Provide] = field(default_factory=dict)
    state: Mapping[str, Any] = field(default_factory=dict)
    register_tasks: Callable[[AsyncBroker], None] | None = None
    subscribers: Sequence[Subscriber] = ()
    seeders: Sequence[Seeder] = ()
    on_startup: Sequence[Callable[[], Awaitable[None]]] = ()
    on_shutdown: Sequence[Callable[[], Awaitable[None] | None]] = ()
    tables: Sequence[object] = ()
    identify_caller: Callable[[Headers], Awaitable[str | None]] | None = None
    dependency_problems: Mapping[str, Sequence[ProblemDoc]] = field(default_factory=dict)
    openapi_closed_sets: Mapping[str, Callable[[], Sequence[str]]] = field(default_factory=dict)
    personal_data_providers: Sequence[PersonalDataProvider] = ()


_T = TypeVar("_T")


class ContextPackage(Protocol):
    """A context's `module.py` as the composition root sees it."""

    def build(self, infra: Infrastructure) -> ContextModule: ...

    # Commands added to the `nexuscore` CLI. They exist before any infrastructure does (so
    # `--help` needs no configuration) and get the built module through `CommandRunner`.
    COMMANDS: Sequence[click.Command]


class CommandRunner(Protocol):
    """The CLI's `ctx.obj`: builds the runtime, runs one piece of work with the named module
    and the infrastructure, and releases everything again."""

    def run(self, module: str, work: Callable[[Infrastructure, ContextModule], Awaitable[_T]]) -> _T: ...


def command_runner() -> CommandRunner:
    runner: CommandRunner = click.get_current_context().find_root().obj
    return runner
