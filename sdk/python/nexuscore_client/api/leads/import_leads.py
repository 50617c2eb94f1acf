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
from ...types import Response


def _get_kwargs(
    org_id: UUID,
    *,
    body: ImportForm,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/orgs/{org_id}/leads/imports".format(
            org_id=quote(str(org_id), safe=""),
        ),
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ImportPreviewResponse | ImportPreviewResponse | LeadImportResponse | None:
    if response.status_code == 200:
        response_200 = ImportPreviewResponse.from_dict(response.json())

        return response_200

    if response.status_code == 202:

        def _parse_response_202(data: object) -> ImportPreviewResponse | LeadImportResponse:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_202_type_0 = LeadImportResponse.from_dict(data)

                return response_202_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_202_type_1 = ImportPreviewResponse.from_dict(data)

            return response_202_type_1

        response_202 = _parse_response_202(response.json())

        return response_202

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ImportPreviewResponse | ImportPreviewResponse | LeadImportResponse]:
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
) -> Response[ImportPreviewResponse | ImportPreviewResponse | LeadImportResponse]:
    """Import leads from a CSV file (admin or owner); dryRun=true previews it

     UTF-8 CSV, at most 10 MB and 50,000 rows (413 beyond). Columns, camelCase or human
    ("First Name"), case-insensitive: firstName (required), lastName, email, phone, company,
    companyUen/UEN, jobTitle, source (default import), tags (";"-separated), estimatedValue,
    nextFollowUp (YYYY-MM-DD), marketingConsent (yes/no/true/false), dncStatus, dncCheckedAt.

    With dryRun=true: 200 with totals, per-row errors and duplicates. Otherwise the header and
    size are checked now, the job is queued and 202 answers with it (Location: the job). A row
    is imported whole or listed in the report; rows whose email or phone is taken (by a lead or
    an earlier row) are reported as duplicates. 402 `quota-exceeded` (with `limit`) when the
    import would pass the organisation's lead limit; 400 `malformed-csv` when the file is not
    UTF-8 CSV text; 422 for a missing file, header column or data rows.

    Args:
        org_id (UUID):
        body (ImportForm):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImportPreviewResponse | ImportPreviewResponse | LeadImportResponse]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        body=body,
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
) -> ImportPreviewResponse | ImportPreviewResponse | LeadImportResponse | None:
    """Import leads from a CSV file (admin or owner); dryRun=true previews it

     UTF-8 CSV, at most 10 MB and 50,000 rows (413 beyond). Columns, camelCase or human
    ("First Name"), case-insensitive: firstName (required), lastName, email, phone, company,
    companyUen/UEN, jobTitle, source (default import), tags (";"-separated), estimatedValue,
    nextFollowUp (YYYY-MM-DD), marketingConsent (yes/no/true/false), dncStatus, dncCheckedAt.

    With dryRun=true: 200 with totals, per-row errors and duplicates. Otherwise the header and
    size are checked now, the job is queued and 202 answers with it (Location: the job). A row
    is imported whole or listed in the report; rows whose email or phone is taken (by a lead or
    an earlier row) are reported as duplicates. 402 `quota-exceeded` (with `limit`) when the
    import would pass the organisation's lead limit; 400 `malformed-csv` when the file is not
    UTF-8 CSV text; 422 for a missing file, header column or data rows.

    Args:
        org_id (UUID):
        body (ImportForm):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImportPreviewResponse | ImportPreviewResponse | LeadImportResponse
    """

    return sync_detailed(
        org_id=org_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    org_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ImportForm,
) -> Response[ImportPreviewResponse | ImportPreviewResponse | LeadImportResponse]:
    """Import leads from a CSV file (admin or owner); dryRun=true previews it

     UTF-8 CSV, at most 10 MB and 50,000 rows (413 beyond). Columns, camelCase or human
    ("First Name"), case-insensitive: firstName (required), lastName, email, phone, company,
    companyUen/UEN, jobTitle, source (default import), tags (";"-separated), estimatedValue,
    nextFollowUp (YYYY-MM-DD), marketingConsent (yes/no/true/false), dncStatus, dncCheckedAt.

    With dryRun=true: 200 with totals, per-row errors and duplicates. Otherwise the header and
    size are checked now, the job is queued and 202 answers with it (Location: the job). A row
    is imported whole or listed in the report; rows whose email or phone is taken (by a lead or
    an earlier row) are reported as duplicates. 402 `quota-exceeded` (with `limit`) when the
    import would pass the organisation's lead limit; 400 `malformed-csv` when the file is not
    UTF-8 CSV text; 422 for a missing file, header column or data rows.

    Args:
        org_id (UUID):
        body (ImportForm):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImportPreviewResponse | ImportPreviewResponse | LeadImportResponse]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ImportForm,
) -> ImportPreviewResponse | ImportPreviewResponse | LeadImportResponse | None:
    """Import leads from a CSV file (admin or owner); dryRun=true previews it

     UTF-8 CSV, at most 10 MB and 50,000 rows (413 beyond). Columns, camelCase or human
    ("First Name"), case-insensitive: firstName (required), lastName, email, phone, company,
    companyUen/UEN, jobTitle, source (default import), tags (";"-separated), estimatedValue,
    nextFollowUp (YYYY-MM-DD), marketingConsent (yes/no/true/false), dncStatus, dncCheckedAt.

    With dryRun=true: 200 with totals, per-row errors and duplicates. Otherwise the header and
    size are checked now, the job is queued and 202 answers with it (Location: the job). A row
    is imported whole or listed in the report; rows whose email or phone is taken (by a lead or
    an earlier row) are reported as duplicates. 402 `quota-exceeded` (with `limit`) when the
    import would pass the organisation's lead limit; 400 `malformed-csv` when the file is not
    UTF-8 CSV text; 422 for a missing file, header column or data rows.

    Args:
        org_id (UUID):
        body (ImportForm):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImportPreviewResponse | ImportPreviewResponse | LeadImportResponse
    """

    return (
        await asyncio_detailed(
            org_id=org_id,
            client=client,
            body=body,
        )
    ).parsed
