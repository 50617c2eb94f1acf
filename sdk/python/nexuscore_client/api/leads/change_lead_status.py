from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.change_status_request import ChangeStatusRequest
from ...models.lead_response import LeadResponse
from ...types import Response


def _get_kwargs(
    org_id: UUID,
    lead_id: UUID,
    *,
    body: ChangeStatusRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/orgs/{org_id}/leads/{lead_id}/status".format(
            org_id=quote(str(org_id), safe=""),
            lead_id=quote(str(lead_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> LeadResponse | None:
    if response.status_code == 200:
        response_200 = LeadResponse.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[LeadResponse]:
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
    body: ChangeStatusRequest,
) -> Response[LeadResponse]:
    """Move a lead through the pipeline

     409 `business-rule-violation` for a move the pipeline does not allow; 422 for lost
    without a `lostReason`.

    Args:
        org_id (UUID):
        lead_id (UUID):
        body (ChangeStatusRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LeadResponse]
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
    body: ChangeStatusRequest,
) -> LeadResponse | None:
    """Move a lead through the pipeline

     409 `business-rule-violation` for a move the pipeline does not allow; 422 for lost
    without a `lostReason`.

    Args:
        org_id (UUID):
        lead_id (UUID):
        body (ChangeStatusRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LeadResponse
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
    body: ChangeStatusRequest,
) -> Response[LeadResponse]:
    """Move a lead through the pipeline

     409 `business-rule-violation` for a move the pipeline does not allow; 422 for lost
    without a `lostReason`.

    Args:
        org_id (UUID):
        lead_id (UUID):
        body (ChangeStatusRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LeadResponse]
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
    body: ChangeStatusRequest,
) -> LeadResponse | None:
    """Move a lead through the pipeline

     409 `business-rule-violation` for a move the pipeline does not allow; 422 for lost
    without a `lostReason`.

    Args:
        org_id (UUID):
        lead_id (UUID):
        body (ChangeStatusRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LeadResponse
    """

    return (
        await asyncio_detailed(
            org_id=org_id,
            lead_id=lead_id,
            client=client,
            body=body,
        )
    ).parsed
