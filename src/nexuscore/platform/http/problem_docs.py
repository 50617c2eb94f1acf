"""The problems each operation can answer, in the OpenAPI document: one shared shape, derived
from what a route is, so a route documents its errors without hand work.

What a route is decides most of its problems (`derived_problems`):

| the route                                           | problems                |
|-----------------------------------------------------|-------------------------|
| any (query string too long; NUL in a query value)   | 414, 422                |
| takes a parameter or a body (Litestar's validation) | 400, 422                |
| POST, PUT or PATCH (a body in a type it refuses)    | 415                     |
| takes a body                                        | 413                     |
| secured (declares `security`)                       | 401                     |
| has a path parameter (the thing it names may not exist) | 404                 |
| uses a dependency (database, Redis)                 | 503                     |
| uses a dependency a module documents (`dependency_problems`, e.g. `tenant` -> 403, 404) | those |

and a route adds what only it knows with `opt=problems(...)` (on the route or its controller):
`@post(..., opt=problems(CONFLICT, ProblemDoc(409, "...", DuplicateLeadProblem)))`. A declared
problem replaces the derived one of the same status (its schema is the more precise).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import msgspec
from litestar.di import Provide
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.routes import HTTPRoute

from nexuscore.platform.http.problems import PROBLEM_JSON, TYPE_BASE
from nexuscore.platform.http.structs import ResponseBody

PROBLEMS_OPT = "problems"
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_PATH_PARAMETER = re.compile(r"{[^}:]+(?::[^}]+)?}")


class Problem(ResponseBody, omit_defaults=True):
    """An RFC 9457 problem (`application/problem+json`). `type` is stable: branch on it.
    Some problems carry extension members (listed on their own schemas)."""

    type: Annotated[
        str,
        msgspec.Meta(
            description=f"{TYPE_BASE}<code>: the problem's stable code",
            examples=[f"{TYPE_BASE}not-found"],
        ),
    ]
    title: str
    status: Annotated[int, msgspec.Meta(ge=400, le=599)]
    instance: Annotated[str, msgspec.Meta(description="The path of the request")]
    detail: str | None = None
    request_id: Annotated[str | None, msgspec.Meta(description="Quote it when reporting a problem")] = None


class FieldProblem(ResponseBody, omit_defaults=True):
    field: Annotated[str, msgspec.Meta(description="As the client spells it: `email`, `address.street`, `scoreMin`")]
    message: str
    source: Literal["body", "query", "path", "header", "cookie"] | None = None


class ValidationProblem(Problem):
    """422 `validation-error`: the request is well formed but some fields are not acceptable."""

    errors: list[FieldProblem] = msgspec.field(default_factory=list)


class RetryLaterProblem(Problem):
    """429 `rate-limited` or 503 `dependency-unavailable`: try again after `retryAfter` seconds
    (also sent as the `Retry-After` header)."""

    retry_after: Annotated[int, msgspec.Meta(ge=0)] = 1


class MediaTypeProblem(Problem):
    """415 `unsupported-media-type`: `accepts` lists the media types the body may have."""

    accepts: list[str] = msgspec.field(default_factory=list)


class QuotaProblem(Problem):
    """402 `quota-exceeded`: a plan limit; `limit` is the plan's allowance."""

    limit: int | None = None


@dataclass(frozen=True)
class ProblemDoc:
    """One problem an operation may answer: its status, when it happens, its body's schema."""

    status: int
    description: str
    schema: type[Problem] = Problem


BAD_REQUEST = ProblemDoc(400, "`malformed-request` or `bad-request`: the body or a parameter cannot be parsed")
UNAUTHENTICATED = ProblemDoc(401, "`authentication-required`: no valid bearer token")
QUOTA_EXCEEDED = ProblemDoc(402, "`quota-exceeded`: a limit of the organisation's plan", QuotaProblem)
FORBIDDEN = ProblemDoc(403, "`permission-denied`: your role does not allow it")
NOT_FOUND = ProblemDoc(404, "`not-found`: no such resource here (or not visible to you)")
CONFLICT = ProblemDoc(409, "`conflict` or `business-rule-violation`: the current state does not allow it")
IDEMPOTENCY_CONFLICT = ProblemDoc(
    409,
    "`idempotency-key-in-use` (the first request with this key still runs; retry after `Retry-After`) "
    "or `idempotency-key-spent` (it committed but its answer was not kept)",
)
PAYLOAD_TOO_LARGE = ProblemDoc(413, "`payload-too-large`: the body is over the size limit")
URI_TOO_LONG = ProblemDoc(414, "`uri-too-long`: the query string is over 16 KiB")
UNSUPPORTED_MEDIA_TYPE = ProblemDoc(
    415, "`unsupported-media-type`: the body is not in a media type the operation takes (`accepts`)", MediaTypeProblem
)
INVALID = ProblemDoc(422, "`validation-error`: fields that are not acceptable, listed in `errors`", ValidationProblem)
RATE_LIMITED = ProblemDoc(429, "`rate-limited`: too many attempts; wait `retryAfter` seconds", RetryLaterProblem)
UNAVAILABLE = ProblemDoc(
    503, "`dependency-unavailable`: a backing service is down for a moment; retry after `retryAfter`", RetryLaterProblem
)


def problems(*docs: ProblemDoc) -> dict[str, tuple[ProblemDoc, ...]]:
    """A route's (or controller's) `opt`: the problems only it knows about."""
    return {PROBLEMS_OPT: docs}


def _used_dependencies(handler: HTTPRouteHandler) -> set[str]:
    """The dependencies the handler uses, directly or through other dependencies."""
    available: dict[str, Provide] = handler.resolve_dependencies()
    used: set[str] = set()
    pending = list(handler.parsed_fn_signature.parameters)
    while pending:
        name = pending.pop()
        if name in used or name not in available:
            continue
        used.add(name)
        pending.extend(inspect.signature(available[name].dependency).parameters)
    return used


def _has_path_parameter(handler: HTTPRouteHandler) -> bool:
    """A path parameter in the route's path, wherever it is declared (router, controller, route)."""
    paths = [*handler.paths, *(str(getattr(layer, "path", "")) for layer in handler.ownership_layers)]
    return any(_PATH_PARAMETER.search(path) for path in paths)


def _takes_parameters(handler: HTTPRouteHandler, dependencies: set[str]) -> bool:
    """A route Litestar validates input for: any parameter that is not a dependency or a
    framework-injected value (`request`, `state`, ...)."""
    reserved = {"request", "state", "scope", "headers", "cookies", "query", "socket", "body", "self"}
    for name in handler.parsed_fn_signature.parameters:
        if name not in dependencies and name not in reserved:
            return True
    return _has_path_parameter(handler)


def derived_problems(
    handler: HTTPRouteHandler, dependency_problems: Mapping[str, Sequence[ProblemDoc]] = {}
) -> dict[int, ProblemDoc]:
    """Every problem `handler` can answer, by status (see the module's table)."""
    dependencies = _used_dependencies(handler)
    found: list[ProblemDoc] = [URI_TOO_LONG, INVALID]
    if _takes_parameters(handler, dependencies):
        found.append(BAD_REQUEST)
    if _BODY_METHODS & set(handler.http_methods):
        # Any body is screened and capped before the route sees it (platform.http.screening).
        found += [UNSUPPORTED_MEDIA_TYPE, PAYLOAD_TOO_LARGE]
    if "POST" in handler.http_methods:
        found.append(BAD_REQUEST)  # a malformed Idempotency-Key
    if "data" in handler.parsed_fn_signature.parameters:
        found += [BAD_REQUEST, PAYLOAD_TOO_LARGE]
    if handler.resolve_security():
        found.append(UNAUTHENTICATED)
    if _has_path_parameter(handler):
        found.append(NOT_FOUND)
    if dependencies:
        found.append(UNAVAILABLE)
    for name in sorted(dependencies):
        found += dependency_problems.get(name, ())
    by_status = {doc.status: doc for doc in found}
    by_status.update({doc.status: doc for doc in handler.opt.get(PROBLEMS_OPT, ())})
    if "POST" in handler.http_methods:
        # Any POST may carry an Idempotency-Key (platform.http.idempotency).
        own = by_status.get(409)
        by_status[409] = (
            ProblemDoc(409, f"{own.description}; or {IDEMPOTENCY_CONFLICT.description}", own.schema)
            if own
            else IDEMPOTENCY_CONFLICT
        )
    return dict(sorted(by_status.items()))


def document_problems(routes: Iterable[Any], dependency_problems: Mapping[str, Sequence[ProblemDoc]]) -> None:
    """Add each HTTP route's problems to its OpenAPI responses (as `application/problem+json`),
    keeping any response a route documents itself for the same status."""
    for route in routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if not handler.resolve_include_in_schema():
                continue
            documented = {
                status: ResponseSpec(
                    data_container=doc.schema,
                    description=doc.description,
                    media_type=PROBLEM_JSON,
                    generate_examples=False,
                )
                for status, doc in derived_problems(handler, dependency_problems).items()
            }
            handler.responses = {**documented, **(handler.responses or {})}
