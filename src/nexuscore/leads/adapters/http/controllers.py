"""HTTP adapter of the leads context: /api/v1/orgs/{org_id}/leads (CRUD, pipeline, merge,
activities, assignment). Imports and exports live in imports_controllers.py."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated
from uuid import UUID

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.openapi.spec import OpenAPIType, Schema
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from nexuscore.kernel.clock import business_date
from nexuscore.kernel.paging import PageRequest
from nexuscore.kernel.tenancy import TenantContext
from nexuscore.leads.adapters.http.lead_query import LeadQuery, provide_lead_query
from nexuscore.leads.adapters.http.problems import DUPLICATE_LEAD
from nexuscore.leads.adapters.http.schemas import (
    ActivityPage,
    ActivityResponse,
    AssignLeadsRequest,
    AssignLeadsResponse,
    AssignmentResponse,
    ChangeStatusRequest,
    CreateLeadRequest,
    LeadPage,
    LeadResponse,
    LogActivityRequest,
    MergeLeadsRequest,
    MergeResponse,
    UpdateLeadRequest,
)
from nexuscore.leads.adapters.sql.unit_of_work import SqlLeadsUnitOfWork
from nexuscore.leads.application import activities, assignment, leads, merge, search
from nexuscore.leads.application.services import LeadsServices
from nexuscore.leads.domain.model import Lead
from nexuscore.leads.ports.repositories import LeadSortField
from nexuscore.platform.http.problem_docs import CONFLICT, QUOTA_EXCEEDED, problems
from nexuscore.platform.http.structs import Limit, Offset

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]
# What `sort` accepts: a sort field, ascending, or with `-` descending.
SORT_KEYS = [key for f in LeadSortField for key in (f.value, f"-{f.value}")]
LeadsUoW = NamedDependency[SqlLeadsUnitOfWork]
Services = NamedDependency[LeadsServices]


def _today(services: LeadsServices) -> date:
    return business_date(services.clock.now())


async def _views(uow: SqlLeadsUnitOfWork, services: LeadsServices, found: Sequence[Lead]) -> list[LeadResponse]:
    """`marketingConsent` and `marketingEligible` are asked of privacy, which holds the current
    consent and DNC results, in this request (one lookup for the page): the lead row's own copy
    of the consent goes stale when privacy records a withdrawal, and a withdrawal must show at once."""
    standings = await uow.marketing.standings(found, _today(services))
    return [LeadResponse.of(lead, standings[lead.id]) for lead in found]


async def _view(uow: SqlLeadsUnitOfWork, services: LeadsServices, lead: Lead) -> LeadResponse:
    return (await _views(uow, services, [lead]))[0]


class LeadsController(Controller):
    path = "/api/v1/orgs/{org_id:uuid}/leads"
    tags = ["leads"]
    security = BEARER

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Create a lead (member or above)",
        opt=problems(QUOTA_EXCEEDED, DUPLICATE_LEAD),
    )
    async def create_lead(
        self,
        org_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        data: JSONBody[CreateLeadRequest],
        leads_uow: LeadsUoW,
        leads_services: Services,
    ) -> LeadResponse:
        """409 `duplicate-lead` (with `existingLeadId`) when an active lead has the same email or
        phone; 402 `quota-exceeded` (with `limit`) past the organisation's lead limit."""
        lead = await leads.create_lead(leads_uow, leads_services, tenant=tenant, data=data.to_input())
        return await _view(leads_uow, leads_services, lead)

    @get(
        "/",
        summary="Search leads: filters, sort and pages",
        dependencies={"lead_query": Provide(provide_lead_query, sync_to_thread=False)},
    )
    async def list_leads(
        self,
        org_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        leads_uow: LeadsUoW,
        leads_services: Services,
        lead_query: NamedDependency[LeadQuery],
        limit: Limit = 20,
        offset: Offset = 0,
        sort: Annotated[
            str | None,
            QueryParameter(
                max_length=40,
                description="createdAt, updatedAt, score, lastName, company, nextFollowUp, "
                "estimatedValue or status; prefix - for descending. Default -createdAt",
                schema_extra={
                    "one_of": [Schema(type=OpenAPIType.STRING, enum=SORT_KEYS), Schema(type=OpenAPIType.NULL)]
                },
            ),
        ] = None,
    ) -> LeadPage:
        page = await search.list_leads(
            leads_uow,
            leads_services,
            tenant=tenant,
            lead_filter=lead_query.lead_filter,
            sort=search.parse_sort(sort),
            page=PageRequest(limit=limit, offset=offset),
        )
        return LeadPage(
            items=await _views(leads_uow, leads_services, page.items),
            total=page.total,
            limit=page.limit,
            offset=page.offset,
            has_more=page.has_more,
            total_is_exact=page.total_is_exact,
        )

    @get("/{lead_id:uuid}", summary="A lead, with its score and the reasons for it")
    async def get_lead(
        self,
        org_id: FromPath[UUID],
        lead_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        leads_uow: LeadsUoW,
        leads_services: Services,
    ) -> LeadResponse:
        lead = await leads.get_lead(leads_uow, leads_services, tenant=tenant, lead_id=lead_id)
        return await _view(leads_uow, leads_services, lead)

    @patch("/{lead_id:uuid}", summary="Change some fields of a lead (absent fields stay)", opt=problems(DUPLICATE_LEAD))
    async def update_lead(
        self,
        org_id: FromPath[UUID],
        lead_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        data: JSONBody[UpdateLeadRequest],
        leads_uow: LeadsUoW,
        leads_services: Services,
    ) -> LeadResponse:
        lead = await leads.update_lead(leads_uow, leads_services, tenant=tenant, lead_id=lead_id, data=data.to_input())
        return await _view(leads_uow, leads_services, lead)

    @delete("/{lead_id:uuid}", status_code=HTTP_204_NO_CONTENT, summary="Archive a lead (admin or owner)")
    async def archive_lead(
        self,
        org_id: FromPath[UUID],
        lead_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        leads_uow: LeadsUoW,
        leads_services: Services,
    ) -> None:
        await leads.archive_lead(leads_uow, leads_services, tenant=tenant, lead_id=lead_id)

    @post(
        "/{lead_id:uuid}/status",
        status_code=HTTP_200_OK,
        summary="Move a lead through the pipeline",
        opt=problems(CONFLICT),
    )
    async def change_lead_status(
        self,
        org_id: FromPath[UUID],
        lead_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        data: JSONBody[ChangeStatusRequest],
        leads_uow: LeadsUoW,
        leads_services: Services,
    ) -> LeadResponse:
        """409 `business-rule-violation` for a move the pipeline does not allow; 422 for lost
        without a `lostReason`."""
        lead = await leads.change_status(
            leads_uow, leads_services, tenant=tenant, lead_id=lead_id, status=data.status, lost_reason=data.lost_reason
        )
        return await _view(leads_uow, leads_services, lead)

    @post(
        "/{lead_id:uuid}/merge",
        status_code=HTTP_200_OK,
        summary="Merge a duplicate into this lead (admin or owner)",
        opt=problems(CONFLICT),
    )
    async def merge_leads(
        self,
        org_id: FromPath[UUID],
        lead_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        data: JSONBody[MergeLeadsRequest],
        leads_uow: LeadsUoW,
        leads_services: Services,
    ) -> MergeResponse:
        """This lead survives: its empty fields are filled from the other, tags are united, the
        later consent record is kept, the other's activities move here and the other is archived."""
        result = await merge.merge_leads(
            leads_uow, leads_services, tenant=tenant, lead_id=lead_id, other_lead_id=data.other_lead_id
        )
        return MergeResponse(
            lead=await _view(leads_uow, leads_services, result.lead),
            merged_lead_id=result.merged_lead_id,
            filled_fields=result.filled_fields,
            moved_activities=result.moved_activities,
        )

    @get("/{lead_id:uuid}/activities", summary="The lead's timeline, newest first")
    async def list_lead_activities(
        self,
        org_id: FromPath[UUID],
        lead_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        leads_uow: LeadsUoW,
        leads_services: Services,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> ActivityPage:
        page = await activities.list_activities(
            leads_uow, leads_services, tenant=tenant, lead_id=lead_id, page=PageRequest(limit=limit, offset=offset)
        )
        return ActivityPage(
            items=[ActivityResponse.of(a) for a in page.items],
            total=page.total,
            limit=page.limit,
            offset=page.offset,
            has_more=page.has_more,
        )

    @post("/{lead_id:uuid}/activities", status_code=HTTP_201_CREATED, summary="Log a note, call, email or meeting")
    async def log_lead_activity(
        self,
        org_id: FromPath[UUID],
        lead_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        data: JSONBody[LogActivityRequest],
        leads_uow: LeadsUoW,
        leads_services: Services,
    ) -> ActivityResponse:
        activity = await activities.log_activity(
            leads_uow,
            leads_services,
            tenant=tenant,
            lead_id=lead_id,
            kind=data.kind,
            body=data.body,
            occurred_at=data.occurred_at,
        )
        return ActivityResponse.of(activity)

    @post(
        "/assign",
        status_code=HTTP_200_OK,
        summary="Assign up to 500 leads to a member, or round robin",
        opt=problems(CONFLICT),
    )
    async def assign_leads(
        self,
        org_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        data: JSONBody[AssignLeadsRequest],
        leads_uow: LeadsUoW,
        leads_services: Services,
    ) -> AssignLeadsResponse:
        """All or nothing: an unknown lead id is a 404 (`missingLeadIds`) and nothing is assigned."""
        done = await assignment.assign_leads(
            leads_uow,
            leads_services,
            tenant=tenant,
            lead_ids=data.lead_ids,
            owner_id=data.owner_id,
            strategy=data.strategy,
        )
        return AssignLeadsResponse(
            items=[AssignmentResponse.of(a) for a in done], changed=sum(1 for a in done if a.changed)
        )
