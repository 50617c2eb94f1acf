"""Input no route can store or parse is refused up front, once for every route.

- A JSON body that is not UTF-8, or nested deeper than the decoder goes, is a 400
  `malformed-request` (msgspec raises UnicodeDecodeError / RecursionError for these, which
  Litestar would turn into a 500).
- A multipart part that is not text in its declared charset is a 400 `malformed-request`.
- A body in another media type than the route's (JSON to the upload, a form to a JSON route)
  is a 415 naming the one it takes (`accepts`).
- A NUL character in any text input (body string, form field, query parameter) is a 422
  naming the field: PostgreSQL text cannot hold it, so it would fail at the database.

`screen_request_body` runs as the `before_request` hook of every route that takes a body
(`screen_bodies`): it decodes the body the route declares (Litestar caches the result, so the
route does not decode it twice). Litestar runs only the nearest `before_request`, so a router,
controller or route that sets its own keeps it and must call this one first. The query string
is screened by the request-context middleware (`nul_query_parameters`), for every route.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from litestar import Litestar, Request, Response
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.exceptions import SerializationException
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute
from litestar.utils.sync import ensure_async_callable

from nexuscore.platform.http.problems import problem_response

NUL = "\x00"
NUL_MESSAGE = "must not contain the NUL character (U+0000)"
_FORM_TYPES = frozenset({RequestEncodingType.MULTI_PART.value, RequestEncodingType.URL_ENCODED.value})


def nul_fields(value: Any) -> list[str]:
    """The paths (`fullName`, `tags[2]`, `address.street`) of every string holding a NUL,
    keys included. Iterative: the decoder's nesting limit is deeper than Python's stack."""
    found: list[str] = []
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                found.append(path or "body")
        elif isinstance(item, dict):
            for key, child in item.items():
                name = str(key)
                if NUL in name:
                    found.append(f"{path}.{name!r}" if path else repr(name))
                stack.append((f"{path}.{name}" if path else name, child))
        elif isinstance(item, list):
            stack.extend((f"{path}[{i}]", child) for i, child in enumerate(item))
    return sorted(found)


def nul_query_parameters(query_string: bytes) -> list[str]:
    """The names of the query parameters whose name or value holds a NUL (sent as %00)."""
    if b"%00" not in query_string and b"\x00" not in query_string:
        return []
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True, errors="replace")
    return sorted({name.replace(NUL, "") or "query" for name, value in pairs if NUL in name or NUL in value})


def nul_errors(fields: list[str], source: str) -> list[dict[str, str]]:
    return [{"field": field, "message": NUL_MESSAGE, "source": source} for field in fields]


def _declared_body(request: Request[Any, Any, Any]) -> str | None:
    """The media type of the body the route takes, or None when it takes none."""
    handler = request.route_handler
    field = handler.parsed_fn_signature.parameters.get("data")
    if field is None:
        return None
    media_type = getattr(field.kwarg_definition, "media_type", None)
    return str(media_type.value if media_type is not None else RequestEncodingType.JSON.value)


def _malformed(request: Request[Any, Any, Any], detail: str) -> Response[dict[str, Any]]:
    return problem_response(request, status=400, code="malformed-request", title="Malformed Request", detail=detail)


def _nul_refused(request: Request[Any, Any, Any], fields: list[str]) -> Response[dict[str, Any]]:
    return problem_response(
        request,
        status=422,
        code="validation-error",
        title="Validation Failed",
        detail="The request has invalid fields.",
        extra={"errors": nul_errors(fields, "body")},
    )


def _is(media: str, declared: str) -> bool:
    if declared == RequestEncodingType.JSON.value:
        return media == declared or media.endswith("+json")
    return media == declared


def unsupported_media_type(request: Request[Any, Any, Any], accepts: str) -> Response[dict[str, Any]]:
    return problem_response(
        request,
        status=415,
        code="unsupported-media-type",
        title="Unsupported Media Type",
        detail=f"This operation takes its body as {accepts}.",
        extra={"accepts": [accepts]},
    )


async def screen_request_body(request: Request[Any, Any, Any]) -> Response[dict[str, Any]] | None:
    """Decode the declared body once, refusing what the route could not take (see module doc)."""
    declared = _declared_body(request)
    if declared is None:
        return None
    sent = request.headers.get("content-type")
    if sent is not None and not _is(sent.split(";", 1)[0].strip().lower(), declared):
        return unsupported_media_type(request, declared)
    if declared in _FORM_TYPES:
        try:
            form = await request.form()
        except (UnicodeDecodeError, LookupError):
            return _malformed(request, "A form field is not text in its declared charset (send UTF-8).")
        fields = sorted({name for name, value in form.multi_items() if isinstance(value, str) and NUL in value})
        if not fields:
            return None
        for _, value in form.multi_items():
            if isinstance(value, UploadFile):
                await value.close()  # the route that would have closed it does not run
        return _nul_refused(request, fields)
    if not await request.body():
        return None
    try:
        data = await request.json()
    except SerializationException:
        return None  # the route's own decoding answers it (400 malformed-request, with the reason)
    except UnicodeDecodeError:
        return _malformed(request, "The request body is not valid JSON: a string is not valid UTF-8.")
    except RecursionError:
        return _malformed(request, "The request body is not valid JSON: it is nested too deeply.")
    fields = nul_fields(data)
    return _nul_refused(request, fields) if fields else None


def screen_bodies(app: Litestar) -> None:
    """Attach `screen_request_body` to each route that takes a body, as its before-request hook.

    Set on the app instead, Litestar would call it for every request (3,400 CPU instructions on a
    `GET /health/live`) only for it to find no body declared. Call after the app is built and
    before it serves: Litestar resolves a handler's hook at its first request. A route under a
    hook of its own (on it, its controller or router) keeps that one. Routes registered later
    (`app.register`) need another call; a route already screened is left as it is.
    """
    hook = ensure_async_callable(screen_request_body)
    for route in app.routes:
        for handler in route.route_handlers if isinstance(route, HTTPRoute) else ():
            if (
                isinstance(handler, HTTPRouteHandler)
                and "data" in handler.parsed_fn_signature.parameters
                and not any(layer.before_request for layer in handler.ownership_layers)
            ):
                handler.before_request = hook
