"""ASGI middleware: request id, access log with structured context, and security headers."""

from __future__ import annotations

import json
import logging
import random
import re
import time
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

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}
# The API serves JSON only; the schema UI needs its scripts, so it gets a looser policy.
API_CSP = "default-src 'none'; frame-ancestors 'none'"

# Pre-encoded once: added to every response without per-request work.
_SCHEMA_HEADERS = tuple((k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items())
_API_HEADERS = (*_SCHEMA_HEADERS, (b"content-security-policy", API_CSP.encode()), (b"cache-control", b"no-store"))
_HSTS = (b"strict-transport-security", b"max-age=63072000; includeSubDomains")

access_log = structlog.get_logger("nexuscore.access")
_access_logger = logging.getLogger("nexuscore.access")


def incoming_request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            candidate = value.decode("latin-1").strip()
            if _VALID_REQUEST_ID.match(candidate):
                return candidate
            break
    # A correlation id, not a secret: 128 bits from the process's PRNG (reseeded after fork)
    # cost no system call per request, as os.urandom does.
    return f"{random.getrandbits(128):032x}"


# No route takes this much in its query (the longest filters are a few hundred characters);
# the server itself refuses a request line past ~64 KB (see server.py).
MAX_QUERY_STRING_BYTES = 16 * 1024

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
ACCEPTED_MEDIA_TYPES = ("application/json", "multipart/form-data")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def accepts_media_type(scope: Scope) -> bool:
    """Bodies must be JSON, or multipart for uploads; anything else is a 415, not a parse error."""
    if scope.get("method") not in _BODY_METHODS:
        return True
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


def request_context_middleware(app: ASGIApp, *, hsts: bool = False) -> ASGIApp:
    """Accept or generate X-Request-ID, echo it, bind it to every log line, add security headers."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        request_id = incoming_request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        bound = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status_holder: dict[str, Any] = {"status": 500}
        path: str = scope.get("path", "")

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers.append((b"x-request-id", request_id.encode()))
                extra = _SCHEMA_HEADERS if path.startswith("/schema") else _API_HEADERS
                headers.extend(h for h in extra if h[0] not in present)
                if hsts and b"strict-transport-security" not in present:
                    headers.append(_HSTS)
                message["headers"] = headers
            await send(message)

        try:
            query_string: bytes = scope.get("query_string", b"")
            too_long = len(query_string) > MAX_QUERY_STRING_BYTES
            nul_parameters = [] if too_long else nul_query_parameters(query_string)
            if too_long:
                await _send_problem(
                    send_wrapper,
                    request_id,
                    414,
                    "uri-too-long",
                    "URI Too Long",
                    f"The query string is longer than {MAX_QUERY_STRING_BYTES} bytes.",
                    path,
                )
            elif nul_parameters:
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
            elif accepts_media_type(scope):
                await app(scope, receive, send_wrapper)
            else:
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
        finally:
            observe_request(
                scope.get("method", ""),
                scope.get("path_template"),
                status_holder["status"],
                time.perf_counter() - started,
            )
            # Asked first: structlog drops a line below the level only after building its event.
            if _access_logger.isEnabledFor(logging.INFO):
                access_log.info(
                    "request",
                    method=scope.get("method"),
                    path=path,
                    status=status_holder["status"],
                    duration_ms=round((time.perf_counter() - started) * 1000, 2),
                )
            REQUEST_ID.reset(bound)

    return middleware
