from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_invoice_request import CreateInvoiceRequest
from ...models.media_type_problem import MediaTypeProblem
from ...models.problem import Problem
from ...models.retry_later_problem import RetryLaterProblem
from ...models.staff_invoice_response import StaffInvoiceResponse
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: CreateInvoiceRequest,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/admin/invoices",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> MediaTypeProblem | Problem | RetryLaterProblem | StaffInvoiceResponse | ValidationProblem | None:
    if response.status_code == 201:
        response_201 = StaffInvoiceResponse.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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
) -> Response[MediaTypeProblem | Problem | RetryLaterProblem | StaffInvoiceResponse | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateInvoiceRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[MediaTypeProblem | Problem | RetryLaterProblem | StaffInvoiceResponse | ValidationProblem]:
    """Draft a manual invoice (staff); no number until it is finalised

     `unitAmount` in minor units of `currency`, GST-exclusive; `quantity` a decimal string.
    422 when the organisation has no billing profile, or a tax category is not allowed on
    this supply (ZR needs the customer's overseas evidence; NG only for a supplier that is
    not GST-registered).

    Args:
        idempotency_key (str | Unset):
        body (CreateInvoiceRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MediaTypeProblem | Problem | RetryLaterProblem | StaffInvoiceResponse | ValidationProblem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: CreateInvoiceRequest,
    idempotency_key: str | Unset = UNSET,
) -> MediaTypeProblem | Problem | RetryLaterProblem | StaffInvoiceResponse | ValidationProblem | None:
    """Draft a manual invoice (staff); no number until it is finalised

     `unitAmount` in minor units of `currency`, GST-exclusive; `quantity` a decimal string.
    422 when the organisation has no billing profile, or a tax category is not allowed on
    this supply (ZR needs the customer's overseas evidence; NG only for a supplier that is
    not GST-registered).

    Args:
        idempotency_key (str | Unset):
        body (CreateInvoiceRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MediaTypeProblem | Problem | RetryLaterProblem | StaffInvoiceResponse | ValidationProblem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateInvoiceRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[MediaTypeProblem | Problem | RetryLaterProblem | StaffInvoiceResponse | ValidationProblem]:
    """Draft a manual invoice (staff); no number until it is finalised

     `unitAmount` in minor units of `currency`, GST-exclusive; `quantity` a decimal string.
    422 when the organisation has no billing profile, or a tax category is not allowed on
    this supply (ZR needs the customer's overseas evidence; NG only for a supplier that is
    not GST-registered).

    Args:
        idempotency_key (str | Unset):
        body (CreateInvoiceRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MediaTypeProblem | Problem | RetryLaterProblem | StaffInvoiceResponse | ValidationProblem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CreateInvoiceRequest,
    idempotency_key: str | Unset = UNSET,
) -> MediaTypeProblem | Problem | RetryLaterProblem | StaffInvoiceResponse | ValidationProblem | None:
    """Draft a manual invoice (staff); no number until it is finalised

     `unitAmount` in minor units of `currency`, GST-exclusive; `quantity` a decimal string.
    422 when the organisation has no billing profile, or a tax category is not allowed on
    this supply (ZR needs the customer's overseas evidence; NG only for a supplier that is
    not GST-registered).

    Args:
        idempotency_key (str | Unset):
        body (CreateInvoiceRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MediaTypeProblem | Problem | RetryLaterProblem | StaffInvoiceResponse | ValidationProblem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
