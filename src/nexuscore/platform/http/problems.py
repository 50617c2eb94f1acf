"""Every error becomes an RFC 9457 `application/problem+json` response with a stable `type`."""

from __future__ import annotations

import errno
import logging
import re
import socket
from typing import Any, get_type_hints

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotFoundException,
    SerializationException,
    ValidationException,
)
from litestar.params import KwargDefinition
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from nexuscore.kernel import errors as domain

logger = logging.getLogger("nexuscore.errors")

PROBLEM_JSON = "application/problem+json"


def camel(name: str) -> str:
    """`score_min` -> `scoreMin`: how the API spells every name."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


TYPE_BASE = "https://nexuscore.sg/problems/"

# Stable problem types by HTTP status, for errors raised by the framework itself.
_STATUS_TYPES = {
    400: ("bad-request", "Bad Request"),
    401: ("authentication-required", "Authentication Required"),
    403: ("permission-denied", "Forbidden"),
    404: ("not-found", "Not Found"),
    405: ("method-not-allowed", "Method Not Allowed"),
    406: ("not-acceptable", "Not Acceptable"),
    409: ("conflict", "Conflict"),
    413: ("payload-too-large", "Payload Too Large"),
    414: ("uri-too-long", "URI Too Long"),
    415: ("unsupported-media-type", "Unsupported Media Type"),
    422: ("validation-error", "Validation Failed"),
    429: ("rate-limited", "Too Many Requests"),
    500: ("internal-error", "Internal Server Error"),
    503: ("service-unavailable", "Service Unavailable"),
}

# Domain errors: (status, title). The type is the error's own stable code.
_DOMAIN_STATUS: dict[type[domain.DomainError], tuple[int, str]] = {
    domain.NotFound: (404, "Not Found"),
    domain.Conflict: (409, "Conflict"),
    domain.PermissionDenied: (403, "Forbidden"),
    domain.AuthenticationRequired: (401, "Authentication Required"),
    domain.ValidationError: (422, "Validation Failed"),
    domain.BusinessRuleViolation: (409, "Business Rule Violation"),
    domain.RateLimited: (429, "Too Many Requests"),
    domain.QuotaExceeded: (402, "Quota Exceeded"),
    domain.DependencyUnavailable: (503, "Service Unavailable"),
}


def problem_type(code: str) -> str:
    return TYPE_BASE + code


def problem_response(
    request: Request[Any, Any, Any],
    *,
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {
        "type": problem_type(code),
        "title": title,
        "status": status,
        "instance": request.url.path,
    }
    if detail:
        body["detail"] = detail
    request_id = request.scope.get("state", {}).get("request_id")
    if request_id:
        body["requestId"] = request_id
    if extra:
        body.update(extra)
    return Response(content=body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _domain_status(exc: domain.DomainError) -> tuple[int, str]:
    for cls in type(exc).__mro__:
        if cls in _DOMAIN_STATUS:
            return _DOMAIN_STATUS[cls]
    return 400, "Bad Request"


def domain_error_handler(request: Request[Any, Any, Any], exc: domain.DomainError) -> Response[dict[str, Any]]:
    status, title = _domain_status(exc)
    extra: dict[str, Any] = dict(exc.extra)
    headers = None
    if isinstance(exc, domain.ValidationError) and exc.errors:
        extra["errors"] = [{"field": e.field, "message": e.message} for e in exc.errors]
    if isinstance(exc, domain.RateLimited):
        headers = {"Retry-After": str(exc.retry_after_seconds)}
    elif "retryAfter" in exc.extra:
        headers = {"Retry-After": str(exc.extra["retryAfter"])}
    elif isinstance(exc, domain.AuthenticationRequired):
        headers = {"WWW-Authenticate": 'Bearer realm="nexuscore"'}
    return problem_response(
        request, status=status, code=exc.code, title=title, detail=exc.message, extra=extra, headers=headers
    )


_UNKNOWN_FIELD = re.compile(r"unknown field `([^`]+)`")
_MISSING_FIELD = re.compile(r"missing required field `([^`]+)`")
_SOURCES = {
    "ParamType.QUERY": "query",
    "ParamType.PATH": "path",
    "ParamType.HEADER": "header",
    "ParamType.COOKIE": "cookie",
}


def _alias(kwarg: Any) -> str | None:
    # `Parameter(query=...)` and `QueryParameter(name=...)` keep the alias in different places.
    names = ("query", "header", "cookie", "name")
    alias = next((getattr(kwarg, n) for n in names if isinstance(getattr(kwarg, n, None), str)), None)
    return alias or None


def _dependency_alias(request: Request[Any, Any, Any], name: str) -> str | None:
    """The alias of a parameter a dependency declares (the lead filters' `created_from`)."""
    for provide in request.route_handler.resolve_dependencies().values():
        try:
            hints = get_type_hints(provide.dependency, include_extras=True)
        except (NameError, TypeError):  # an annotation that does not resolve names no parameter of ours
            hints = {}
        for meta in getattr(hints.get(name), "__metadata__", ()):
            if isinstance(meta, KwargDefinition) and (alias := _alias(meta)):
                return alias
    return None


def _public_parameter_name(request: Request[Any, Any, Any], name: str) -> str:
    """The name the client sent (`scoreMin`), not the Python name (`score_min`) of the handler or
    of the dependency that declares it; camelCase, as the document spells every parameter, when
    neither gives an alias."""
    try:
        alias = _alias(request.route_handler.parsed_fn_signature.parameters[name].kwarg_definition)
    except (AttributeError, KeyError):
        alias = None
    return alias or _dependency_alias(request, name) or camel(name)


def _field_errors(request: Request[Any, Any, Any], extra: Any) -> list[dict[str, str]]:
    """Litestar's validation details -> [{field, message, source}], naming the offending field
    as the client spells it (body paths in camelCase, query parameters by their alias)."""
    errors = []
    for item in extra if isinstance(extra, list) else []:
        if not isinstance(item, dict):
            continue
        message = str(item.get("message", "invalid"))
        field = str(item.get("key") or "body")
        source = _SOURCES.get(str(item.get("source", "body")), str(item.get("source", "body")))
        named = _UNKNOWN_FIELD.search(message) or _MISSING_FIELD.search(message)
        if named:
            # msgspec reports unknown and missing fields against the object holding them.
            field = named.group(1) if field in ("data", "body") else f"{field}.{named.group(1)}"
        elif field == "data":
            field = "body"
        elif source != "body":
            field = _public_parameter_name(request, field)
        errors.append({"field": field, "message": message, "source": source})
    return errors


def http_exception_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    status = exc.status_code
    code, title = _STATUS_TYPES.get(status, ("http-error", "Error"))
    detail = exc.detail
    extra: dict[str, Any] = {}
    headers = dict(exc.headers or {})
    errors = _field_errors(request, exc.extra) if isinstance(exc, ValidationException) else []
    if isinstance(exc.__cause__, SerializationException):
        # The body could not be decoded at all (bad JSON, truncated, bad UTF-8).
        code, title = "malformed-request", "Malformed Request"
        detail = f"The request body is not valid JSON: {detail}"
    elif errors:
        status, code, title = 422, "validation-error", "Validation Failed"
        detail = "The request has invalid fields."
        extra["errors"] = errors
    elif isinstance(exc, MethodNotAllowedException):
        detail = f"{request.method} is not allowed on this resource."
    elif isinstance(exc, NotFoundException) and "not found" in str(detail).lower():
        detail = "No resource at this address."
    return problem_response(request, status=status, code=code, title=title, detail=detail, extra=extra, headers=headers)


# Seconds a client is told to wait while a backing service is down (a restart takes about this).
DEPENDENCY_RETRY_AFTER = 5
# SQLSTATEs that mean "the database cannot serve you now", not "your SQL is wrong": class 08
# (connection exception), admin/crash shutdown, starting up or shutting down, too many connections.
_OUTAGE_SQLSTATES = frozenset({"57P01", "57P02", "57P03", "53300"})
# OS errors of the network (a file error is a bug or a full disk, not a service outage).
_NETWORK_ERRORS = (ConnectionError, TimeoutError, socket.gaierror, RedisConnectionError, RedisTimeoutError)
_NETWORK_ERRNOS = frozenset({errno.EHOSTUNREACH, errno.ENETUNREACH, errno.ENETDOWN, errno.ETIMEDOUT})


def dependency_outage(exc: BaseException) -> bool:
    """True when `exc` says a backing service (database, Redis) is unreachable, overloaded or
    restarting, so the request may succeed shortly: a 503, not a bug. A genuine SQL error (a
    missing table, a violated constraint, bad syntax) is not an outage and stays a 500."""
    if isinstance(exc, PoolTimeoutError):  # every pooled connection busy for pool_timeout
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:  # the dialect saw a disconnect
        return True
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        # Connecting to a closed port or an unknown host raises the OS error itself (asyncpg).
        if isinstance(current, _NETWORK_ERRORS) or (isinstance(current, OSError) and current.errno in _NETWORK_ERRNOS):
            return True
        sqlstate = getattr(current, "sqlstate", None)
        if isinstance(sqlstate, str) and (sqlstate.startswith("08") or sqlstate in _OUTAGE_SQLSTATES):
            return True
        # 55000 is a broad class; only its "not accepting connections" (a database closed to
        # connections while it is being restarted, restored or moved) is an outage.
        if sqlstate == "55000" and "not currently accepting connections" in str(current):
            return True
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return False


def dependency_unavailable_response(request: Request[Any, Any, Any], exc: BaseException) -> Response[dict[str, Any]]:
    # A line, not a traceback: an outage makes many of these and the cause is not in our code.
    logger.warning(
        "dependency unavailable: %s: %s", type(exc).__name__, str(exc).splitlines()[0][:200] if str(exc) else ""
    )
    return problem_response(
        request,
        status=503,
        code=domain.DependencyUnavailable.code,
        title="Service Unavailable",
        detail="A required service is unavailable for a moment. Try again shortly.",
        extra={"retryAfter": DEPENDENCY_RETRY_AFTER},
        headers={"Retry-After": str(DEPENDENCY_RETRY_AFTER)},
    )


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    if dependency_outage(exc):
        return dependency_unavailable_response(request, exc)
    # The stack trace goes to the log (with the request id), never to the client.
    logger.exception("unhandled error", exc_info=exc)
    return problem_response(
        request,
        status=HTTP_500_INTERNAL_SERVER_ERROR,
        code="internal-error",
        title="Internal Server Error",
        detail="An unexpected error occurred. Quote the request id when reporting it.",
    )


def serialization_error_handler(
    request: Request[Any, Any, Any], exc: SerializationException
) -> Response[dict[str, Any]]:
    return problem_response(
        request,
        status=400,
        code="malformed-request",
        title="Malformed Request",
        detail="The request body could not be parsed.",
    )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    domain.DomainError: domain_error_handler,
    HTTPException: http_exception_handler,
    SerializationException: serialization_error_handler,
    Exception: internal_error_handler,
}
