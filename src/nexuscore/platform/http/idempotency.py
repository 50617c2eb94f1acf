"""The Idempotency-Key header on every POST under /api/v1 (Stripe's semantics, IETF httpapi draft).

An ASGI middleware inside the request-context one: it validates the key, reads the body (its
digest is the request's fingerprint), names the caller, claims the key (platform.idempotency),
runs the route with the claim on the request's session, then keeps or gives up the response.
What is kept and how each repeat is answered is in docs/api.md ("Idempotency-Key").
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
from litestar.datastructures import Headers
from litestar.types import ASGIApp, HTTPRequestEvent, Message, Receive, ReceiveMessage, Scope, Send

from nexuscore.platform.database import IDEMPOTENCY_INFO_KEY
from nexuscore.platform.http.problems import PROBLEM_JSON, problem_type
from nexuscore.platform.idempotency import (
    Claim,
    InProgress,
    Mismatch,
    Proceed,
    Replay,
    Spent,
    SqlIdempotencyStore,
    StoredResponse,
)

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
API_PREFIX = "/api/v1/"
MAX_KEY_LENGTH = 255
MAX_BUFFERED_BODY = 100 * 1_048_576
# Refusals of the request itself, answered before anything could change: not kept, so the
# corrected request (or the same one, later) may use the key again.
NOT_KEPT = frozenset({400, 401, 408, 413, 415, 422, 425, 429})

# A route whose responses carry secrets (tokens) sets this in its `opt`: its response is never
# stored. A repeat is then answered as if the process had died before storing it.
RESPONSE_NOT_KEPT = "idempotency_response_not_kept"

# Names the authenticated caller of a request from its headers ("user:<id>"), or None.
CallerIdentifier = Callable[[Headers], Awaitable[str | None]]


class InvalidKey(ValueError):
    pass


def parse_key(values: list[bytes]) -> str:
    """The key: a bare value or a structured-field string ("..."), 1-255 visible ASCII characters."""
    if len(values) != 1:
        raise InvalidKey(f"Send one {HEADER} header, not {len(values)}.")
    text = values[0].decode("latin-1").strip()
    if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
        text = text[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    if not 1 <= len(text) <= MAX_KEY_LENGTH:
        raise InvalidKey(f"{HEADER} must be 1 to {MAX_KEY_LENGTH} characters long (a UUID is recommended).")
    if any(not 0x20 <= ord(ch) <= 0x7E for ch in text):
        raise InvalidKey(f"{HEADER} may hold only visible ASCII characters and spaces.")
    return text


def fingerprint(body: bytes, content_type: str | None) -> str:
    """sha256 of the body; of its canonical form (sorted keys, no spaces) when it is JSON, so a
    client that re-serialises the same object on a retry still matches."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if body and (media == "application/json" or media.endswith("+json")):
        # A malformed body is the route's to answer; its raw bytes are then the fingerprint.
        with contextlib.suppress(msgspec.DecodeError, UnicodeDecodeError, RecursionError):
            body = msgspec.json.encode(msgspec.json.decode(body), order="sorted")
    return hashlib.sha256(body).hexdigest()


def client_caller(scope: Scope) -> str:
    """An unauthenticated caller is its client address (behind trusted proxies, the one they saw)."""
    client = scope.get("client")
    host = client[0] if client else ""
    try:
        return f"client:{ipaddress.ip_address(host)}"
    except ValueError:
        return "client:unknown"


def _problem(
    status: int, code: str, title: str, detail: str, scope: Scope, headers: dict[str, str] | None = None
) -> StoredResponse:
    body: dict[str, Any] = {
        "type": problem_type(code),
        "title": title,
        "status": status,
        "instance": scope.get("path", ""),
        "detail": detail,
    }
    request_id = scope.get("state", {}).get("request_id")
    if request_id:
        body["requestId"] = request_id
    encoded = json.dumps(body).encode()
    return StoredResponse(
        status,
        [("content-type", PROBLEM_JSON), ("content-length", str(len(encoded))), *(headers or {}).items()],
        encoded,
    )


async def _send(send: Send, response: StoredResponse, *, replayed: bool = False) -> None:
    headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in response.headers]
    if replayed:
        headers.append((REPLAYED_HEADER.lower().encode(), b"true"))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body, "more_body": False})


async def _read_body(receive: Receive) -> bytes | None:
    """The whole request body, or None past MAX_BUFFERED_BODY (or when the client went away)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk: bytes = message.get("body", b"")  # type: ignore[assignment]
        size += len(chunk)
        if size > MAX_BUFFERED_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def idempotency_middleware(
    app: ASGIApp, *, store: SqlIdempotencyStore, identify_caller: CallerIdentifier | None = None
) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        keyable = str(scope["type"]) == "http" and scope.get("method") == "POST"
        if not keyable or not scope.get("path", "").startswith(API_PREFIX):
            await app(scope, receive, send)
            return
        values = [value for name, value in scope.get("headers", ()) if name == b"idempotency-key"]
        if not values:
            await app(scope, receive, send)
            return
        try:
            key = parse_key(values)
        except InvalidKey as exc:
            await _send(send, _problem(400, "invalid-idempotency-key", "Invalid Idempotency-Key", str(exc), scope))
            return
        body = await _read_body(receive)
        if body is None:
            detail = f"A request with an {HEADER} may carry at most {MAX_BUFFERED_BODY} bytes."
            await _send(send, _problem(413, "payload-too-large", "Payload Too Large", detail, scope))
            return
        headers = Headers.from_scope(scope)
        caller = (await identify_caller(headers) if identify_caller else None) or client_caller(scope)
        outcome = await store.claim(
            caller=caller,
            method="POST",
            path=scope["path"],
            key=key,
            fingerprint=fingerprint(body, headers.get("content-type")),
        )
        if isinstance(outcome, Replay):
            await _send(send, outcome.response, replayed=True)
        elif isinstance(outcome, Mismatch):
            detail = f"This {HEADER} was used with another request body; send a new key for a new request."
            await _send(send, _problem(422, "idempotency-key-reused", "Idempotency-Key Reused", detail, scope))
        elif isinstance(outcome, InProgress):
            detail = f"A request with this {HEADER} is still being processed; retry after it ends."
            retry = {"retry-after": str(outcome.retry_after_seconds)}
            await _send(send, _problem(409, "idempotency-key-in-use", "Request In Progress", detail, scope, retry))
        elif isinstance(outcome, Spent):
            detail = (
                f"The request with this {HEADER} was carried out, but the server stopped before its "
                "response was kept. It will not run again: read the resource to see the outcome."
            )
            await _send(send, _problem(409, "idempotency-key-spent", "Request Already Carried Out", detail, scope))
        elif isinstance(outcome, Proceed):
            await _run(app, scope, body, receive, send, store, outcome.claim)

    return middleware


async def _run(
    app: ASGIApp, scope: Scope, body: bytes, receive: Receive, send: Send, store: SqlIdempotencyStore, claim: Claim
) -> None:
    scope.setdefault("state", {})[IDEMPOTENCY_INFO_KEY] = claim
    body_sent = False

    async def replay_receive() -> ReceiveMessage:
        nonlocal body_sent
        if not body_sent:
            body_sent = True
            request: HTTPRequestEvent = {"type": "http.request", "body": body, "more_body": False}
            return request
        return await receive()

    # The response is held until it is kept, then sent: a client that got it can always replay it.
    messages: list[Message] = []

    async def capture(message: Message) -> None:
        messages.append(message)

    try:
        await app(scope, replay_receive, capture)
    except BaseException:
        if not claim.committed:
            await store.release(claim)
        raise
    start = next((m for m in messages if m["type"] == "http.response.start"), None)
    if start is None:
        if not claim.committed:
            await store.release(claim)
        return
    status = int(start["status"])
    handler = scope.get("route_handler")
    secret = handler is not None and bool(getattr(handler, "opt", {}).get(RESPONSE_NOT_KEPT))
    keep = status < 500 and not secret and (claim.committed or status not in NOT_KEPT)
    try:
        if keep:
            response_headers = [(n.decode("latin-1"), v.decode("latin-1")) for n, v in start.get("headers", ())]
            response_body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
            await store.store(claim, StoredResponse(status, response_headers, response_body))
        elif not claim.committed:
            await store.release(claim)
        # A 5xx (or a secret) after the commit leaves the key `committed`: repeats are told it was
        # carried out.
    except Exception:
        # The answer still goes out; a repeat is told the request was carried out (committed) or,
        # once the lease runs out, runs again (nothing was committed).
        logger.exception("could not keep the response of an idempotent request")
    for message in messages:
        await send(message)
