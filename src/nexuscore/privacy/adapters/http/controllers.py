"""HTTP adapter of the privacy context: the data map and the requests about users (staff), and a
tenant's requests about its leads. Data subjects' own routes are in subject_controllers.py."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from nexuscore.identity.api import Principal
from nexuscore.kernel.errors import PermissionDenied
from nexuscore.kernel.paging import PageRequest
from nexuscore.kernel.tenancy import TenantContext
from nexuscore.leads.api import normalise_phone
from nexuscore.platform.http.problem_docs import CONFLICT, FORBIDDEN, problems
from nexuscore.platform.http.structs import Limit, Offset
from nexuscore.privacy.adapters.http.dependencies import (
    provide_privacy_staff_uow,
    provide_privacy_tenant_uow,
)
from nexuscore.privacy.adapters.http.responses import (
    BEARER,
    ZIP,
    ZIP_RESPONSE,
    Services,
    Uow,
    request_response,
    zip_response,
)
from nexuscore.privacy.adapters.http.schemas import (
    CompleteRequest,
    CreatePrivacyRequest,
    DataMapFieldResponse,
    DataMapResponse,
    DenyRequest,
    ExtendRequest,
    PrivacyRequestPage,
    PrivacyRequestResponse,
)
from nexuscore.privacy.adapters.http.state import privacy_state
from nexuscore.privacy.application import processing, requests
from nexuscore.privacy.application.data_map import data_map
from nexuscore.privacy.domain.requests import ReceivedVia, RequestStatus


class PrivacyAdminController(Controller):
    path = "/api/v1/admin/privacy"
    tags = ["privacy"]
    security = BEARER
    opt = problems(FORBIDDEN)  # staff only

    @get("/data-map", summary="The personal data map: every personal field each context holds (staff)")
    async def get_data_map(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal]
    ) -> DataMapResponse:
        if not principal.is_staff:
            raise PermissionDenied("Staff only.")
        entries = data_map(privacy_state(request).data_map)
        return DataMapResponse(fields=[DataMapFieldResponse.of(e) for e in entries])


StatusFilter = Annotated[RequestStatus | None, QueryParameter(description="Only requests in this status")]
OverdueFilter = Annotated[
    bool | None, QueryParameter(description="true: open and past their due date; false: the others")
]


class PlatformPrivacyRequestsController(Controller):
    """Requests about users (the platform is responsible; e.g. `DELETE /api/v1/me`): staff
    list them and retry one in error. A tenant's request is not found here."""

    path = "/api/v1/admin/privacy/requests"
    tags = ["privacy"]
    security = BEARER
    opt = problems(FORBIDDEN)  # staff only
    dependencies = {"privacy_uow": Provide(provide_privacy_staff_uow)}  # staff first, then the session

    @get("/", summary="Privacy requests about users, most urgent first (staff)")
    async def list_platform_privacy_requests(
        self,
        privacy_records_staff: NamedDependency[Principal],
        privacy_uow: Uow,
        privacy_services: Services,
        status: StatusFilter = None,
        overdue: OverdueFilter = None,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> PrivacyRequestPage:
        page = await requests.page_platform_requests(
            privacy_uow, privacy_services, status=status, overdue=overdue, page=PageRequest(limit=limit, offset=offset)
        )
        return PrivacyRequestPage.of(page, lambda r: request_response(r, privacy_services))

    @post(
        "/{request_id:uuid}/retry",
        status_code=HTTP_200_OK,
        summary="Run again the steps of a user's request in error that did not finish (staff)",
        opt=problems(CONFLICT),
    )
    async def retry_platform_privacy_request(
        self,
        request_id: FromPath[UUID],
        privacy_records_staff: NamedDependency[Principal],
        privacy_uow: Uow,
        privacy_services: Services,
    ) -> PrivacyRequestResponse:
        retried = await processing.retry_platform_request(
            privacy_uow, privacy_services, staff_user_id=privacy_records_staff.user_id, request_id=request_id
        )
        return request_response(retried, privacy_services)


class OrgPrivacyRequestsController(Controller):
    """A tenant's requests about its leads (admin or owner)."""

    path = "/api/v1/orgs/{org_id:uuid}/privacy/requests"
    tags = ["privacy"]
    security = BEARER
    dependencies = {"privacy_uow": Provide(provide_privacy_tenant_uow, sync_to_thread=False)}

    @post("/", status_code=HTTP_201_CREATED, summary="Record a request about a lead received by the organisation")
    async def create_privacy_request(
        self,
        org_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        data: JSONBody[CreatePrivacyRequest],
        privacy_uow: Uow,
        privacy_services: Services,
    ) -> PrivacyRequestResponse:
        phone = normalise_phone(data.subject.phone, field="subject.phone") if data.subject.phone else None
        created = await requests.submit_tenant_request(
            privacy_uow,
            privacy_services,
            tenant=tenant,
            data=requests.TenantRequestInput(
                kind=data.kind,
                received_via=ReceivedVia(data.received_via),
                email=data.subject.email,
                phone=phone,
                lead_id=data.subject.lead_id,
                notes=data.notes,
            ),
        )
        return request_response(created, privacy_services)

    @get("/", summary="The organisation's privacy requests, most urgent first (admin or owner)")
    async def list_privacy_requests(
        self,
        org_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        privacy_uow: Uow,
        privacy_services: Services,
        status: StatusFilter = None,
        overdue: OverdueFilter = None,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> PrivacyRequestPage:
        page = await requests.page_requests(
            privacy_uow, privacy_services, tenant=tenant, status=status, overdue=overdue,
            page=PageRequest(limit=limit, offset=offset),
        )  # fmt: skip
        return PrivacyRequestPage.of(page, lambda r: request_response(r, privacy_services))

    @get("/{request_id:uuid}", summary="A privacy request with its due date and history (admin or owner)")
    async def get_privacy_request(
        self,
        org_id: FromPath[UUID],
        request_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        privacy_uow: Uow,
        privacy_services: Services,
    ) -> PrivacyRequestResponse:
        return request_response(
            await requests.get_request(privacy_uow, tenant=tenant, request_id=request_id), privacy_services
        )

    @post(
        "/{request_id:uuid}/approve",
        status_code=HTTP_200_OK,
        summary="Approve a pending request; access and deletion then run in the worker",
        opt=problems(CONFLICT),
    )
    async def approve_privacy_request(
        self,
        org_id: FromPath[UUID],
        request_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        privacy_uow: Uow,
        privacy_services: Services,
    ) -> PrivacyRequestResponse:
        approved = await requests.approve(privacy_uow, privacy_services, tenant=tenant, request_id=request_id)
        return request_response(approved, privacy_services)

    @post(
        "/{request_id:uuid}/deny",
        status_code=HTTP_200_OK,
        summary="Deny a request, with the reason",
        opt=problems(CONFLICT),
    )
    async def deny_privacy_request(
        self,
        org_id: FromPath[UUID],
        request_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        data: JSONBody[DenyRequest],
        privacy_uow: Uow,
        privacy_services: Services,
    ) -> PrivacyRequestResponse:
        denied = await requests.deny(
            privacy_uow, privacy_services, tenant=tenant, request_id=request_id, reason=data.reason
        )
        return request_response(denied, privacy_services)

    @post(
        "/{request_id:uuid}/extend",
        status_code=HTTP_200_OK,
        summary="Move the due date (at most 60 days in all), with the reason",
        opt=problems(CONFLICT),
    )
    async def extend_privacy_request(
        self,
        org_id: FromPath[UUID],
        request_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        data: JSONBody[ExtendRequest],
        privacy_uow: Uow,
        privacy_services: Services,
    ) -> PrivacyRequestResponse:
        extended = await requests.extend(
            privacy_uow, privacy_services, tenant=tenant, request_id=request_id, reason=data.reason, days=data.days
        )
        return request_response(extended, privacy_services)

    @post(
        "/{request_id:uuid}/complete",
        status_code=HTTP_200_OK,
        summary="Mark a correction or consent withdrawal done (access and deletion complete by themselves)",
        opt=problems(CONFLICT),
    )
    async def complete_privacy_request(
        self,
        org_id: FromPath[UUID],
        request_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        data: JSONBody[CompleteRequest],
        privacy_uow: Uow,
        privacy_services: Services,
    ) -> PrivacyRequestResponse:
        done = await requests.complete_manually(
            privacy_uow, privacy_services, tenant=tenant, request_id=request_id, note=data.note
        )
        return request_response(done, privacy_services)

    @post(
        "/{request_id:uuid}/retry",
        status_code=HTTP_200_OK,
        summary="Run again the steps of a request in error that did not finish",
        opt=problems(CONFLICT),
    )
    async def retry_privacy_request(
        self,
        org_id: FromPath[UUID],
        request_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        privacy_uow: Uow,
        privacy_services: Services,
    ) -> PrivacyRequestResponse:
        retried = await processing.retry(privacy_uow, privacy_services, tenant=tenant, request_id=request_id)
        return request_response(retried, privacy_services)

    @get(
        "/{request_id:uuid}/bundle",
        summary="Download the access bundle of a completed access request (admin or owner)",
        media_type=ZIP,
        responses=ZIP_RESPONSE,
    )
    async def download_privacy_bundle(
        self,
        org_id: FromPath[UUID],
        request_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        privacy_uow: Uow,
        privacy_services: Services,
    ) -> Response[bytes]:
        found = await requests.get_request(privacy_uow, tenant=tenant, request_id=request_id)
        return zip_response(await privacy_uow.bundles.for_request(found.id), privacy_services)
