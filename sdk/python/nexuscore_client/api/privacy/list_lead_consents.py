from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.consents_response import ConsentsResponse
from ...models.problem import Problem
from ...models.retry_later_problem import RetryLaterProblem
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    org_id: UUID,
    *,
    lead_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_lead_id: None | str | Unset
    if isinstance(lead_id, Unset):
        json_lead_id = UNSET
    elif isinstance(lead_id, UUID):
        json_lead_id = str(lead_id)
    else:
        json_lead_id = lead_id
    params["leadId"] = json_lead_id

    params["limit"] = limit

    params["offset"] = offset

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/orgs/{org_id}/privacy/consents".format(
            org_id=quote(str(org_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ConsentsResponse | Problem | RetryLaterProblem | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = ConsentsResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 414:
        response_414 = Problem.from_dict(response.json())

        return response_414

    if response.status_code == 422:
        response_422 = ValidationProblem.from_dict(response.json())

        return response_422

    if response.status_code == 503:
        response_503 = RetryLaterProblem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ConsentsResponse | Problem | RetryLaterProblem | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    org_id: UUID,
    *,
    client: AuthenticatedClient,
    lead_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> Response[ConsentsResponse | Problem | RetryLaterProblem | ValidationProblem]:
    """A lead's consents: the current state per purpose and its records (member or above)

    Args:
        org_id (UUID):
        lead_id (None | Unset | UUID): Required.
        limit (int | Unset): Items per page Default: 50.
        offset (int | Unset): Items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConsentsResponse | Problem | RetryLaterProblem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        lead_id=lead_id,
        limit=limit,
        offset=offset,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    org_id: UUID,
    *,
    client: AuthenticatedClient,
    lead_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> ConsentsResponse | Problem | RetryLaterProblem | ValidationProblem | None:
    """A lead's consents: the current state per purpose and its records (member or above)

    Args:
        org_id (UUID):
        lead_id (None | Unset | UUID): Required.
        limit (int | Unset): Items per page Default: 50.
        offset (int | Unset): Items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConsentsResponse | Problem | RetryLaterProblem | ValidationProblem
    """

    return sync_detailed(
        org_id=org_id,
        client=client,
        lead_id=lead_id,
        limit=limit,
        offset=offset,
    ).parsed


async def asyncio_detailed(
    org_id: UUID,
    *,
    client: AuthenticatedClient,
    lead_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> Response[ConsentsResponse | Problem | RetryLaterProblem | ValidationProblem]:
    """A lead's consents: the current state per purpose and its records (member or above)

    Args:
        org_id (UUID):
        lead_id (None | Unset | UUID): Required.
        limit (int | Unset): Items per page Default: 50.
        offset (int | Unset): Items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConsentsResponse | Problem | RetryLaterProblem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        lead_id=lead_id,
        limit=limit,
        offset=offset,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org_id: UUID,
    *,
    client: AuthenticatedClient,
    lead_id: None | Unset | UUID = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> ConsentsResponse | Problem | RetryLaterProblem | ValidationProblem | None:
    """A lead's consents: the current state per purpose and its records (member or above)

    Args:
        org_id (UUID):
        lead_id (None | Unset | UUID): Required.
        limit (int | Unset): Items per page Default: 50.
        offset (int | Unset): Items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConsentsResponse | Problem | RetryLaterProblem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            org_id=org_id,
            client=client,
            lead_id=lead_id,
            limit=limit,
            offset=offset,
        )
    ).parsed
