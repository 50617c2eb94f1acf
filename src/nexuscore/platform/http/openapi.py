"""OpenAPI 3.1 document: the tags the modules declare and stable, camelCase operation ids."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme, Tag
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
