import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.inbox_event_page import InboxEventPage
from ...models.inbox_status import InboxStatus
from ...models.problem import Problem
from ...models.retry_later_problem import RetryLaterProblem
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    provider: None | str | Unset = UNSET,
    status: InboxStatus | None | Unset = UNSET,
    type_: None | str | Unset = UNSET,
    event_id: None | str | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_provider: None | str | Unset
    if isinstance(provider, Unset):
        json_provider = UNSET
    else:
        json_provider = provider
    params["provider"] = json_provider

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, InboxStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_type_: None | str | Unset
    if isinstance(type_, Unset):
        json_type_ = UNSET
    else:
        json_type_ = type_
    params["type"] = json_type_

    json_event_id: None | str | Unset
    if isinstance(event_id, Unset):
        json_event_id = UNSET
    else:
        json_event_id = event_id
    params["eventId"] = json_event_id

    json_since: None | str | Unset
    if isinstance(since, Unset):
        json_since = UNSET
    elif isinstance(since, datetime.datetime):
        json_since = since.isoformat()
    else:
        json_since = since
    params["since"] = json_since

    params["limit"] = limit

    params["offset"] = offset

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/admin/webhooks",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> InboxEventPage | Problem | RetryLaterProblem | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = InboxEventPage.from_dict(response.json())

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
) -> Response[InboxEventPage | Problem | RetryLaterProblem | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    provider: None | str | Unset = UNSET,
    status: InboxStatus | None | Unset = UNSET,
    type_: None | str | Unset = UNSET,
    event_id: None | str | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
) -> Response[InboxEventPage | Problem | RetryLaterProblem | ValidationProblem]:
    """The webhook inbox (staff)

    Args:
        provider (None | str | Unset):
        status (InboxStatus | None | Unset):
        type_ (None | str | Unset):
        event_id (None | str | Unset):
        since (datetime.datetime | None | Unset):
        limit (int | Unset): Items per page Default: 20.
        offset (int | Unset): Items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InboxEventPage | Problem | RetryLaterProblem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        provider=provider,
        status=status,
        type_=type_,
        event_id=event_id,
        since=since,
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
    provider: None | str | Unset = UNSET,
    status: InboxStatus | None | Unset = UNSET,
    type_: None | str | Unset = UNSET,
    event_id: None | str | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
) -> InboxEventPage | Problem | RetryLaterProblem | ValidationProblem | None:
    """The webhook inbox (staff)

    Args:
        provider (None | str | Unset):
        status (InboxStatus | None | Unset):
        type_ (None | str | Unset):
        event_id (None | str | Unset):
        since (datetime.datetime | None | Unset):
        limit (int | Unset): Items per page Default: 20.
        offset (int | Unset): Items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InboxEventPage | Problem | RetryLaterProblem | ValidationProblem
    """

    return sync_detailed(
        client=client,
        provider=provider,
        status=status,
        type_=type_,
        event_id=event_id,
        since=since,
        limit=limit,
        offset=offset,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    provider: None | str | Unset = UNSET,
    status: InboxStatus | None | Unset = UNSET,
    type_: None | str | Unset = UNSET,
    event_id: None | str | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
) -> Response[InboxEventPage | Problem | RetryLaterProblem | ValidationProblem]:
    """The webhook inbox (staff)

    Args:
        provider (None | str | Unset):
        status (InboxStatus | None | Unset):
        type_ (None | str | Unset):
        event_id (None | str | Unset):
        since (datetime.datetime | None | Unset):
        limit (int | Unset): Items per page Default: 20.
        offset (int | Unset): Items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InboxEventPage | Problem | RetryLaterProblem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        provider=provider,
        status=status,
        type_=type_,
        event_id=event_id,
        since=since,
        limit=limit,
        offset=offset,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    provider: None | str | Unset = UNSET,
    status: InboxStatus | None | Unset = UNSET,
    type_: None | str | Unset = UNSET,
    event_id: None | str | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
) -> InboxEventPage | Problem | RetryLaterProblem | ValidationProblem | None:
    """The webhook inbox (staff)

    Args:
        provider (None | str | Unset):
        status (InboxStatus | None | Unset):
        type_ (None | str | Unset):
        event_id (None | str | Unset):
        since (datetime.datetime | None | Unset):
        limit (int | Unset): Items per page Default: 20.
        offset (int | Unset): Items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InboxEventPage | Problem | RetryLaterProblem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            provider=provider,
            status=status,
            type_=type_,
            event_id=event_id,
            since=since,
            limit=limit,
            offset=offset,
        )
    ).parsed
