from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.merge_leads_request import MergeLeadsRequest
from ...models.merge_response import MergeResponse
from ...types import Response


def _get_kwargs(
    org_id: UUID,
    lead_id: UUID,
    *,
    body: MergeLeadsRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/orgs/{org_id}/leads/{lead_id}/merge".format(
            org_id=quote(str(org_id), safe=""),
            lead_id=quote(str(lead_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> MergeResponse | None:
    if response.status_code == 200:
        response_200 = MergeResponse.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[MergeResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    org_id: UUID,
    lead_id: UUID,
    *,
    client: AuthenticatedClient,
    body: MergeLeadsRequest,
) -> Response[MergeResponse]:
    """Merge a duplicate into this lead (admin or owner)

     This lead survives: its empty fields are filled from the other, tags are united, the
    later consent record is kept, the other's activities move here and the other is archived.

    Args:
        org_id (UUID):
        lead_id (UUID):
        body (MergeLeadsRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MergeResponse]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        lead_id=lead_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    org_id: UUID,
    lead_id: UUID,
    *,
    client: AuthenticatedClient,
    body: MergeLeadsRequest,
) -> MergeResponse | None:
    """Merge a duplicate into this lead (admin or owner)

     This lead survives: its empty fields are filled from the other, tags are united, the
    later consent record is kept, the other's activities move here and the other is archived.

    Args:
        org_id (UUID):
        lead_id (UUID):
        body (MergeLeadsRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MergeResponse
    """

    return sync_detailed(
        org_id=org_id,
        lead_id=lead_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    org_id: UUID,
    lead_id: UUID,
    *,
    client: AuthenticatedClient,
    body: MergeLeadsRequest,
) -> Response[MergeResponse]:
    """Merge a duplicate into this lead (admin or owner)

     This lead survives: its empty fields are filled from the other, tags are united, the
    later consent record is kept, the other's activities move here and the other is archived.

    Args:
        org_id (UUID):
        lead_id (UUID):
        body (MergeLeadsRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MergeResponse]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        lead_id=lead_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org_id: UUID,
    lead_id: UUID,
    *,
    client: AuthenticatedClient,
    body: MergeLeadsRequest,
) -> MergeResponse | None:
    """Merge a duplicate into this lead (admin or owner)

     This lead survives: its empty fields are filled from the other, tags are united, the
    later consent record is kept, the other's activities move here and the other is archived.

    Args:
        org_id (UUID):
        lead_id (UUID):
        body (MergeLeadsRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MergeResponse
    """

    return (
        await asyncio_detailed(
            org_id=org_id,
            lead_id=lead_id,
            client=client,
            body=body,
        )
    ).parsed
