"""Route dependencies that wait on nothing are resolved in the request's own task.

Litestar resolves the dependencies of one level of a route's graph concurrently: when a level
holds more than one, it starts an anyio task group and a task for each, even for a provider that
is a plain function (most of ours: the request's session, services, units of work, parsed
filters). Half the routes have such a level; `GET /orgs/{id}/leads` has two: six tasks and six
more event-loop turns per request, about 800 of its 4,800 Python calls
(`bench/leads.py --cost-only`). Concurrency can only help a provider that waits, so here the ones
that cannot wait run first, in order, in the request's task, and a level's waiting providers
(async, or sync run in a worker thread) keep Litestar's task group when there are two or more.
The values, the order of levels and the clean-up of generator providers are Litestar's own.

This replaces one method of a Litestar internal (`KwargsModel.resolve_dependencies`, Litestar
2.x): if the module moves, importing this one fails at start-up; if the method is renamed,
tests/unit/platform/test_dependency_resolution.py fails.
"""

from __future__ import annotations

from typing import Any

from anyio import create_task_group
from litestar._kwargs.cleanup import DependencyCleanupGroup
from litestar._kwargs.dependencies import DependencyContainer, resolve_dependency
from litestar._kwargs.kwargs_model import KwargsModel
from litestar.connection import ASGIConnection


def _waits(dependency: DependencyContainer) -> bool:
    return not dependency.provide.has_sync_callable  # async, or sync in a worker thread


async def _resolve_dependencies(
    self: KwargsModel, connection: ASGIConnection[Any, Any, Any, Any], kwargs: dict[str, Any]
) -> DependencyCleanupGroup:
    cleanup_group = DependencyCleanupGroup()
    for batch in self.dependency_batches:
        waiting = []
        for dependency in batch:
            if _waits(dependency):
                waiting.append(dependency)
            else:
                await resolve_dependency(dependency, connection, kwargs, cleanup_group)
        if len(waiting) == 1:
            await resolve_dependency(waiting[0], connection, kwargs, cleanup_group)
        elif waiting:
            try:
                async with create_task_group() as task_group:
                    for dependency in waiting:
                        task_group.start_soon(resolve_dependency, dependency, connection, kwargs, cleanup_group)
            except BaseExceptionGroup as group:  # what Litestar raises: the first failure
                raise group.exceptions[0] from group
    return cleanup_group


def resolve_plain_dependencies_inline() -> None:
    """Install the resolution above for every Litestar app in this process (idempotent)."""
    KwargsModel.resolve_dependencies = _resolve_dependencies  # type: ignore[method-assign]
