from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.gst_report_response import GstReportResponse
from ...models.problem import Problem
from ...models.retry_later_problem import RetryLaterProblem
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    period: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_period: None | str | Unset
    if isinstance(period, Unset):
        json_period = UNSET
    else:
        json_period = period
    params["period"] = json_period

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/admin/gst-report",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> GstReportResponse | Problem | RetryLaterProblem | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = GstReportResponse.from_dict(response.json())

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
) -> Response[GstReportResponse | Problem | RetryLaterProblem | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    period: None | str | Unset = UNSET,
) -> Response[GstReportResponse | Problem | RetryLaterProblem | ValidationProblem]:
    """GST F5 helper for a quarter: boxes 1, 2, 3, 4 and 6 with their documents (staff)

     `period` is required (422 without it). Amounts in SGD cents; invoices by time of supply,
    credit notes (negative) by issue date; void invoices count nowhere.

    Args:
        period (None | str | Unset): A quarter like 2026Q3

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GstReportResponse | Problem | RetryLaterProblem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        period=period,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    period: None | str | Unset = UNSET,
) -> GstReportResponse | Problem | RetryLaterProblem | ValidationProblem | None:
    """GST F5 helper for a quarter: boxes 1, 2, 3, 4 and 6 with their documents (staff)

     `period` is required (422 without it). Amounts in SGD cents; invoices by time of supply,
    credit notes (negative) by issue date; void invoices count nowhere.

    Args:
        period (None | str | Unset): A quarter like 2026Q3

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GstReportResponse | Problem | RetryLaterProblem | ValidationProblem
    """

    return sync_detailed(
        client=client,
        period=period,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    period: None | str | Unset = UNSET,
) -> Response[GstReportResponse | Problem | RetryLaterProblem | ValidationProblem]:
    """GST F5 helper for a quarter: boxes 1, 2, 3, 4 and 6 with their documents (staff)

     `period` is required (422 without it). Amounts in SGD cents; invoices by time of supply,
    credit notes (negative) by issue date; void invoices count nowhere.

    Args:
        period (None | str | Unset): A quarter like 2026Q3

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GstReportResponse | Problem | RetryLaterProblem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        period=period,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    period: None | str | Unset = UNSET,
) -> GstReportResponse | Problem | RetryLaterProblem | ValidationProblem | None:
    """GST F5 helper for a quarter: boxes 1, 2, 3, 4 and 6 with their documents (staff)

     `period` is required (422 without it). Amounts in SGD cents; invoices by time of supply,
    credit notes (negative) by issue date; void invoices count nowhere.

    Args:
        period (None | str | Unset): A quarter like 2026Q3

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GstReportResponse | Problem | RetryLaterProblem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            period=period,
        )
    ).parsed
