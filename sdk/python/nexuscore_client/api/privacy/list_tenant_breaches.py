from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.breach_page import BreachPage
from ...models.problem import Problem
from ...models.retry_later_problem import RetryLaterProblem
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    org_id: UUID,
    *,
    overdue: bool | Unset = False,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["overdue"] = overdue

    params["limit"] = limit

    params["offset"] = offset

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/orgs/{org_id}/privacy/breaches".format(
            org_id=quote(str(org_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BreachPage | Problem | RetryLaterProblem | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = BreachPage.from_dict(response.json())

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
) -> Response[BreachPage | Problem | RetryLaterProblem | ValidationProblem]:
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
    overdue: bool | Unset = False,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
) -> Response[BreachPage | Problem | RetryLaterProblem | ValidationProblem]:
    """The breach register: overdue PDPC notices first (admin or owner)

    Args:
        org_id (UUID):
        overdue (bool | Unset): only breaches whose PDPC notice is late Default: False.
        limit (int | Unset): Items per page Default: 20.
        offset (int | Unset): Items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BreachPage | Problem | RetryLaterProblem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        overdue=overdue,
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
    overdue: bool | Unset = False,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
) -> BreachPage | Problem | RetryLaterProblem | ValidationProblem | None:
    """The breach register: overdue PDPC notices first (admin or owner)

    Args:
        org_id (UUID):
        overdue (bool | Unset): only breaches whose PDPC notice is late Default: False.
        limit (int | Unset): Items per page Default: 20.
        offset (int | Unset): Items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BreachPage | Problem | RetryLaterProblem | ValidationProblem
    """

    return sync_detailed(
        org_id=org_id,
        client=client,
        overdue=overdue,
        limit=limit,
        offset=offset,
    ).parsed


async def asyncio_detailed(
    org_id: UUID,
    *,
    client: AuthenticatedClient,
    overdue: bool | Unset = False,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
) -> Response[BreachPage | Problem | RetryLaterProblem | ValidationProblem]:
    """The breach register: overdue PDPC notices first (admin or owner)

    Args:
        org_id (UUID):
        overdue (bool | Unset): only breaches whose PDPC notice is late Default: False.
        limit (int | Unset): Items per page Default: 20.
        offset (int | Unset): Items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BreachPage | Problem | RetryLaterProblem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        overdue=overdue,
        limit=limit,
        offset=offset,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org_id: UUID,
    *,
    client: AuthenticatedClient,
    overdue: bool | Unset = False,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
) -> BreachPage | Problem | RetryLaterProblem | ValidationProblem | None:
    """The breach register: overdue PDPC notices first (admin or owner)

    Args:
        org_id (UUID):
        overdue (bool | Unset): only breaches whose PDPC notice is late Default: False.
        limit (int | Unset): Items per page Default: 20.
        offset (int | Unset): Items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BreachPage | Problem | RetryLaterProblem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            org_id=org_id,
            client=client,
            overdue=overdue,
            limit=limit,
            offset=offset,
        )
    ).parsed
