from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.media_type_problem import MediaTypeProblem
from ...models.problem import Problem
from ...models.public_request_accepted import PublicRequestAccepted
from ...models.retry_later_problem import RetryLaterProblem
from ...models.validation_problem import ValidationProblem
from ...models.verify_code_request import VerifyCodeRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    org_id: UUID,
    request_id: UUID,
    *,
    body: VerifyCodeRequest,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/public/orgs/{org_id}/privacy/requests/{request_id}/verify".format(
            org_id=quote(str(org_id), safe=""),
            request_id=quote(str(request_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> MediaTypeProblem | Problem | PublicRequestAccepted | RetryLaterProblem | ValidationProblem | None:
    if response.status_code == 200:
        response_200 = PublicRequestAccepted.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

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

    if response.status_code == 429:
        response_429 = RetryLaterProblem.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = RetryLaterProblem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[MediaTypeProblem | Problem | PublicRequestAccepted | RetryLaterProblem | ValidationProblem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    org_id: UUID,
    request_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: VerifyCodeRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[MediaTypeProblem | Problem | PublicRequestAccepted | RetryLaterProblem | ValidationProblem]:
    """Enter the mailed code (valid 10 minutes, 5 attempts)

     422 `verification-failed` for a wrong code (attempts left in the message); 409
    `verification-expired` once the code is 10 minutes old or was tried 5 times; 429
    `rate-limited` (with `Retry-After`) past 20 attempts an hour from one client address.

    Args:
        org_id (UUID):
        request_id (UUID):
        idempotency_key (str | Unset):
        body (VerifyCodeRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MediaTypeProblem | Problem | PublicRequestAccepted | RetryLaterProblem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        request_id=request_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    org_id: UUID,
    request_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: VerifyCodeRequest,
    idempotency_key: str | Unset = UNSET,
) -> MediaTypeProblem | Problem | PublicRequestAccepted | RetryLaterProblem | ValidationProblem | None:
    """Enter the mailed code (valid 10 minutes, 5 attempts)

     422 `verification-failed` for a wrong code (attempts left in the message); 409
    `verification-expired` once the code is 10 minutes old or was tried 5 times; 429
    `rate-limited` (with `Retry-After`) past 20 attempts an hour from one client address.

    Args:
        org_id (UUID):
        request_id (UUID):
        idempotency_key (str | Unset):
        body (VerifyCodeRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MediaTypeProblem | Problem | PublicRequestAccepted | RetryLaterProblem | ValidationProblem
    """

    return sync_detailed(
        org_id=org_id,
        request_id=request_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    org_id: UUID,
    request_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: VerifyCodeRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[MediaTypeProblem | Problem | PublicRequestAccepted | RetryLaterProblem | ValidationProblem]:
    """Enter the mailed code (valid 10 minutes, 5 attempts)

     422 `verification-failed` for a wrong code (attempts left in the message); 409
    `verification-expired` once the code is 10 minutes old or was tried 5 times; 429
    `rate-limited` (with `Retry-After`) past 20 attempts an hour from one client address.

    Args:
        org_id (UUID):
        request_id (UUID):
        idempotency_key (str | Unset):
        body (VerifyCodeRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MediaTypeProblem | Problem | PublicRequestAccepted | RetryLaterProblem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        request_id=request_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org_id: UUID,
    request_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: VerifyCodeRequest,
    idempotency_key: str | Unset = UNSET,
) -> MediaTypeProblem | Problem | PublicRequestAccepted | RetryLaterProblem | ValidationProblem | None:
    """Enter the mailed code (valid 10 minutes, 5 attempts)

     422 `verification-failed` for a wrong code (attempts left in the message); 409
    `verification-expired` once the code is 10 minutes old or was tried 5 times; 429
    `rate-limited` (with `Retry-After`) past 20 attempts an hour from one client address.

    Args:
        org_id (UUID):
        request_id (UUID):
        idempotency_key (str | Unset):
        body (VerifyCodeRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MediaTypeProblem | Problem | PublicRequestAccepted | RetryLaterProblem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            org_id=org_id,
            request_id=request_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
