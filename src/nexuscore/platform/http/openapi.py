"""OpenAPI 3.1 document: one tag per bounded context and stable, camelCase operation ids."""

from __future__ import annotations

from typing import Any

from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme, Tag
from litestar.types import Method

import nexuscore

CONTEXT_TAGS = [
    Tag(name="platform", description="Health and operational endpoints."),
    Tag(name="identity", description="Accounts, sign-in, tokens, email verification, password reset."),
    Tag(name="organizations", description="Tenants, members, roles and invitations."),
    Tag(name="subscriptions", description="Plans, subscriptions and entitlements."),
    Tag(name="billing", description="GST tax invoices and credit notes."),
    Tag(name="leads", description="Lead CRM: leads, pipeline, activities, import and export."),
    Tag(name="privacy", description="PDPA consent, data-subject requests, retention."),
    Tag(name="webhooks", description="Inbound webhook inbox (Stripe)."),
    Tag(name="events", description="Audit trail of domain events."),
]


def operation_id(route_handler: HTTPRouteHandler, http_method: Method, path_components: list[Any]) -> str:
    """camelCase of the handler's name (`list_members` -> `listMembers`): what SDK generators
    turn into method names. Handler names are unique across the app (a test checks)."""
    head, *rest = route_handler.handler_name.split("_")
    return head + "".join(part.title() for part in rest)


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="NexusCore API",
        version=getattr(nexuscore, "__version__", "0.1.0"),
        description="Multi-tenant B2B SaaS backend for Singapore SMEs.",
        path="/schema",
        render_plugins=[ScalarRenderPlugin(path="/"), SwaggerRenderPlugin(path="/swagger")],
        tags=CONTEXT_TAGS,
        use_handler_docstrings=True,
        components=Components(
            security_schemes={
                "BearerToken": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT"),
            }
        ),
        create_examples=False,
        operation_id_creator=operation_id,
    )
