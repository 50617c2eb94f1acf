"""HTTP adapter of the subscriptions context: the public catalogue, the organisation's billing
profile and subscription (/api/v1/orgs/{org_id}/...), and staff's catalogue management."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from nexuscore.identity.api import Principal
from nexuscore.kernel.errors import FieldError, ValidationError
from nexuscore.kernel.paging import DEFAULT_LIMIT, PageRequest
from nexuscore.kernel.tenancy import TenantContext
from nexuscore.platform.http.problem_docs import CONFLICT, FORBIDDEN, problems
from nexuscore.platform.http.structs import Limit, Offset
from nexuscore.subscriptions.adapters.http.dependencies import BILLING_ROUTE, command_id
from nexuscore.subscriptions.adapters.http.schemas import (
    BillingProfileRequest,
    BillingProfileResponse,
    CancelRequest,
    ChangePlanRequest,
    ChangePreviewResponse,
    CheckoutRequest,
    CheckoutResponse,
    CreatePlanRequest,
    PlanPage,
    PlanResponse,
    PortalResponse,
    SubscriptionPage,
    SubscriptionResponse,
    SubscriptionSummary,
    UpdatePlanRequest,
)
from nexuscore.subscriptions.adapters.sql.unit_of_work import SqlSubscriptionsUnitOfWork
from nexuscore.subscriptions.application import billing_profiles, plans, subscriptions
from nexuscore.subscriptions.application.services import SubscriptionsServices
from nexuscore.subscriptions.domain.model import Interval, SubscriptionStatus
from nexuscore.subscriptions.domain.permissions import require_staff

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]
UoW = NamedDependency[SqlSubscriptionsUnitOfWork]
Services = NamedDependency[SubscriptionsServices]
Tenant = NamedDependency[TenantContext]
BILLING = {BILLING_ROUTE: True}


class PlansController(Controller):
    path = "/api/v1/plans"
    tags = ["subscriptions"]

    @get("/", summary="The public plan catalogue (prices in SGD cents, GST-exclusive)")
    async def list_public_plans(
        self, subscriptions_uow: UoW, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
    ) -> PlanPage:
        page = await plans.page_plans(subscriptions_uow, page=PageRequest(limit=limit, offset=offset))
        return PlanPage.of(page, PlanResponse.of)


async def _view(
    uow: SqlSubscriptionsUnitOfWork, services: SubscriptionsServices, tenant: TenantContext
) -> SubscriptionResponse:
    return SubscriptionResponse.of(await subscriptions.view_subscription(uow, services, tenant=tenant))


class BillingController(Controller):
    path = "/api/v1/orgs/{org_id:uuid}"
    tags = ["subscriptions"]
    security = BEARER
    opt = BILLING

    @get("/billing-profile", summary="The organisation's billing profile (member or above); null before the first PUT")
    async def get_billing_profile(
        self, org_id: FromPath[UUID], tenant: Tenant, subscriptions_uow: UoW
    ) -> BillingProfileResponse | None:
        profile = await billing_profiles.get_billing_profile(subscriptions_uow, tenant=tenant)
        return None if profile is None else BillingProfileResponse.of(profile)

    @put("/billing-profile", summary="Set the billing profile, synced to the gateway customer (admin or above)")
    async def put_billing_profile(
        self,
        request: Request[Any, Any, Any],
        org_id: FromPath[UUID],
        tenant: Tenant,
        data: JSONBody[BillingProfileRequest],
        subscriptions_uow: UoW,
        subscriptions_services: Services,
    ) -> BillingProfileResponse:
        profile = await billing_profiles.put_billing_profile(
            subscriptions_uow,
            subscriptions_services,
            tenant=tenant,
            data=data.to_input(),
            command_id=command_id(request, tenant.user_id),
        )
        return BillingProfileResponse.of(profile)

    @get("/subscription", summary="Plan, status, period and usage against the limits (member or above)")
    async def get_subscription(
        self, org_id: FromPath[UUID], tenant: Tenant, subscriptions_uow: UoW, subscriptions_services: Services
    ) -> SubscriptionResponse:
        return await _view(subscriptions_uow, subscriptions_services, tenant)

    @post("/subscription/checkout", status_code=HTTP_201_CREATED, summary="Start a checkout (admin or above)")
    async def start_checkout(
        self,
        request: Request[Any, Any, Any],
        org_id: FromPath[UUID],
        tenant: Tenant,
        data: JSONBody[CheckoutRequest],
        subscriptions_uow: UoW,
        subscriptions_services: Services,
    ) -> CheckoutResponse:
        """409 when the organisation already has a live paid subscription (change its plan instead)."""
        session = await subscriptions.start_checkout(
            subscriptions_uow,
            subscriptions_services,
            tenant=tenant,
            plan_code=data.plan_code,
            interval=data.interval,
            command_id=command_id(request, tenant.user_id),
        )
        return CheckoutResponse(checkout_url=session.url, session_id=session.id)

    @get(
        "/subscription/preview",
        summary="What a change of plan costs now and at the next invoice, with GST",
        opt=problems(CONFLICT),  # no subscription to change yet
    )
    async def preview_plan_change(
        self,
        org_id: FromPath[UUID],
        tenant: Tenant,
        subscriptions_uow: UoW,
        subscriptions_services: Services,
        # Optional in the signature so a missing token is a 401 before the query is judged.
        plan_code: Annotated[str | None, QueryParameter(name="planCode", min_length=1, max_length=32)] = None,
        interval: Annotated[Interval, QueryParameter()] = Interval.MONTH,
    ) -> ChangePreviewResponse:
        """`planCode` is required (422 without it)."""
        if plan_code is None:
            raise ValidationError("planCode is required.", errors=[FieldError("planCode", "required")])
        preview = await subscriptions.preview_change(
            subscriptions_uow, subscriptions_services, tenant=tenant, plan_code=plan_code, interval=interval
        )
        return ChangePreviewResponse.of(preview)

    @post("/subscription/change", status_code=HTTP_200_OK, summary="Change plan (admin or above)")
    async def change_plan(
        self,
        request: Request[Any, Any, Any],
        org_id: FromPath[UUID],
        tenant: Tenant,
        data: JSONBody[ChangePlanRequest],
        subscriptions_uow: UoW,
        subscriptions_services: Services,
    ) -> SubscriptionResponse:
        """An upgrade applies at once with proration, a downgrade at the period end; 409 with
        `exceeded` ({limit, used, allowed}) when usage is over the new plan's limits."""
        await subscriptions.change_plan(
            subscriptions_uow,
            subscriptions_services,
            tenant=tenant,
            plan_code=data.plan_code,
            interval=data.interval,
            command_id=command_id(request, tenant.user_id),
        )
        return await _view(subscriptions_uow, subscriptions_services, tenant)

    @post("/subscription/cancel", status_code=HTTP_200_OK, summary="Cancel now or at the period end (owner)")
    async def cancel_subscription(
        self,
        request: Request[Any, Any, Any],
        org_id: FromPath[UUID],
        tenant: Tenant,
        data: JSONBody[CancelRequest],
        subscriptions_uow: UoW,
        subscriptions_services: Services,
    ) -> SubscriptionResponse:
        await subscriptions.cancel_subscription(
            subscriptions_uow,
            subscriptions_services,
            tenant=tenant,
            at_period_end=data.at_period_end,
            command_id=command_id(request, tenant.user_id),
        )
        return await _view(subscriptions_uow, subscriptions_services, tenant)

    @post("/subscription/resume", status_code=HTTP_200_OK, summary="Resume a pending cancellation (owner)")
    async def resume_subscription(
        self,
        request: Request[Any, Any, Any],
        org_id: FromPath[UUID],
        tenant: Tenant,
        subscriptions_uow: UoW,
        subscriptions_services: Services,
    ) -> SubscriptionResponse:
        await subscriptions.resume_subscription(
            subscriptions_uow, subscriptions_services, tenant=tenant, command_id=command_id(request, tenant.user_id)
        )
        return await _view(subscriptions_uow, subscriptions_services, tenant)

    @post(
        "/billing-portal", status_code=HTTP_201_CREATED, summary="Open the gateway's customer portal (admin or above)"
    )
    async def open_billing_portal(
        self,
        request: Request[Any, Any, Any],
        org_id: FromPath[UUID],
        tenant: Tenant,
        subscriptions_uow: UoW,
        subscriptions_services: Services,
    ) -> PortalResponse:
        url = await subscriptions.open_billing_portal(
            subscriptions_uow, subscriptions_services, tenant=tenant, command_id=command_id(request, tenant.user_id)
        )
        return PortalResponse(url=url)


class AdminPlansController(Controller):
    path = "/api/v1/admin"
    tags = ["subscriptions"]
    security = BEARER
    opt = problems(FORBIDDEN)  # staff only

    @get("/plans", summary="Every plan, archived included (staff)")
    async def list_all_plans(
        self,
        principal: NamedDependency[Principal],
        subscriptions_uow: UoW,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> PlanPage:
        require_staff(principal.is_staff)
        page = await plans.page_plans(
            subscriptions_uow, page=PageRequest(limit=limit, offset=offset), include_archived=True
        )
        return PlanPage.of(page, PlanResponse.of)

    @post("/plans", status_code=HTTP_201_CREATED, summary="Add a plan (staff)")
    async def create_plan(
        self,
        principal: NamedDependency[Principal],
        data: JSONBody[CreatePlanRequest],
        subscriptions_uow: UoW,
        subscriptions_services: Services,
    ) -> PlanResponse:
        plan = await plans.create_plan(
            subscriptions_uow, subscriptions_services, is_staff=principal.is_staff, data=data.to_input()
        )
        return PlanResponse.of(plan)

    @patch("/plans/{code:str}", summary="Change a plan; a new price replaces the current one (staff)")
    async def update_plan(
        self,
        code: FromPath[str],
        principal: NamedDependency[Principal],
        data: JSONBody[UpdatePlanRequest],
        subscriptions_uow: UoW,
        subscriptions_services: Services,
    ) -> PlanResponse:
        plan = await plans.update_plan(
            subscriptions_uow, subscriptions_services, is_staff=principal.is_staff, code=code, changes=data.to_changes()
        )
        return PlanResponse.of(plan)

    @get("/subscriptions", summary="Every organisation's subscriptions, newest first (staff)")
    async def list_subscriptions(
        self,
        principal: NamedDependency[Principal],
        subscriptions_uow: UoW,
        status: Annotated[SubscriptionStatus | None, QueryParameter()] = None,
        plan_code: Annotated[str | None, QueryParameter(name="planCode", max_length=32)] = None,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> SubscriptionPage:
        page = await subscriptions.list_all_subscriptions(
            subscriptions_uow,
            is_staff=principal.is_staff,
            page=PageRequest(limit=limit, offset=offset),
            status=status,
            plan_code=plan_code,
        )
        return SubscriptionPage.of(page, SubscriptionSummary.of)
