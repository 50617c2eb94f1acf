from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.platform_retention_preview_response import PlatformRetentionPreviewResponse
from ...models.problem import Problem
from ...models.retry_later_problem import RetryLaterProblem
from ...models.validation_problem import ValidationProblem
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/admin/privacy/retention/preview",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PlatformRetentionPreviewResponse | Problem | RetryLaterProblem | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = PlatformRetentionPreviewResponse.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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
) -> Response[PlatformRetentionPreviewResponse | Problem | RetryLaterProblem | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[PlatformRetentionPreviewResponse | Problem | RetryLaterProblem | ValidationProblem]:
    """Dry run: what the next daily purge removes of the platform categories (staff)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PlatformRetentionPreviewResponse | Problem | RetryLaterProblem | ValidationProblem]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
) -> PlatformRetentionPreviewResponse | Problem | RetryLaterProblem | ValidationProblem | None:
    """Dry run: what the next daily purge removes of the platform categories (staff)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PlatformRetentionPreviewResponse | Problem | RetryLaterProblem | ValidationProblem
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[PlatformRetentionPreviewResponse | Problem | RetryLaterProblem | ValidationProblem]:
    """Dry run: what the next daily purge removes of the platform categories (staff)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PlatformRetentionPreviewResponse | Problem | RetryLaterProblem | ValidationProblem]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
) -> PlatformRetentionPreviewResponse | Problem | RetryLaterProblem | ValidationProblem | None:
    """Dry run: what the next daily purge removes of the platform categories (staff)

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PlatformRetentionPreviewResponse | Problem | RetryLaterProblem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
