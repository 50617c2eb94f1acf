"""OpenAPI 3.1 document: the tags the modules declare and stable, camelCase operation ids."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components, Operation, Parameter, Schema, SecurityScheme, Tag
from litestar.openapi.spec.enums import OpenAPIType
from litestar.routes import HTTPRoute
from litestar.types import Method

import nexuscore


def operation_id(route_handler: HTTPRouteHandler, http_method: Method, path_components: list[Any]) -> str:
    """camelCase of the handler's name (`list_members` -> `listMembers`): what SDK generators
    turn into method names. Handler names are unique across the app (a test checks)."""
    head, *rest = route_handler.handler_name.split("_")
    return head + "".join(part.title() for part in rest)


def openapi_config(tags: Sequence[Tag] = ()) -> OpenAPIConfig:
    return OpenAPIConfig(
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
