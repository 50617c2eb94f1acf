"""The request-context middleware closes the request's database session: once, as the response
starts (before the server sees it), or when the app ends without answering."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.types import Message, Receive, Scope, Send

from nexuscore.platform.http.middleware import request_context_middleware


def _scope() -> Scope:
    return {  # type: ignore[return-value]
        "type": "http",
        "method": "GET",
        "path": "/x",
        "query_string": b"",
        "headers": [(b"host", b"test")],
    }


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []

    async def close_session(self, message: Message, scope: Scope) -> None:
        self.events.append(("closed", message["type"]))

    async def send(self, message: Message) -> None:
        self.events.append(("sent", message["type"]))


async def _receive() -> Message:
    return {"type": "http.disconnect"}


async def test_the_session_closes_once_as_the_response_starts() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": b"{}", "more_body": False})

    recorder = Recorder()
    await request_context_middleware(app, close_session=recorder.close_session)(_scope(), _receive, recorder.send)
    assert recorder.events == [
        ("closed", "http.response.start"),
        ("sent", "http.response.start"),
        ("sent", "http.response.body"),
    ]


async def test_an_app_that_raises_before_answering_still_closes_its_session() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        raise RuntimeError("boom")

    recorder = Recorder()
    with pytest.raises(RuntimeError):
        await request_context_middleware(app, close_session=recorder.close_session)(_scope(), _receive, recorder.send)
    assert recorder.events == [("closed", "http.disconnect")]
