from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.privacy_request_page import PrivacyRequestPage
from ...models.problem import Problem
from ...models.request_status import RequestStatus
from ...models.retry_later_problem import RetryLaterProblem
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: None | RequestStatus | Unset = UNSET,
    overdue: bool | None | Unset = UNSET,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, RequestStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_overdue: bool | None | Unset
    if isinstance(overdue, Unset):
        json_overdue = UNSET
    else:
        json_overdue = overdue
    params["overdue"] = json_overdue

    params["limit"] = limit

    params["offset"] = offset

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/admin/privacy/requests",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PrivacyRequestPage | Problem | RetryLaterProblem | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = PrivacyRequestPage.from_dict(response.json())

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
) -> Response[PrivacyRequestPage | Problem | RetryLaterProblem | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: None | RequestStatus | Unset = UNSET,
    overdue: bool | None | Unset = UNSET,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
) -> Response[PrivacyRequestPage | Problem | RetryLaterProblem | ValidationProblem]:
    """Privacy requests about users, most urgent first (staff)

    Args:
        status (None | RequestStatus | Unset): Only requests in this status
        overdue (bool | None | Unset): true: open and past their due date; false: the others
        limit (int | Unset): Items per page Default: 20.
        offset (int | Unset): Items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PrivacyRequestPage | Problem | RetryLaterProblem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        status=status,
        overdue=overdue,
        limit=limit,
        offset=offset,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    status: None | RequestStatus | Unset = UNSET,
    overdue: bool | None | Unset = UNSET,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
) -> PrivacyRequestPage | Problem | RetryLaterProblem | ValidationProblem | None:
    """Privacy requests about users, most urgent first (staff)

    Args:
        status (None | RequestStatus | Unset): Only requests in this status
        overdue (bool | None | Unset): true: open and past their due date; false: the others
        limit (int | Unset): Items per page Default: 20.
        offset (int | Unset): Items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PrivacyRequestPage | Problem | RetryLaterProblem | ValidationProblem
    """

    return sync_detailed(
        client=client,
        status=status,
        overdue=overdue,
        limit=limit,
        offset=offset,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: None | RequestStatus | Unset = UNSET,
    overdue: bool | None | Unset = UNSET,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
) -> Response[PrivacyRequestPage | Problem | RetryLaterProblem | ValidationProblem]:
    """Privacy requests about users, most urgent first (staff)

    Args:
        status (None | RequestStatus | Unset): Only requests in this status
        overdue (bool | None | Unset): true: open and past their due date; false: the others
        limit (int | Unset): Items per page Default: 20.
        offset (int | Unset): Items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PrivacyRequestPage | Problem | RetryLaterProblem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        status=status,
        overdue=overdue,
        limit=limit,
        offset=offset,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    status: None | RequestStatus | Unset = UNSET,
    overdue: bool | None | Unset = UNSET,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
) -> PrivacyRequestPage | Problem | RetryLaterProblem | ValidationProblem | None:
    """Privacy requests about users, most urgent first (staff)

    Args:
        status (None | RequestStatus | Unset): Only requests in this status
        overdue (bool | None | Unset): true: open and past their due date; false: the others
        limit (int | Unset): Items per page Default: 20.
        offset (int | Unset): Items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PrivacyRequestPage | Problem | RetryLaterProblem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            overdue=overdue,
            limit=limit,
            offset=offset,
        )
    ).parsed
