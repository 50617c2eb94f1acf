"""HTTP adapter for consent, Do Not Call checks, retention and the breach registers.

- /api/v1/orgs/{orgId}/privacy/...: a tenant's (roles in privacy.domain.permissions)
- /api/v1/me/consents: the signed-in user's own consents
- /api/v1/admin/privacy/breaches: the platform's own breach register (staff)
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from litestar import Controller, get, patch, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from nexuscore.events.api import SqlEventQuery
from nexuscore.identity.api import Principal
from nexuscore.kernel.errors import FieldError, ValidationError
from nexuscore.kernel.paging import PageRequest
from nexuscore.kernel.tenancy import TenantContext
from nexuscore.platform.http.structs import Limit, Offset
from nexuscore.privacy.adapters.http.consent_schemas import (
    BreachDetailResponse,
    BreachPage,
    BreachRequest,
    BreachResponse,
    ConsentsResponse,
    DncCheckPage,
    DncCheckRequest,
    DncCheckResponse,
    LeadConsentRequest,
    MyConsentRequest,
    RetentionPreviewResponse,
    RetentionRuleResponse,
    RetentionSchedulesResponse,
    SetRetentionRequest,
    TimelineEntry,
    UpdateBreachRequest,
)
from nexuscore.privacy.adapters.http.records_dependencies import PrivacyRecordsState, provide_privacy_platform_uow
from nexuscore.privacy.adapters.leads_data import LeadsRetentionTargets, TenantLeadSubjects
from nexuscore.privacy.adapters.sql.records import SqlPrivacyUnitOfWork
from nexuscore.privacy.application import breaches, records, retention
from nexuscore.privacy.domain.breaches import Breach
from nexuscore.privacy.domain.permissions import PrivacyAction, require
from nexuscore.privacy.domain.records_events import BreachRecorded, BreachUpdated
from nexuscore.privacy.domain.retention import RetentionRule, platform_rules

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]
Uow = NamedDependency[SqlPrivacyUnitOfWork]
Services = NamedDependency[PrivacyRecordsState]
HISTORY_DEFAULT_LIMIT = 50
_BREACH_EVENTS = (BreachRecorded.name, BreachUpdated.name)


def _schedules(rules: list[RetentionRule]) -> RetentionSchedulesResponse:
    return RetentionSchedulesResponse(
        schedules=[RetentionRuleResponse.of(r) for r in rules],
        platform_defaults=[RetentionRuleResponse.of(r) for r in platform_rules()],
    )


async def _detail(uow: SqlPrivacyUnitOfWork, breach: Breach, now: datetime) -> BreachDetailResponse:
    events = await SqlEventQuery(uow.session).list_for_subject(
        f"privacy_breach:{breach.id}", breach.organization_id, types=_BREACH_EVENTS
    )
    base = BreachResponse.of(breach, now)
    return BreachDetailResponse(
        **{f: getattr(base, f) for f in base.__struct_fields__},
        timeline=[
            TimelineEntry(
                type=e.event.type,
                occurred_at=e.event.occurred_at,
                actor_id=e.event.actor_id,
                changed=[str(name) for name in e.event.payload.get("changed", [])],
            )
            for e in events
        ],
    )


class TenantPrivacyRecordsController(Controller):
    path = "/api/v1/orgs/{org_id:uuid}/privacy"
    tags = ["privacy"]
    security = BEARER

    @get("/consents", summary="A lead's consents: the current state per purpose and its records (member or above)")
    async def list_lead_consents(
        self,
        org_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        privacy_records_uow: Uow,
        # Optional in the signature, required here: a missing id is a 422 after the caller is
        # known (an unauthenticated call is a 401 first), as billing's `period` is.
        lead_id: Annotated[UUID | None, QueryParameter(name="leadId", description="Required.")] = None,
        limit: Limit = HISTORY_DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> ConsentsResponse:
        if lead_id is None:
            raise ValidationError("leadId is required.", errors=[FieldError("leadId", "required")])
        uow = privacy_records_uow
        view = await records.lead_consents(
            uow, TenantLeadSubjects(uow.session, tenant.org_id), tenant=tenant, lead_id=lead_id
        )
        return ConsentsResponse.of(view, limit=limit, offset=offset)

    @post(
        "/consents",
        status_code=HTTP_201_CREATED,
        summary="Record a lead's consent given or withdrawn (member or above); a withdrawal stops use at once",
    )
    async def record_lead_consent(
        self,
        org_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        data: JSONBody[LeadConsentRequest],
        privacy_records_uow: Uow,
        privacy_records_services: Services,
    ) -> ConsentsResponse:
        """404 when the lead is not the organisation's. The leads marketing export reads consent
        from here: a lead needs marketing_email, marketing_sms and marketing_call all given."""
        uow = privacy_records_uow
        view = await records.record_lead_consent(
            uow,
            TenantLeadSubjects(uow.session, tenant.org_id),
            privacy_records_services.clock,
            tenant=tenant,
            lead_id=data.lead_id,
            data=data.to_input(),
        )
        return ConsentsResponse.of(view, limit=HISTORY_DEFAULT_LIMIT, offset=0)

    @post(
        "/dnc-checks",
        status_code=HTTP_201_CREATED,
        summary="Record a Do Not Call register check of a number (admin or owner)",
    )
    async def record_dnc_check(
        self,
        org_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        data: JSONBody[DncCheckRequest],
        privacy_records_uow: Uow,
        privacy_records_services: Services,
    ) -> DncCheckResponse:
        """A clear result lets the number be marketed to by voice or SMS for 21 days (the leads
        marketing export reads the latest check of each lead's phone from here)."""
        check = await records.record_dnc_check(
            privacy_records_uow,
            privacy_records_services.clock,
            tenant=tenant,
            phone=data.phone,
            result=data.result,
            checked_on=data.checked_on,
        )
        return DncCheckResponse.of(check, privacy_records_services.clock.now())

    @get("/dnc-checks", summary="Do Not Call checks, newest first; phone= for one number's (admin or owner)")
    async def list_dnc_checks(
        self,
        org_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        privacy_records_uow: Uow,
        privacy_records_services: Services,
        phone: Annotated[str | None, QueryParameter(max_length=40)] = None,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> DncCheckPage:
        page = await records.dnc_checks(
            privacy_records_uow, tenant=tenant, phone=phone, page=PageRequest(limit, offset)
        )
        now = privacy_records_services.clock.now()
        return DncCheckPage.of(page, lambda c: DncCheckResponse.of(c, now))

    @get("/retention", summary="Retention schedules: the organisation's, and the platform's defaults (admin or owner)")
    async def get_retention(
        self, org_id: FromPath[UUID], tenant: NamedDependency[TenantContext], privacy_records_uow: Uow
    ) -> RetentionSchedulesResponse:
        return _schedules(await retention.schedules(privacy_records_uow, tenant=tenant))

    @put("/retention", status_code=HTTP_200_OK, summary="Set retention months of some categories (admin or owner)")
    async def set_retention(
        self,
        org_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        data: JSONBody[SetRetentionRequest],
        privacy_records_uow: Uow,
        privacy_records_services: Services,
    ) -> RetentionSchedulesResponse:
        """lost_leads, archived_leads and activities, 1 to 120 months; the platform defaults
        (user_sessions, audit_logs) are not the organisation's to set (422)."""
        rules = await retention.set_schedules(
            privacy_records_uow,
            privacy_records_services.clock,
            tenant=tenant,
            months=[(s.category, s.months) for s in data.schedules],
        )
        return _schedules(rules)

    @get("/retention/preview", summary="Dry run: what the next daily purge removes (admin or owner)")
    async def preview_retention(
        self,
        org_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        privacy_records_uow: Uow,
        privacy_records_services: Services,
    ) -> RetentionPreviewResponse:
        uow = privacy_records_uow
        found = await retention.preview(
            uow, LeadsRetentionTargets(uow.session, tenant.org_id), privacy_records_services.clock, tenant=tenant
        )
        return RetentionPreviewResponse.of(found)

    @post("/breaches", status_code=HTTP_201_CREATED, summary="Record a data breach in the register (admin or owner)")
    async def record_tenant_breach(
        self,
        org_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        data: JSONBody[BreachRequest],
        privacy_records_uow: Uow,
        privacy_records_services: Services,
    ) -> BreachDetailResponse:
        require(tenant, PrivacyAction.MANAGE_BREACHES)
        breach = await breaches.record_breach(
            privacy_records_uow, privacy_records_services.clock, actor_id=tenant.user_id, data=data.to_input()
        )
        return await _detail(privacy_records_uow, breach, privacy_records_services.clock.now())

    @get("/breaches", summary="The breach register: overdue PDPC notices first (admin or owner)")
    async def list_tenant_breaches(
        self,
        org_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        privacy_records_uow: Uow,
        privacy_records_services: Services,
        overdue: Annotated[bool, QueryParameter(description="only breaches whose PDPC notice is late")] = False,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> BreachPage:
        require(tenant, PrivacyAction.MANAGE_BREACHES)
        page = await breaches.list_breaches(
            privacy_records_uow, privacy_records_services.clock, overdue_only=overdue, page=PageRequest(limit, offset)
        )
        now = privacy_records_services.clock.now()
        return BreachPage.of(page, lambda b: BreachResponse.of(b, now))

    @get("/breaches/{breach_id:uuid}", summary="A breach with its incident timeline (admin or owner)")
    async def get_tenant_breach(
        self,
        org_id: FromPath[UUID],
        breach_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        privacy_records_uow: Uow,
        privacy_records_services: Services,
    ) -> BreachDetailResponse:
        require(tenant, PrivacyAction.MANAGE_BREACHES)
        breach = await breaches.get_breach(privacy_records_uow, breach_id=breach_id)
        return await _detail(privacy_records_uow, breach, privacy_records_services.clock.now())

    @patch("/breaches/{breach_id:uuid}", summary="Update a breach: assessment, counts, notices (admin or owner)")
    async def update_tenant_breach(
        self,
        org_id: FromPath[UUID],
        breach_id: FromPath[UUID],
        tenant: NamedDependency[TenantContext],
        data: JSONBody[UpdateBreachRequest],
        privacy_records_uow: Uow,
        privacy_records_services: Services,
    ) -> BreachDetailResponse:
        require(tenant, PrivacyAction.MANAGE_BREACHES)
        breach = await breaches.update_breach(
            privacy_records_uow,
            privacy_records_services.clock,
            actor_id=tenant.user_id,
            breach_id=breach_id,
            changes=data.to_changes(),
        )
        return await _detail(privacy_records_uow, breach, privacy_records_services.clock.now())


class MyConsentsController(Controller):
    path = "/api/v1/me/consents"
    tags = ["privacy"]
    security = BEARER

    @get("/", summary="Your consents: the current state per purpose and your records")
    async def list_my_consents(
        self,
        principal: NamedDependency[Principal],
        privacy_records_user_uow: Uow,
        limit: Limit = HISTORY_DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> ConsentsResponse:
        view = await records.my_consents(privacy_records_user_uow, user_id=principal.user_id)
        return ConsentsResponse.of(view, limit=limit, offset=offset)

    @post("/", status_code=HTTP_201_CREATED, summary="Give or withdraw your consent to one purpose")
    async def record_my_consent(
        self,
        principal: NamedDependency[Principal],
        data: JSONBody[MyConsentRequest],
        privacy_records_user_uow: Uow,
        privacy_records_services: Services,
    ) -> ConsentsResponse:
        view = await records.record_my_consent(
            privacy_records_user_uow, privacy_records_services.clock, user_id=principal.user_id, data=data.to_input()
        )
        return ConsentsResponse.of(view, limit=HISTORY_DEFAULT_LIMIT, offset=0)


class PlatformBreachesController(Controller):
    """The platform's own register (breaches of users' data; organization_id NULL)."""

    path = "/api/v1/admin/privacy/breaches"
    tags = ["privacy"]
    security = BEARER
    dependencies = {"privacy_records_uow": Provide(provide_privacy_platform_uow)}  # staff first, then the session

    @post("/", status_code=HTTP_201_CREATED, summary="Record a breach of the platform's data (staff)")
    async def record_platform_breach(
        self,
        privacy_records_staff: NamedDependency[Principal],
        data: JSONBody[BreachRequest],
        privacy_records_uow: Uow,
        privacy_records_services: Services,
    ) -> BreachDetailResponse:
        breach = await breaches.record_breach(
            privacy_records_uow,
            privacy_records_services.clock,
            actor_id=privacy_records_staff.user_id,
            data=data.to_input(),
        )
        return await _detail(privacy_records_uow, breach, privacy_records_services.clock.now())

    @get("/", summary="The platform's breach register: overdue PDPC notices first (staff)")
    async def list_platform_breaches(
        self,
        privacy_records_staff: NamedDependency[Principal],
        privacy_records_uow: Uow,
        privacy_records_services: Services,
        overdue: Annotated[bool, QueryParameter(description="only breaches whose PDPC notice is late")] = False,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> BreachPage:
        page = await breaches.list_breaches(
            privacy_records_uow, privacy_records_services.clock, overdue_only=overdue, page=PageRequest(limit, offset)
        )
        now = privacy_records_services.clock.now()
        return BreachPage.of(page, lambda b: BreachResponse.of(b, now))

    @get("/{breach_id:uuid}", summary="A platform breach with its incident timeline (staff)")
    async def get_platform_breach(
        self,
        privacy_records_staff: NamedDependency[Principal],
        breach_id: FromPath[UUID],
        privacy_records_uow: Uow,
        privacy_records_services: Services,
    ) -> BreachDetailResponse:
        breach = await breaches.get_breach(privacy_records_uow, breach_id=breach_id)
        return await _detail(privacy_records_uow, breach, privacy_records_services.clock.now())

    @patch("/{breach_id:uuid}", summary="Update a platform breach (staff)")
    async def update_platform_breach(
        self,
        privacy_records_staff: NamedDependency[Principal],
        breach_id: FromPath[UUID],
        data: JSONBody[UpdateBreachRequest],
        privacy_records_uow: Uow,
        privacy_records_services: Services,
    ) -> BreachDetailResponse:
        breach = await breaches.update_breach(
            privacy_records_uow,
            privacy_records_services.clock,
            actor_id=privacy_records_staff.user_id,
            breach_id=breach_id,
            changes=data.to_changes(),
        )
        return await _detail(privacy_records_uow, breach, privacy_records_services.clock.now())
