from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.media_type_problem import MediaTypeProblem
from ...models.problem import Problem
from ...models.retry_later_problem import RetryLaterProblem
from ...models.staff_invoice_response import StaffInvoiceResponse
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    invoice_id: UUID,
    *,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/admin/invoices/{invoice_id}/send".format(
            invoice_id=quote(str(invoice_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> MediaTypeProblem | Problem | RetryLaterProblem | StaffInvoiceResponse | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = StaffInvoiceResponse.from_dict(response.json())

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
    invoice_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> Response[MediaTypeProblem | Problem | RetryLaterProblem | StaffInvoiceResponse | ValidationProblem]:
    """Mail the invoice's PDF to the customer's billing email (staff)

    Args:
        invoice_id (UUID):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MediaTypeProblem | Problem | RetryLaterProblem | StaffInvoiceResponse | ValidationProblem]
    """

    kwargs = _get_kwargs(
        invoice_id=invoice_id,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    invoice_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> MediaTypeProblem | Problem | RetryLaterProblem | StaffInvoiceResponse | ValidationProblem | None:
    """Mail the invoice's PDF to the customer's billing email (staff)

    Args:
        invoice_id (UUID):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MediaTypeProblem | Problem | RetryLaterProblem | StaffInvoiceResponse | ValidationProblem
    """

    return sync_detailed(
        invoice_id=invoice_id,
        client=client,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    invoice_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> Response[MediaTypeProblem | Problem | RetryLaterProblem | StaffInvoiceResponse | ValidationProblem]:
    """Mail the invoice's PDF to the customer's billing email (staff)

    Args:
        invoice_id (UUID):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MediaTypeProblem | Problem | RetryLaterProblem | StaffInvoiceResponse | ValidationProblem]
    """

    kwargs = _get_kwargs(
        invoice_id=invoice_id,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    invoice_id: UUID,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> MediaTypeProblem | Problem | RetryLaterProblem | StaffInvoiceResponse | ValidationProblem | None:
    """Mail the invoice's PDF to the customer's billing email (staff)

    Args:
        invoice_id (UUID):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MediaTypeProblem | Problem | RetryLaterProblem | StaffInvoiceResponse | ValidationProblem
    """

    return (
        await asyncio_detailed(
            invoice_id=invoice_id,
            client=client,
            idempotency_key=idempotency_key,
        )
    ).parsed
