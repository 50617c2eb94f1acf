"""Every call the SDK end-to-end test makes, through the generated Python client (sdk/python).

Kept in one small file on purpose: when the document changes shape (camelCase path and query
parameters such as `orgId`, lists answered as `{items, total, limit, offset, hasMore}`, typed
problem responses), `just sdk` regenerates the client and only this file follows it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "sdk" / "python"))

from nexuscore_client import AuthenticatedClient, Client, errors
from nexuscore_client.api.identity import get_me, login, register, verify_email
from nexuscore_client.api.leads import (
    change_lead_status,
    create_lead,
    export_leads,
    get_lead_import,
    import_leads,
    list_leads,
)
from nexuscore_client.api.organizations import (
    accept_invitation,
    create_invitation,
    create_organization,
    list_members,
)
from nexuscore_client.models import (
    AcceptInvitationRequest,
    ChangeStatusRequest,
    CreateLeadRequest,
    CreateOrganizationRequest,
    ImportForm,
    InviteRequest,
    LeadStatus,
    ListLeadsSortType0,
    LoginRequest,
    RegisterRequest,
    VerifyEmailRequest,
)
from nexuscore_client.types import UNSET, File

__all__ = ["UNSET", "AuthenticatedClient", "Client", "errors"]


def anonymous(base_url: str) -> Client:
    return Client(base_url=base_url, raise_on_unexpected_status=True, timeout=30)


def problem(call: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    """(status, problem body) of a call that must fail, read through the generated error types.

    Today the document types no error response, so the client raises `errors.UnexpectedStatus`
    carrying the problem+json bytes; once problems are documented it returns them parsed.
    """
    try:
        response = call(*args, **kwargs)
    except errors.UnexpectedStatus as unexpected:
        return unexpected.status_code, json.loads(unexpected.content)
    status = int(response.status_code)
    assert status >= 400, f"expected a problem, got {status}: {response.content!r}"
    parsed = response.parsed
    return status, parsed.to_dict() if hasattr(parsed, "to_dict") else json.loads(response.content)


def items(page: Any) -> list[Any]:
    """A list answer, as a bare array (today's members) or as a page envelope."""
    return list(page) if isinstance(page, list) else list(page.items)


# ---- identity ------------------------------------------------------------------------------------


def register_user(client: Client, email: str, password: str, name: str) -> Any:
    return register.sync_detailed(client=client, body=RegisterRequest(email=email, password=password, full_name=name))


def verify(client: Client, token: str) -> Any:
    return verify_email.sync_detailed(client=client, body=VerifyEmailRequest(token=token))


def sign_in(client: Client, email: str, password: str) -> AuthenticatedClient:
    tokens = login.sync(client=client, body=LoginRequest(email=email, password=password))
    assert tokens is not None
    return AuthenticatedClient(
        base_url=client._base_url, token=tokens.access_token, raise_on_unexpected_status=True, timeout=30
    )


def sign_in_detailed(client: Client, email: str, password: str) -> Any:
    return login.sync_detailed(client=client, body=LoginRequest(email=email, password=password))


def me(user: AuthenticatedClient) -> Any:
    return get_me.sync_detailed(client=user)


# ---- organisations -------------------------------------------------------------------------------


def create_org(owner: AuthenticatedClient, name: str) -> UUID:
    org = create_organization.sync(client=owner, body=CreateOrganizationRequest(name=name))
    assert org is not None
    return org.id


def invite(admin: AuthenticatedClient, org_id: UUID, email: str, role: str) -> Any:
    # from_dict: the role enum's class name is the generator's (one shared enum once the document has it).
    body = InviteRequest.from_dict({"email": email, "role": role})
    return create_invitation.sync(org_id, client=admin, body=body)


def accept(user: AuthenticatedClient, token: str) -> Any:
    return accept_invitation.sync(client=user, body=AcceptInvitationRequest(token=token))


def members(user: AuthenticatedClient, org_id: UUID) -> list[Any]:
    return items(list_members.sync(org_id, client=user))


# ---- leads ---------------------------------------------------------------------------------------


def new_lead(user: AuthenticatedClient, org_id: UUID, **fields: Any) -> Any:
    return create_lead.sync_detailed(org_id, client=user, body=CreateLeadRequest(**fields))


def _typed_filters(filters: dict[str, Any]) -> dict[str, Any]:
    """Closed sets as the client's enums (`status` items, `sort`)."""
    typed = dict(filters)
    if "status" in typed:
        typed["status"] = [LeadStatus(value) for value in typed["status"]]
    if "sort" in typed:
        typed["sort"] = ListLeadsSortType0(typed["sort"])
    return typed


def leads(user: AuthenticatedClient, org_id: UUID, **filters: Any) -> Any:
    """The page of leads (`status`, `tag`, `q`, `score_min`, `owner_id`, `limit`, `sort`, ...)."""
    return list_leads.sync(org_id, client=user, **_typed_filters(filters))


def leads_detailed(user: AuthenticatedClient | Client, org_id: UUID, **filters: Any) -> Any:
    return list_leads.sync_detailed(org_id, client=user, **_typed_filters(filters))  # type: ignore[arg-type]


def move(user: AuthenticatedClient, org_id: UUID, lead_id: UUID, status: str) -> Any:
    body = ChangeStatusRequest.from_dict({"status": status})
    return change_lead_status.sync_detailed(org_id, lead_id, client=user, body=body)


def import_csv(user: AuthenticatedClient, org_id: UUID, data: bytes, *, dry_run: bool) -> Any:
    form = ImportForm(file=File(payload=data, file_name="leads.csv", mime_type="text/csv"), dry_run=dry_run)
    return import_leads.sync_detailed(org_id, client=user, body=form)


def lead_import(user: AuthenticatedClient, org_id: UUID, import_id: UUID) -> Any:
    return get_lead_import.sync(org_id, import_id, client=user)


def export_csv(user: AuthenticatedClient, org_id: UUID, **filters: Any) -> Any:
    return export_leads.sync_detailed(org_id, client=user, **filters)
