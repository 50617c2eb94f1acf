import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.lead_page import LeadPage
from ...models.lead_source import LeadSource
from ...models.lead_status import LeadStatus
from ...models.list_leads_sort_type_0 import ListLeadsSortType0
from ...models.problem import Problem
from ...models.retry_later_problem import RetryLaterProblem
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    org_id: UUID,
    *,
    status: list[LeadStatus] | None | Unset = UNSET,
    owner_id: None | Unset | UUID = UNSET,
    source: LeadSource | None | Unset = UNSET,
    tag: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    created_from: datetime.datetime | None | Unset = UNSET,
    created_to: datetime.datetime | None | Unset = UNSET,
    score_min: int | None | Unset = UNSET,
    follow_up_before: datetime.date | None | Unset = UNSET,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    sort: ListLeadsSortType0 | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: list[str] | None | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, list):
        json_status = []
        for status_type_0_item_data in status:
            status_type_0_item = status_type_0_item_data.value
            json_status.append(status_type_0_item)

    else:
        json_status = status
    params["status"] = json_status

    json_owner_id: None | str | Unset
    if isinstance(owner_id, Unset):
        json_owner_id = UNSET
    elif isinstance(owner_id, UUID):
        json_owner_id = str(owner_id)
    else:
        json_owner_id = owner_id
    params["ownerId"] = json_owner_id

    json_source: None | str | Unset
    if isinstance(source, Unset):
        json_source = UNSET
    elif isinstance(source, LeadSource):
        json_source = source.value
    else:
        json_source = source
    params["source"] = json_source

    json_tag: None | str | Unset
    if isinstance(tag, Unset):
        json_tag = UNSET
    else:
        json_tag = tag
    params["tag"] = json_tag

    json_q: None | str | Unset
    if isinstance(q, Unset):
        json_q = UNSET
    else:
        json_q = q
    params["q"] = json_q

    json_created_from: None | str | Unset
    if isinstance(created_from, Unset):
        json_created_from = UNSET
    elif isinstance(created_from, datetime.datetime):
        json_created_from = created_from.isoformat()
    else:
        json_created_from = created_from
    params["createdFrom"] = json_created_from

    json_created_to: None | str | Unset
    if isinstance(created_to, Unset):
        json_created_to = UNSET
    elif isinstance(created_to, datetime.datetime):
        json_created_to = created_to.isoformat()
    else:
        json_created_to = created_to
    params["createdTo"] = json_created_to

    json_score_min: int | None | Unset
    if isinstance(score_min, Unset):
        json_score_min = UNSET
    else:
        json_score_min = score_min
    params["scoreMin"] = json_score_min

    json_follow_up_before: None | str | Unset
    if isinstance(follow_up_before, Unset):
        json_follow_up_before = UNSET
    elif isinstance(follow_up_before, datetime.date):
        json_follow_up_before = follow_up_before.isoformat()
    else:
        json_follow_up_before = follow_up_before
    params["followUpBefore"] = json_follow_up_before

    params["limit"] = limit

    params["offset"] = offset

    json_sort: None | str | Unset
    if isinstance(sort, Unset):
        json_sort = UNSET
    elif isinstance(sort, ListLeadsSortType0):
        json_sort = sort.value
    else:
        json_sort = sort
    params["sort"] = json_sort

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/orgs/{org_id}/leads".format(
            org_id=quote(str(org_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LeadPage | Problem | RetryLaterProblem | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = LeadPage.from_dict(response.json())

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
) -> Response[LeadPage | Problem | RetryLaterProblem | ValidationProblem]:
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
    status: list[LeadStatus] | None | Unset = UNSET,
    owner_id: None | Unset | UUID = UNSET,
    source: LeadSource | None | Unset = UNSET,
    tag: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    created_from: datetime.datetime | None | Unset = UNSET,
    created_to: datetime.datetime | None | Unset = UNSET,
    score_min: int | None | Unset = UNSET,
    follow_up_before: datetime.date | None | Unset = UNSET,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    sort: ListLeadsSortType0 | None | Unset = UNSET,
) -> Response[LeadPage | Problem | RetryLaterProblem | ValidationProblem]:
    """Search leads: filters, sort and pages

    Args:
        org_id (UUID):
        status (list[LeadStatus] | None | Unset): Repeat it or separate by commas:
            status=new,contacted
        owner_id (None | Unset | UUID):
        source (LeadSource | None | Unset):
        tag (None | str | Unset):
        q (None | str | Unset): Words (up to 5), each a substring of the first or last name, email
            or company
        created_from (datetime.datetime | None | Unset):
        created_to (datetime.datetime | None | Unset): Inclusive upper bound
        score_min (int | None | Unset):
        follow_up_before (datetime.date | None | Unset): Next follow-up strictly before this date
        limit (int | Unset): Items per page Default: 20.
        offset (int | Unset): Items to skip Default: 0.
        sort (ListLeadsSortType0 | None | Unset): createdAt, updatedAt, score, lastName, company,
            nextFollowUp, estimatedValue or status; prefix - for descending. Default -createdAt

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LeadPage | Problem | RetryLaterProblem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        status=status,
        owner_id=owner_id,
        source=source,
        tag=tag,
        q=q,
        created_from=created_from,
        created_to=created_to,
        score_min=score_min,
        follow_up_before=follow_up_before,
        limit=limit,
        offset=offset,
        sort=sort,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    org_id: UUID,
    *,
    client: AuthenticatedClient,
    status: list[LeadStatus] | None | Unset = UNSET,
    owner_id: None | Unset | UUID = UNSET,
    source: LeadSource | None | Unset = UNSET,
    tag: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    created_from: datetime.datetime | None | Unset = UNSET,
    created_to: datetime.datetime | None | Unset = UNSET,
    score_min: int | None | Unset = UNSET,
    follow_up_before: datetime.date | None | Unset = UNSET,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    sort: ListLeadsSortType0 | None | Unset = UNSET,
) -> LeadPage | Problem | RetryLaterProblem | ValidationProblem | None:
    """Search leads: filters, sort and pages

    Args:
        org_id (UUID):
        status (list[LeadStatus] | None | Unset): Repeat it or separate by commas:
            status=new,contacted
        owner_id (None | Unset | UUID):
        source (LeadSource | None | Unset):
        tag (None | str | Unset):
        q (None | str | Unset): Words (up to 5), each a substring of the first or last name, email
            or company
        created_from (datetime.datetime | None | Unset):
        created_to (datetime.datetime | None | Unset): Inclusive upper bound
        score_min (int | None | Unset):
        follow_up_before (datetime.date | None | Unset): Next follow-up strictly before this date
        limit (int | Unset): Items per page Default: 20.
        offset (int | Unset): Items to skip Default: 0.
        sort (ListLeadsSortType0 | None | Unset): createdAt, updatedAt, score, lastName, company,
            nextFollowUp, estimatedValue or status; prefix - for descending. Default -createdAt

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LeadPage | Problem | RetryLaterProblem | ValidationProblem
    """

    return sync_detailed(
        org_id=org_id,
        client=client,
        status=status,
        owner_id=owner_id,
        source=source,
        tag=tag,
        q=q,
        created_from=created_from,
        created_to=created_to,
        score_min=score_min,
        follow_up_before=follow_up_before,
        limit=limit,
        offset=offset,
        sort=sort,
    ).parsed


async def asyncio_detailed(
    org_id: UUID,
    *,
    client: AuthenticatedClient,
    status: list[LeadStatus] | None | Unset = UNSET,
    owner_id: None | Unset | UUID = UNSET,
    source: LeadSource | None | Unset = UNSET,
    tag: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    created_from: datetime.datetime | None | Unset = UNSET,
    created_to: datetime.datetime | None | Unset = UNSET,
    score_min: int | None | Unset = UNSET,
    follow_up_before: datetime.date | None | Unset = UNSET,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    sort: ListLeadsSortType0 | None | Unset = UNSET,
) -> Response[LeadPage | Problem | RetryLaterProblem | ValidationProblem]:
    """Search leads: filters, sort and pages

    Args:
        org_id (UUID):
        status (list[LeadStatus] | None | Unset): Repeat it or separate by commas:
            status=new,contacted
        owner_id (None | Unset | UUID):
        source (LeadSource | None | Unset):
        tag (None | str | Unset):
        q (None | str | Unset): Words (up to 5), each a substring of the first or last name, email
            or company
        created_from (datetime.datetime | None | Unset):
        created_to (datetime.datetime | None | Unset): Inclusive upper bound
        score_min (int | None | Unset):
        follow_up_before (datetime.date | None | Unset): Next follow-up strictly before this date
        limit (int | Unset): Items per page Default: 20.
        offset (int | Unset): Items to skip Default: 0.
        sort (ListLeadsSortType0 | None | Unset): createdAt, updatedAt, score, lastName, company,
            nextFollowUp, estimatedValue or status; prefix - for descending. Default -createdAt

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LeadPage | Problem | RetryLaterProblem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        status=status,
        owner_id=owner_id,
        source=source,
        tag=tag,
        q=q,
        created_from=created_from,
        created_to=created_to,
        score_min=score_min,
        follow_up_before=follow_up_before,
        limit=limit,
        offset=offset,
        sort=sort,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org_id: UUID,
    *,
    client: AuthenticatedClient,
    status: list[LeadStatus] | None | Unset = UNSET,
    owner_id: None | Unset | UUID = UNSET,
    source: LeadSource | None | Unset = UNSET,
    tag: None | str | Unset = UNSET,
    q: None | str | Unset = UNSET,
    created_from: datetime.datetime | None | Unset = UNSET,
    created_to: datetime.datetime | None | Unset = UNSET,
    score_min: int | None | Unset = UNSET,
    follow_up_before: datetime.date | None | Unset = UNSET,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
    sort: ListLeadsSortType0 | None | Unset = UNSET,
) -> LeadPage | Problem | RetryLaterProblem | ValidationProblem | None:
    """Search leads: filters, sort and pages

    Args:
        org_id (UUID):
        status (list[LeadStatus] | None | Unset): Repeat it or separate by commas:
            status=new,contacted
        owner_id (None | Unset | UUID):
        source (LeadSource | None | Unset):
        tag (None | str | Unset):
        q (None | str | Unset): Words (up to 5), each a substring of the first or last name, email
            or company
        created_from (datetime.datetime | None | Unset):
        created_to (datetime.datetime | None | Unset): Inclusive upper bound
        score_min (int | None | Unset):
        follow_up_before (datetime.date | None | Unset): Next follow-up strictly before this date
        limit (int | Unset): Items per page Default: 20.
        offset (int | Unset): Items to skip Default: 0.
        sort (ListLeadsSortType0 | None | Unset): createdAt, updatedAt, score, lastName, company,
            nextFollowUp, estimatedValue or status; prefix - for descending. Default -createdAt

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LeadPage | Problem | RetryLaterProblem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            org_id=org_id,
            client=client,
            status=status,
            owner_id=owner_id,
            source=source,
            tag=tag,
            q=q,
            created_from=created_from,
            created_to=created_to,
            score_min=score_min,
            follow_up_before=follow_up_before,
            limit=limit,
            offset=offset,
            sort=sort,
        )
    ).parsed
