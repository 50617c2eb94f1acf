import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.audit_event_page import AuditEventPage
from ...models.list_audit_events_type_type_0 import ListAuditEventsTypeType0
from ...models.problem import Problem
from ...models.retry_later_problem import RetryLaterProblem
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    org_id: UUID,
    *,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    type_: ListAuditEventsTypeType0 | None | Unset = UNSET,
    actor_id: None | Unset | UUID = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["offset"] = offset

    json_type_: None | str | Unset
    if isinstance(type_, Unset):
        json_type_ = UNSET
    elif isinstance(type_, ListAuditEventsTypeType0):
        json_type_ = type_.value
    else:
        json_type_ = type_
    params["type"] = json_type_

    json_actor_id: None | str | Unset
    if isinstance(actor_id, Unset):
        json_actor_id = UNSET
    elif isinstance(actor_id, UUID):
        json_actor_id = str(actor_id)
    else:
        json_actor_id = actor_id
    params["actorId"] = json_actor_id

    json_from_: None | str | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    elif isinstance(from_, datetime.datetime):
        json_from_ = from_.isoformat()
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: None | str | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    elif isinstance(to, datetime.datetime):
        json_to = to.isoformat()
    else:
        json_to = to
    params["to"] = json_to

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/orgs/{org_id}/audit-events".format(
            org_id=quote(str(org_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AuditEventPage | Problem | RetryLaterProblem | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = AuditEventPage.from_dict(response.json())

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
) -> Response[AuditEventPage | Problem | RetryLaterProblem | ValidationProblem]:
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
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    type_: ListAuditEventsTypeType0 | None | Unset = UNSET,
    actor_id: None | Unset | UUID = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
) -> Response[AuditEventPage | Problem | RetryLaterProblem | ValidationProblem]:
    """The organisation's audit trail (admin or owner)

    Args:
        org_id (UUID):
        limit (int | Unset): Items per page Default: 20.
        offset (int | Unset): Items to skip Default: 0.
        type_ (ListAuditEventsTypeType0 | None | Unset):
        actor_id (None | Unset | UUID):
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditEventPage | Problem | RetryLaterProblem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        limit=limit,
        offset=offset,
        type_=type_,
        actor_id=actor_id,
        from_=from_,
        to=to,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    org_id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    type_: ListAuditEventsTypeType0 | None | Unset = UNSET,
    actor_id: None | Unset | UUID = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
) -> AuditEventPage | Problem | RetryLaterProblem | ValidationProblem | None:
    """The organisation's audit trail (admin or owner)

    Args:
        org_id (UUID):
        limit (int | Unset): Items per page Default: 20.
        offset (int | Unset): Items to skip Default: 0.
        type_ (ListAuditEventsTypeType0 | None | Unset):
        actor_id (None | Unset | UUID):
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditEventPage | Problem | RetryLaterProblem | ValidationProblem
    """

    return sync_detailed(
        org_id=org_id,
        client=client,
        limit=limit,
        offset=offset,
        type_=type_,
        actor_id=actor_id,
        from_=from_,
        to=to,
    ).parsed


async def asyncio_detailed(
    org_id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    type_: ListAuditEventsTypeType0 | None | Unset = UNSET,
    actor_id: None | Unset | UUID = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
) -> Response[AuditEventPage | Problem | RetryLaterProblem | ValidationProblem]:
    """The organisation's audit trail (admin or owner)

    Args:
        org_id (UUID):
        limit (int | Unset): Items per page Default: 20.
        offset (int | Unset): Items to skip Default: 0.
        type_ (ListAuditEventsTypeType0 | None | Unset):
        actor_id (None | Unset | UUID):
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditEventPage | Problem | RetryLaterProblem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        limit=limit,
        offset=offset,
        type_=type_,
        actor_id=actor_id,
        from_=from_,
        to=to,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org_id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    type_: ListAuditEventsTypeType0 | None | Unset = UNSET,
    actor_id: None | Unset | UUID = UNSET,
    from_: datetime.datetime | None | Unset = UNSET,
    to: datetime.datetime | None | Unset = UNSET,
) -> AuditEventPage | Problem | RetryLaterProblem | ValidationProblem | None:
    """The organisation's audit trail (admin or owner)

    Args:
        org_id (UUID):
        limit (int | Unset): Items per page Default: 20.
        offset (int | Unset): Items to skip Default: 0.
        type_ (ListAuditEventsTypeType0 | None | Unset):
        actor_id (None | Unset | UUID):
        from_ (datetime.datetime | None | Unset):
        to (datetime.datetime | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditEventPage | Problem | RetryLaterProblem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            org_id=org_id,
            client=client,
            limit=limit,
            offset=offset,
            type_=type_,
            actor_id=actor_id,
            from_=from_,
            to=to,
        )
    ).parsed
