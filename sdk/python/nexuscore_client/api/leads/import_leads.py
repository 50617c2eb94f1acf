from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.import_form import ImportForm
from ...models.import_preview_response import ImportPreviewResponse
from ...models.lead_import_response import LeadImportResponse
from ...models.media_type_problem import MediaTypeProblem
from ...models.problem import Problem
from ...models.quota_problem import QuotaProblem
from ...models.retry_later_problem import RetryLaterProblem
from ...models.validation_problem import ValidationProblem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    org_id: UUID,
    *,
    body: ImportForm,
    dry_run: bool | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    params: dict[str, Any] = {}

    json_dry_run: bool | None | Unset
    if isinstance(dry_run, Unset):
        json_dry_run = UNSET
    else:
        json_dry_run = dry_run
    params["dryRun"] = json_dry_run

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/orgs/{org_id}/leads/imports".format(
            org_id=quote(str(org_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    ImportPreviewResponse
    | LeadImportResponse
    | MediaTypeProblem
    | Problem
    | QuotaProblem
    | RetryLaterProblem
    | ValidationProblem
    | None
):
    if response.status_code == 200:
        response_200 = ImportPreviewResponse.from_dict(response.json())

        return response_200

    if response.status_code == 202:
        response_202 = LeadImportResponse.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 402:
        response_402 = QuotaProblem.from_dict(response.json())

        return response_402

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
) -> Response[
    ImportPreviewResponse
    | LeadImportResponse
    | MediaTypeProblem
    | Problem
    | QuotaProblem
    | RetryLaterProblem
    | ValidationProblem
]:
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
    body: ImportForm,
    dry_run: bool | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[
    ImportPreviewResponse
    | LeadImportResponse
    | MediaTypeProblem
    | Problem
    | QuotaProblem
    | RetryLaterProblem
    | ValidationProblem
]:
    """Import leads from a CSV file (admin or owner); dryRun=true previews it

     UTF-8 CSV, at most 10 MB and 50,000 rows (413 beyond). Columns, camelCase or human
    ("First Name"), case-insensitive: firstName (required), lastName, email, phone, company,
    companyUen/UEN, jobTitle, source (default import), tags (";"-separated), estimatedValue,
    nextFollowUp (YYYY-MM-DD), marketingConsent (yes/no/true/false), dncStatus, dncCheckedAt.

    With dryRun=true (form field or query parameter): 200 with totals, per-row errors and
    duplicates. Otherwise the header and size are checked now, the job is queued and 202
    answers with it (Location: the job). A row is imported whole or listed in the report; rows
    whose email or phone is taken (by a lead or an earlier row) are reported as duplicates.
    402 `quota-exceeded` (with `limit`) when the import would pass the organisation's lead
    limit; 400 `malformed-csv` when the file is not UTF-8 CSV text; 415 for a body that is not
    multipart/form-data; 422 for a missing file, header column or data rows, or a query
    `dryRun` that contradicts the form's.

    Args:
        org_id (UUID):
        dry_run (bool | None | Unset): The same as the form field `dryRun`; give either, or both
            alike
        idempotency_key (str | Unset):
        body (ImportForm):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImportPreviewResponse | LeadImportResponse | MediaTypeProblem | Problem | QuotaProblem | RetryLaterProblem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        body=body,
        dry_run=dry_run,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    org_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ImportForm,
    dry_run: bool | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> (
    ImportPreviewResponse
    | LeadImportResponse
    | MediaTypeProblem
    | Problem
    | QuotaProblem
    | RetryLaterProblem
    | ValidationProblem
    | None
):
    """Import leads from a CSV file (admin or owner); dryRun=true previews it

     UTF-8 CSV, at most 10 MB and 50,000 rows (413 beyond). Columns, camelCase or human
    ("First Name"), case-insensitive: firstName (required), lastName, email, phone, company,
    companyUen/UEN, jobTitle, source (default import), tags (";"-separated), estimatedValue,
    nextFollowUp (YYYY-MM-DD), marketingConsent (yes/no/true/false), dncStatus, dncCheckedAt.

    With dryRun=true (form field or query parameter): 200 with totals, per-row errors and
    duplicates. Otherwise the header and size are checked now, the job is queued and 202
    answers with it (Location: the job). A row is imported whole or listed in the report; rows
    whose email or phone is taken (by a lead or an earlier row) are reported as duplicates.
    402 `quota-exceeded` (with `limit`) when the import would pass the organisation's lead
    limit; 400 `malformed-csv` when the file is not UTF-8 CSV text; 415 for a body that is not
    multipart/form-data; 422 for a missing file, header column or data rows, or a query
    `dryRun` that contradicts the form's.

    Args:
        org_id (UUID):
        dry_run (bool | None | Unset): The same as the form field `dryRun`; give either, or both
            alike
        idempotency_key (str | Unset):
        body (ImportForm):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImportPreviewResponse | LeadImportResponse | MediaTypeProblem | Problem | QuotaProblem | RetryLaterProblem | ValidationProblem
    """

    return sync_detailed(
        org_id=org_id,
        client=client,
        body=body,
        dry_run=dry_run,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    org_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ImportForm,
    dry_run: bool | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[
    ImportPreviewResponse
    | LeadImportResponse
    | MediaTypeProblem
    | Problem
    | QuotaProblem
    | RetryLaterProblem
    | ValidationProblem
]:
    """Import leads from a CSV file (admin or owner); dryRun=true previews it

     UTF-8 CSV, at most 10 MB and 50,000 rows (413 beyond). Columns, camelCase or human
    ("First Name"), case-insensitive: firstName (required), lastName, email, phone, company,
    companyUen/UEN, jobTitle, source (default import), tags (";"-separated), estimatedValue,
    nextFollowUp (YYYY-MM-DD), marketingConsent (yes/no/true/false), dncStatus, dncCheckedAt.

    With dryRun=true (form field or query parameter): 200 with totals, per-row errors and
    duplicates. Otherwise the header and size are checked now, the job is queued and 202
    answers with it (Location: the job). A row is imported whole or listed in the report; rows
    whose email or phone is taken (by a lead or an earlier row) are reported as duplicates.
    402 `quota-exceeded` (with `limit`) when the import would pass the organisation's lead
    limit; 400 `malformed-csv` when the file is not UTF-8 CSV text; 415 for a body that is not
    multipart/form-data; 422 for a missing file, header column or data rows, or a query
    `dryRun` that contradicts the form's.

    Args:
        org_id (UUID):
        dry_run (bool | None | Unset): The same as the form field `dryRun`; give either, or both
            alike
        idempotency_key (str | Unset):
        body (ImportForm):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImportPreviewResponse | LeadImportResponse | MediaTypeProblem | Problem | QuotaProblem | RetryLaterProblem | ValidationProblem]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        body=body,
        dry_run=dry_run,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ImportForm,
    dry_run: bool | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> (
    ImportPreviewResponse
    | LeadImportResponse
    | MediaTypeProblem
    | Problem
    | QuotaProblem
    | RetryLaterProblem
    | ValidationProblem
    | None
):
    """Import leads from a CSV file (admin or owner); dryRun=true previews it

     UTF-8 CSV, at most 10 MB and 50,000 rows (413 beyond). Columns, camelCase or human
    ("First Name"), case-insensitive: firstName (required), lastName, email, phone, company,
    companyUen/UEN, jobTitle, source (default import), tags (";"-separated), estimatedValue,
    nextFollowUp (YYYY-MM-DD), marketingConsent (yes/no/true/false), dncStatus, dncCheckedAt.

    With dryRun=true (form field or query parameter): 200 with totals, per-row errors and
    duplicates. Otherwise the header and size are checked now, the job is queued and 202
    answers with it (Location: the job). A row is imported whole or listed in the report; rows
    whose email or phone is taken (by a lead or an earlier row) are reported as duplicates.
    402 `quota-exceeded` (with `limit`) when the import would pass the organisation's lead
    limit; 400 `malformed-csv` when the file is not UTF-8 CSV text; 415 for a body that is not
    multipart/form-data; 422 for a missing file, header column or data rows, or a query
    `dryRun` that contradicts the form's.

    Args:
        org_id (UUID):
        dry_run (bool | None | Unset): The same as the form field `dryRun`; give either, or both
            alike
        idempotency_key (str | Unset):
        body (ImportForm):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImportPreviewResponse | LeadImportResponse | MediaTypeProblem | Problem | QuotaProblem | RetryLaterProblem | ValidationProblem
    """

    return (
        await asyncio_detailed(
            org_id=org_id,
            client=client,
            body=body,
            dry_run=dry_run,
            idempotency_key=idempotency_key,
        )
    ).parsed
