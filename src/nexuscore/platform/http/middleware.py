"""ASGI middleware: request id, access log with structured context, and security headers."""

from __future__ import annotations

import json
import logging
import random
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from litestar.enums import ScopeType
from litestar.types import ASGIApp, HTTPResponseBodyEvent, HTTPResponseStartEvent, Message, Receive, Scope, Send

from nexuscore.platform.http.problems import PROBLEM_JSON, problem_type
from nexuscore.platform.http.screening import nul_errors, nul_query_parameters
from nexuscore.platform.logging import REQUEST_ID
from nexuscore.platform.metrics import observe_request

REQUEST_ID_HEADER = "x-request-id"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")

# On every response. These are the headers OWASP's REST Security Cheat Sheet asks of an API:
# a JSON body must not be sniffed into a document, framed, or cached on the way.
API_CSP = "default-src 'none'; frame-ancestors 'none'"
_API_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", API_CSP.encode()),
    (b"cache-control", b"no-store"),
)
# Only where a browser renders a document (the schema UI, HTML pages): these govern what a page
# may do (referrers it leaks, windows it shares, devices it asks for); a JSON body is no page.
DOCUMENT_HEADERS = {
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}
_DOCUMENT_HEADERS = tuple((k.encode(), v.encode()) for k, v in DOCUMENT_HEADERS.items())
# The schema UI runs its own scripts and styles, so it keeps its own policy and caching.
_SCHEMA_HEADERS = (*_API_HEADERS[:2], *_DOCUMENT_HEADERS)
_HTML_HEADERS = (*_API_HEADERS, *_DOCUMENT_HEADERS)
_HSTS = (b"strict-transport-security", b"max-age=63072000; includeSubDomains")
_ADDED_NAMES = frozenset(name for name, _ in (*_HTML_HEADERS, _HSTS))

access_log = structlog.get_logger("nexuscore.access")
_access_logger = logging.getLogger("nexuscore.access")


def request_id_for(given: bytes) -> str:
    """The caller's X-Request-ID when it is a sane token, else a new one."""
    candidate = given.decode("latin-1").strip()
    return candidate if _VALID_REQUEST_ID.match(candidate) else _new_request_id()


def _new_request_id() -> str:
    # A correlation id, not a secret: 128 bits from the process's PRNG (reseeded after fork)
    # cost no system call per request, as os.urandom does.
    return random.getrandbits(128).to_bytes(16, "big").hex()


# No route takes this much in its query (the longest filters are a few hundred characters);
# the server itself refuses a request line past ~64 KB (see server.py).
MAX_QUERY_STRING_BYTES = 16 * 1024

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
# The request headers the layers inside `plain_app`'s wrapping act on (see the middleware).
_LAYERED_REQUEST_HEADERS = frozenset({b"origin", b"idempotency-key"})
ACCEPTED_MEDIA_TYPES = ("application/json", "multipart/form-data")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def accepts_media_type(scope: Scope) -> bool:
    """Bodies must be JSON, or multipart for uploads; anything else is a 415, not a parse error."""
    content_type = _header(scope, b"content-type")
    if content_type is None:
        length = _header(scope, b"content-length")
        return _header(scope, b"transfer-encoding") is None and (length is None or length.strip() == "0")
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json") or media == "multipart/form-data"


async def _send_problem(
    send: Send,
    request_id: str,
    status: int,
    code: str,
    title: str,
    detail: str,
    path: str,
    extra: dict[str, Any] | None = None,
) -> None:
    body = json.dumps(
        {
            "type": problem_type(code),
            "title": title,
            "status": status,
            "instance": path,
            "detail": detail,
            "requestId": request_id,
            **(extra or {}),
        }
    ).encode()
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode())],
    }
    await send(start)
    end: HTTPResponseBodyEvent = {"type": "http.response.body", "body": body, "more_body": False}
    await send(end)


# Returns what to await to close the request's session, or None when there is none to close.
SessionCloser = Callable[[Message, Scope], Awaitable[None] | None]
# What tells a session closer the request is over when no response started (the app raised).
_ENDED_WITHOUT_RESPONSE: Message = {"type": "http.disconnect"}
_WEBSOCKET_CLOSED: Message = {"type": "websocket.close", "code": 1000, "reason": ""}


def _no_session(message: Message, scope: Scope) -> None:
    return None


def request_context_middleware(
    app: ASGIApp,
    *,
    hsts: bool = False,
    plain_app: ASGIApp | None = None,
    close_session: SessionCloser = _no_session,
) -> ASGIApp:
    """Accept or generate X-Request-ID, echo it, bind it to every log line, add security headers.

    `plain_app` is `app` without the layers that act only on requests carrying an Origin or an
    Idempotency-Key header (CORS, idempotency keys): a request with neither goes straight to it,
    found in the same scan of the request's headers that looks for its X-Request-ID.

    `close_session` closes the request's database session (advanced-alchemy's before-send
    handler, through `SessionClosedByRequestContext.closing`), called here as the response starts
    instead of by Litestar's before-send hook, which wraps every message of every request in two
    more calls; and once more if the app ended without a response, so no session outlives its
    request.
    """
    plain = plain_app or app
    api_headers, html_headers, schema_headers = (
        (*extra, _HSTS) if hsts else extra for extra in (_API_HEADERS, _HTML_HEADERS, _SCHEMA_HEADERS)
    )

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            try:
                await app(scope, receive, send)
            finally:
                if (closing := close_session(_WEBSOCKET_CLOSED, scope)) is not None:
                    await closing
            return
        given_id: bytes | None = None
        layered = False
        for name, value in scope["headers"]:  # ASGI servers send header names lower-cased
            if name == b"x-request-id":
                given_id = value if given_id is None else given_id
            elif name in _LAYERED_REQUEST_HEADERS:
                layered = True
        request_id = _new_request_id() if given_id is None else request_id_for(given_id)
        scope.setdefault("state", {})["request_id"] = request_id
        bound = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = 0  # no response yet
        path: str = scope["path"]

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                if (closing := close_session(message, scope)) is not None:
                    await closing
                headers = list(message.get("headers", ()))
                html = clash = False
                for name, value in headers:  # lower-cased, as ASGI requires of an app
                    if name in _ADDED_NAMES:
                        clash = True
                    elif name == b"content-type":
                        html = value.lower().startswith(b"text/html")
                extra = schema_headers if path.startswith("/schema") else html_headers if html else api_headers
                if clash:  # the route chose its own value (a page's CSP): it stands
                    present = {name for name, _ in headers}
                    extra = tuple(header for header in extra if header[0] not in present)
                headers.append((b"x-request-id", request_id.encode()))
                headers.extend(extra)
                message["headers"] = headers
            await send(message)

        try:
            query_string: bytes = scope["query_string"]
            if query_string and len(query_string) > MAX_QUERY_STRING_BYTES:
                await _send_problem(
                    send_wrapper,
                    request_id,
                    414,
                    "uri-too-long",
                    "URI Too Long",
                    f"The query string is longer than {MAX_QUERY_STRING_BYTES} bytes.",
                    path,
                )
            elif query_string and (nul_parameters := nul_query_parameters(query_string)):
                # PostgreSQL text cannot hold NUL: refused here, for every route, before any query.
                await _send_problem(
                    send_wrapper,
                    request_id,
                    422,
                    "validation-error",
                    "Validation Failed",
                    "The request has invalid fields.",
                    path,
                    {"errors": nul_errors(nul_parameters, "query")},
                )
            elif scope["method"] in _BODY_METHODS and not accepts_media_type(scope):
                await _send_problem(
                    send_wrapper,
                    request_id,
                    415,
                    "unsupported-media-type",
                    "Unsupported Media Type",
                    "Send the request body as application/json (multipart/form-data where an operation takes a file).",
                    path,
                    {"accepts": list(ACCEPTED_MEDIA_TYPES)},
                )
            else:
                await (app if layered else plain)(scope, receive, send_wrapper)
        finally:
            if status == 0:  # the app raised before it answered: uvicorn answers 500
                status = 500
                if (closing := close_session(_ENDED_WITHOUT_RESPONSE, scope)) is not None:
                    await closing
            observe_request(scope["method"], scope.get("path_template"), status, time.perf_counter() - started)
            # Asked first: structlog drops a line below the level only after building its event.
            if _access_logger.isEnabledFor(logging.INFO):
                access_log.info(
                    "request",
                    method=scope["method"],
                    path=path,
                    status=status,
                    duration_ms=round((time.perf_counter() - started) * 1000, 2),
                )
            REQUEST_ID.reset(bound)

    return middleware
