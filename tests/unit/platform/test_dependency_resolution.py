"""Plain route dependencies run in the request's own task; waiting ones keep Litestar's
concurrency; values, failures and generator clean-up are Litestar's."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import anyio
from litestar import Litestar, get
from litestar.di import NamedDependency, Provide
from litestar.exceptions import ValidationException
from litestar.testing import AsyncTestClient

from nexuscore.platform.http.dependencies import resolve_plain_dependencies_inline

resolve_plain_dependencies_inline()


def _task_name() -> str:
    task = asyncio.current_task()
    assert task is not None
    return str(id(task))


async def test_plain_dependencies_of_one_level_run_in_the_request_task() -> None:
    seen: dict[str, str] = {}

    def first() -> int:
        seen["first"] = _task_name()
        return 1

    def second() -> int:
        seen["second"] = _task_name()
        return 2

    async def waiting() -> int:
        seen["waiting"] = _task_name()
        await asyncio.sleep(0)
        return 3

    @get(
        "/",
        dependencies={
            "first": Provide(first, sync_to_thread=False),
            "second": Provide(second, sync_to_thread=False),
            "waiting": Provide(waiting),
        },
    )
    async def handler(
        first: NamedDependency[int], second: NamedDependency[int], waiting: NamedDependency[int]
    ) -> dict[str, Any]:
        seen["handler"] = _task_name()
        return {"sum": first + second + waiting}

    async with AsyncTestClient(Litestar([handler], openapi_config=None)) as client:
        response = await client.get("/")
    assert response.json() == {"sum": 6}
    assert seen["first"] == seen["second"] == seen["waiting"] == seen["handler"]


async def test_two_waiting_dependencies_of_one_level_still_run_concurrently() -> None:
    left_started, right_started = anyio.Event(), anyio.Event()

    async def left() -> str:
        left_started.set()
        await right_started.wait()  # completes only if `right` runs meanwhile
        return "l"

    async def right() -> str:
        right_started.set()
        await left_started.wait()
        return "r"

    @get("/", dependencies={"left": Provide(left), "right": Provide(right)})
    async def handler(left: NamedDependency[str], right: NamedDependency[str]) -> str:
        return left + right

    async with AsyncTestClient(Litestar([handler], openapi_config=None)) as client:
        with anyio.fail_after(10):  # a deadlock guard, not a timing assertion
            response = await client.get("/")
    assert response.text == "lr"


async def test_failures_and_generator_clean_up_are_litestars() -> None:
    cleaned: list[str] = []

    def session() -> Iterator[str]:
        yield "session"
        cleaned.append("session")

    def bad_filter() -> str:
        raise ValidationException("bad filter")

    async def principal(session: NamedDependency[str]) -> str:
        return f"user on {session}"

    @get("/ok", dependencies={"session": Provide(session), "principal": Provide(principal)})
    async def ok(session: NamedDependency[str], principal: NamedDependency[str]) -> str:
        return principal

    @get(
        "/bad",
        dependencies={
            "session": Provide(session),
            "bad_filter": Provide(bad_filter, sync_to_thread=False),
            "principal": Provide(principal),
        },
    )
    async def bad(bad_filter: NamedDependency[str], principal: NamedDependency[str]) -> str:
        return bad_filter

    async with AsyncTestClient(Litestar([ok, bad], openapi_config=None)) as client:
        assert (await client.get("/ok")).text == "user on session"
        assert cleaned == ["session"]
        refused = await client.get("/bad")
    assert refused.status_code == 400 and "bad filter" in refused.text  # the failure itself, not a group
