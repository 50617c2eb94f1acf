import datetime
from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.invoice_status import InvoiceStatus
from ...models.problem import Problem
from ...models.retry_later_problem import RetryLaterProblem
from ...models.staff_invoice_page import StaffInvoicePage
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: InvoiceStatus | None | Unset = UNSET,
    organization_id: None | Unset | UUID = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    tax_mismatch: bool | None | Unset = UNSET,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, InvoiceStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_organization_id: None | str | Unset
    if isinstance(organization_id, Unset):
        json_organization_id = UNSET
    elif isinstance(organization_id, UUID):
        json_organization_id = str(organization_id)
    else:
        json_organization_id = organization_id
    params["organizationId"] = json_organization_id

    json_from_: None | str | Unset
    if isinstance(from_, Unset):
        json_from_ = UNSET
    elif isinstance(from_, datetime.date):
        json_from_ = from_.isoformat()
    else:
        json_from_ = from_
    params["from"] = json_from_

    json_to: None | str | Unset
    if isinstance(to, Unset):
        json_to = UNSET
    elif isinstance(to, datetime.date):
        json_to = to.isoformat()
    else:
        json_to = to
    params["to"] = json_to

    json_tax_mismatch: bool | None | Unset
    if isinstance(tax_mismatch, Unset):
        json_tax_mismatch = UNSET
    else:
        json_tax_mismatch = tax_mismatch
    params["taxMismatch"] = json_tax_mismatch

    params["limit"] = limit

    params["offset"] = offset

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/admin/invoices",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | RetryLaterProblem | StaffInvoicePage | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = StaffInvoicePage.from_dict(response.json())

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
) -> Response[Problem | RetryLaterProblem | StaffInvoicePage | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: InvoiceStatus | None | Unset = UNSET,
    organization_id: None | Unset | UUID = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    tax_mismatch: bool | None | Unset = UNSET,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
) -> Response[Problem | RetryLaterProblem | StaffInvoicePage | ValidationProblem]:
    """Every organisation's invoices, newest first (staff)

    Args:
        status (InvoiceStatus | None | Unset):
        organization_id (None | Unset | UUID):
        from_ (datetime.date | None | Unset): Issued on or after
        to (datetime.date | None | Unset): Issued on or before
        tax_mismatch (bool | None | Unset): Gateway invoices whose tax differs from our GST
        limit (int | Unset): Items per page Default: 20.
        offset (int | Unset): Items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RetryLaterProblem | StaffInvoicePage | ValidationProblem]
    """

    kwargs = _get_kwargs(
        status=status,
        organization_id=organization_id,
        from_=from_,
        to=to,
        tax_mismatch=tax_mismatch,
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
    status: InvoiceStatus | None | Unset = UNSET,
    organization_id: None | Unset | UUID = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    tax_mismatch: bool | None | Unset = UNSET,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
) -> Problem | RetryLaterProblem | StaffInvoicePage | ValidationProblem | None:
    """Every organisation's invoices, newest first (staff)

    Args:
        status (InvoiceStatus | None | Unset):
        organization_id (None | Unset | UUID):
        from_ (datetime.date | None | Unset): Issued on or after
        to (datetime.date | None | Unset): Issued on or before
        tax_mismatch (bool | None | Unset): Gateway invoices whose tax differs from our GST
        limit (int | Unset): Items per page Default: 20.
        offset (int | Unset): Items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RetryLaterProblem | StaffInvoicePage | ValidationProblem
    """

    return sync_detailed(
        client=client,
        status=status,
        organization_id=organization_id,
        from_=from_,
        to=to,
        tax_mismatch=tax_mismatch,
        limit=limit,
        offset=offset,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: InvoiceStatus | None | Unset = UNSET,
    organization_id: None | Unset | UUID = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    tax_mismatch: bool | None | Unset = UNSET,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
) -> Response[Problem | RetryLaterProblem | StaffInvoicePage | ValidationProblem]:
    """Every organisation's invoices, newest first (staff)

    Args:
        status (InvoiceStatus | None | Unset):
        organization_id (None | Unset | UUID):
        from_ (datetime.date | None | Unset): Issued on or after
        to (datetime.date | None | Unset): Issued on or before
        tax_mismatch (bool | None | Unset): Gateway invoices whose tax differs from our GST
        limit (int | Unset): Items per page Default: 20.
        offset (int | Unset): Items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RetryLaterProblem | StaffInvoicePage | ValidationProblem]
    """

    kwargs = _get_kwargs(
        status=status,
        organization_id=organization_id,
        from_=from_,
        to=to,
        tax_mismatch=tax_mismatch,
        limit=limit,
        offset=offset,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    status: InvoiceStatus | None | Unset = UNSET,
    organization_id: None | Unset | UUID = UNSET,
    from_: datetime.date | None | Unset = UNSET,
    to: datetime.date | None | Unset = UNSET,
    tax_mismatch: bool | None | Unset = UNSET,
    limit: int | Unset = 20,
    offset: int | Unset = 0,
) -> Problem | RetryLaterProblem | StaffInvoicePage | ValidationProblem | None:
    """Every organisation's invoices, newest first (staff)

    Args:
        status (InvoiceStatus | None | Unset):
        organization_id (None | Unset | UUID):
        from_ (datetime.date | None | Unset): Issued on or after
        to (datetime.date | None | Unset): Issued on or before
        tax_mismatch (bool | None | Unset): Gateway invoices whose tax differs from our GST
        limit (int | Unset): Items per page Default: 20.
        offset (int | Unset): Items to skip Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RetryLaterProblem | StaffInvoicePage | ValidationProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            organization_id=organization_id,
            from_=from_,
            to=to,
            tax_mismatch=tax_mismatch,
            limit=limit,
            offset=offset,
        )
    ).parsed
