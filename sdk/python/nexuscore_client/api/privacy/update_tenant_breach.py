from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.breach_detail_response import BreachDetailResponse
from ...models.media_type_problem import MediaTypeProblem
from ...models.problem import Problem
from ...models.retry_later_problem import RetryLaterProblem
from ...models.update_breach_request import UpdateBreachRequest
from ...models.validation_problem import ValidationProblem
from ...types import Response


def _get_kwargs(
    org_id: UUID,
    breach_id: UUID,
    *,
    body: UpdateBreachRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/orgs/{org_id}/privacy/breaches/{breach_id}".format(
            org_id=quote(str(org_id), safe=""),
            breach_id=quote(str(breach_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BreachDetailResponse | MediaTypeProblem | Problem | RetryLaterProblem | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = BreachDetailResponse.from_dict(response.json())

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

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 414:
        response_414 = Problem.from_dict(response.json())

        return response_414

    if response.status_code == 415:
        response_415 = MediaTypeProblem.from_dict(response.json())

        return response_415

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
) -> Response[BreachDetailResponse | MediaTypeProblem | Problem | RetryLaterProblem | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    org_id: UUID,
    breach_id: UUID,
    *,
    client: AuthenticatedClient,
    body: UpdateBreachRequest,
) -> Response[BreachDetailResponse | MediaTypeProblem | Problem | RetryLaterProblem | ValidationProblem]:
    """Update a breach: assessment, counts, notices (admin or owner)

    Args:
        org_id (UUID):
        breach_id (UUID):
        body (UpdateBreachRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BreachDetailResponse | MediaTypeProblem | Problem | RetryLaterProblem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        breach_id=breach_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    org_id: UUID,
    breach_id: UUID,
    *,
    client: AuthenticatedClient,
    body: UpdateBreachRequest,
) -> BreachDetailResponse | MediaTypeProblem | Problem | RetryLaterProblem | ValidationProblem | None:
    """Update a breach: assessment, counts, notices (admin or owner)

    Args:
        org_id (UUID):
        breach_id (UUID):
        body (UpdateBreachRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BreachDetailResponse | MediaTypeProblem | Problem | RetryLaterProblem | ValidationProblem
    """

    return sync_detailed(
        org_id=org_id,
        breach_id=breach_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    org_id: UUID,
    breach_id: UUID,
    *,
    client: AuthenticatedClient,
    body: UpdateBreachRequest,
) -> Response[BreachDetailResponse | MediaTypeProblem | Problem | RetryLaterProblem | ValidationProblem]:
    """Update a breach: assessment, counts, notices (admin or owner)

    Args:
        org_id (UUID):
        breach_id (UUID):
        body (UpdateBreachRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BreachDetailResponse | MediaTypeProblem | Problem | RetryLaterProblem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        breach_id=breach_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org_id: UUID,
    breach_id: UUID,
    *,
    client: AuthenticatedClient,
    body: UpdateBreachRequest,
) -> BreachDetailResponse | MediaTypeProblem | Problem | RetryLaterProblem | ValidationProblem | None:
    """Update a breach: assessment, counts, notices (admin or owner)

    Args:
        org_id (UUID):
        breach_id (UUID):
        body (UpdateBreachRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BreachDetailResponse | MediaTypeProblem | Problem | RetryLaterProblem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            org_id=org_id,
            breach_id=breach_id,
            client=client,
            body=body,
        )
    ).parsed
