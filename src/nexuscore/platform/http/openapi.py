"""OpenAPI 3.1 document: the tags the modules declare, stable camelCase operation ids, and the
refinements every route gets (`refine_document`)."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components, OpenAPI, Operation, Parameter, Schema, SecurityScheme, Tag
from litestar.openapi.spec.enums import OpenAPIType
from litestar.routes import HTTPRoute
from litestar.types import Method

import nexuscore
from nexuscore.platform.http.problems import camel


def operation_id(route_handler: HTTPRouteHandler, http_method: Method, path_components: list[Any]) -> str:
    """camelCase of the handler's name (`list_members` -> `listMembers`): what SDK generators
    turn into method names. Handler names are unique across the app (a test checks)."""
    head, *rest = route_handler.handler_name.split("_")
    return head + "".join(part.title() for part in rest)


def openapi_config(tags: Sequence[Tag] = (), closed_sets: ClosedSets | None = None) -> OpenAPIConfig:
    return RefinedOpenAPIConfig(
        closed_sets=dict(closed_sets or {}),
        title="NexusCore API",
        version=getattr(nexuscore, "__version__", "0.1.0"),
        description="Multi-tenant B2B SaaS backend for Singapore SMEs.",
        path="/schema",
        render_plugins=[ScalarRenderPlugin(path="/"), SwaggerRenderPlugin(path="/swagger")],
        tags=list(tags),
        use_handler_docstrings=True,
        components=Components(
            security_schemes={
                "BearerToken": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT"),
            }
        ),
        create_examples=False,
        operation_id_creator=operation_id,
    )


# Keywords that constrain one JSON type; Litestar writes them beside a nullable `oneOf`, where
# validators and generators ignore them. `refine_document` moves them into the matching branch.
_CONSTRAINTS_BY_TYPE = {
    "string": ("maxLength", "minLength", "pattern", "format", "enum"),
    "integer": ("maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "multipleOf", "enum"),
    "number": ("maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "multipleOf", "enum"),
    "array": ("maxItems", "minItems", "uniqueItems"),
}
_ALL_CONSTRAINTS = frozenset(k for keys in _CONSTRAINTS_BY_TYPE.values() for k in keys)
_PATH_NAME = re.compile(r"{([^}]+)}")


def _constraints_into_branches(node: Any) -> None:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
            continue
        if not isinstance(item, dict):
            continue
        branches = item.get("oneOf")
        # In the item's own key order (a set's order changes per process: the document must not).
        beside = [k for k in item if k in _ALL_CONSTRAINTS] if isinstance(branches, list) else []
        if isinstance(branches, list) and beside:
            for branch in (b for b in branches if isinstance(b, dict)):
                keys = _CONSTRAINTS_BY_TYPE.get(branch.get("type", ""), ())
                branch.update({k: item[k] for k in beside if k in keys and k not in branch})
            for k in beside:
                del item[k]
        stack.extend(item.values())


# A closed set known only once every context is loaded (the audit trail's event types), by where
# it applies: "Schema.property" or "operationId.parameter".
ClosedSets = Mapping[str, Callable[[], Sequence[str]]]


def _enum_into(schema: dict[str, Any], values: list[str]) -> None:
    """Put `enum` on the string the schema holds (inside a nullable `oneOf`, an array's items)."""
    branches = [b for b in schema.get("oneOf", [schema]) if isinstance(b, dict) and b.get("type") != "null"]
    for branch in branches:
        target = branch.get("items", branch) if branch.get("type") == "array" else branch
        target["enum"] = values


def _apply_closed_sets(document: dict[str, Any], operations: list[dict[str, Any]], closed_sets: ClosedSets) -> None:
    schemas = document.get("components", {}).get("schemas", {})
    by_operation = {op.get("operationId"): op for op in operations}
    for where, values in closed_sets.items():
        owner, name = where.rsplit(".", 1)
        if owner in schemas and name in schemas[owner].get("properties", {}):
            _enum_into(schemas[owner]["properties"][name], list(values()))
        for parameter in by_operation.get(owner, {}).get("parameters", []):
            if parameter.get("name") == name:
                _enum_into(parameter["schema"], list(values()))


RETRY_AFTER_HEADER: dict[str, Any] = {
    "description": "Whole seconds to wait before trying again (the problem's `retryAfter`).",
    "required": True,
    "schema": {"type": "integer", "minimum": 0},
}


def refine_document(document: dict[str, Any], closed_sets: ClosedSets | None = None) -> dict[str, Any]:
    """What the generator leaves for a client to trip on, fixed once for every route:
    path parameters named as the client spells everything else (camelCase: `{orgId}`), limits
    inside the nullable `oneOf` they constrain, header schemas (and `Retry-After` on every 429),
    closed sets known only at run time as enums, and no tag without an operation."""
    paths: dict[str, Any] = {}
    for path, item in document.get("paths", {}).items():
        for operation in item.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter.get("in") == "path":
                    parameter["name"] = camel(parameter["name"])
        paths[_PATH_NAME.sub(lambda m: "{" + camel(m.group(1)) + "}", path)] = item
    document["paths"] = paths
    operations = [op for item in paths.values() for op in item.values() if isinstance(op, dict)]
    _constraints_into_branches(document)
    _apply_closed_sets(document, operations, closed_sets or {})
    for operation in operations:
        limited = operation.get("responses", {}).get("429")
        if isinstance(limited, dict):
            # Every 429 is a `RateLimited` problem, and the problem handler always sends the header.
            limited.setdefault("headers", {}).setdefault("Retry-After", copy.deepcopy(RETRY_AFTER_HEADER))
        for response in operation.get("responses", {}).values():
            for name, header in response.get("headers", {}).items():
                # A header object needs a schema (Litestar writes none for documentation-only ones).
                if "schema" not in header and "content" not in header:
                    header["schema"] = (
                        {"type": "string", "format": "uri-reference"} if name == "Location" else {"type": "string"}
                    )
    used = {tag for op in operations for tag in op.get("tags", [])}
    if "tags" in document:
        document["tags"] = [tag for tag in document["tags"] if tag.get("name") in used]
    return document


@dataclass
class RefinedOpenAPI(OpenAPI):
    """The document Litestar builds, passed through `refine_document` when serialised (the
    served `/schema/openapi.json` and `nexuscore openapi` both serialise through here)."""

    closed_sets: ClosedSets = field(default_factory=dict)

    def to_schema(self) -> dict[str, Any]:
        document = super().to_schema()
        for key in ("closedSets", "closed_sets"):  # ours, not a member of the OpenAPI object
            document.pop(key, None)
        return refine_document(document, self.closed_sets)


@dataclass
class RefinedOpenAPIConfig(OpenAPIConfig):
    closed_sets: ClosedSets = field(default_factory=dict)

    def to_openapi_schema(self) -> OpenAPI:
        base = super().to_openapi_schema()
        return RefinedOpenAPI(**{f.name: getattr(base, f.name) for f in fields(base)}, closed_sets=self.closed_sets)


IDEMPOTENCY_KEY_PARAMETER = Parameter(
    name="Idempotency-Key",
    param_in="header",
    required=False,
    description=(
        "Makes this POST safe to retry: a repeat with the same key and body (same caller, method "
        "and path) within 24 hours replays the first response with `Idempotent-Replayed: true` and "
        "never runs the operation twice; another body is 422, a repeat while the first runs is 409. "
        "1-255 visible ASCII characters; a UUID is recommended. See docs/api.md."
    ),
    schema=Schema(type=OpenAPIType.STRING, min_length=1, max_length=255),
)


@dataclass
class IdempotentOperation(Operation):
    """An operation that documents the Idempotency-Key header (every POST under /api/v1)."""

    def __post_init__(self) -> None:
        parameters = list(self.parameters or [])
        if not any(isinstance(p, Parameter) and p.name == IDEMPOTENCY_KEY_PARAMETER.name for p in parameters):
            parameters.append(IDEMPOTENCY_KEY_PARAMETER)
        self.parameters = parameters


def document_idempotency_key(app: Litestar, *, prefix: str = "/api/v1/") -> None:
    """Every POST route under `prefix` documents the header (platform.http.idempotency honours it)."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or not route.path.startswith(prefix):
            continue
        for handler in route.route_handlers:
            if "POST" in handler.http_methods:
                handler.operation_class = IdempotentOperation
