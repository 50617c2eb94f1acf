"""Request and response bodies of the subscriptions routes (camelCase on the wire)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from nexuscore.kernel.unset import UNSET as CORE_UNSET
from nexuscore.platform.http.structs import PageResponse, RequestBody, ResponseBody
from nexuscore.subscriptions.application.billing_profiles import BillingProfileInput
from nexuscore.subscriptions.application.plans import PlanChanges, PlanInput
from nexuscore.subscriptions.application.subscriptions import ChangePreviewView, SubscriptionView
from nexuscore.subscriptions.domain.gst import TaxedAmount
from nexuscore.subscriptions.domain.model import (
    BillingProfile,
    Feature,
    Interval,
    OverseasEvidence,
    Plan,
    Subscription,
)

Code = Annotated[str, msgspec.Meta(min_length=2, max_length=32, pattern=r"^[a-z][a-z0-9-]*$")]
Text = Annotated[str, msgspec.Meta(max_length=1000)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
Limit = Annotated[int, msgspec.Meta(ge=1, le=100_000_000)]
Cents = Annotated[int, msgspec.Meta(ge=1, le=100_000_000)]
Trial = Annotated[int, msgspec.Meta(ge=0, le=90)]


class Limits(ResponseBody):
    seats: int | None
    leads: int | None


class PlanResponse(ResponseBody):
    code: str
    name: str
    description: str
    monthly_price: int | None  # SGD minor units, GST-exclusive
    yearly_price: int | None
    currency: str
    trial_days: int
    limits: Limits
    features: list[str]
    archived: bool

    @classmethod
    def of(cls, plan: Plan) -> PlanResponse:
        month, year = plan.price(Interval.MONTH), plan.price(Interval.YEAR)
        return cls(
            code=plan.code,
            name=plan.name,
            description=plan.description,
            monthly_price=month.amount if month else None,
            yearly_price=year.amount if year else None,
            currency="SGD",
            trial_days=plan.trial_days,
            limits=Limits(seats=plan.seat_limit, leads=plan.lead_limit),
            features=sorted(plan.features),
            archived=plan.archived,
        )


class LimitsInput(RequestBody):
    seats: Limit | None = None  # null: unlimited
    leads: Limit | None = None


class PricesInput(RequestBody):
    month: Cents | msgspec.UnsetType = msgspec.UNSET
    year: Cents | msgspec.UnsetType = msgspec.UNSET

    def to_map(self) -> dict[Interval, int]:
        found = {Interval.MONTH: self.month, Interval.YEAR: self.year}
        return {i: v for i, v in found.items() if not isinstance(v, msgspec.UnsetType)}


class CreatePlanRequest(RequestBody):
    code: Code
    name: Name
    description: Text = ""
    trial_days: Trial = 0
    limits: LimitsInput = msgspec.field(default_factory=LimitsInput)
    features: list[Feature] = msgspec.field(default_factory=list)
    prices: PricesInput = msgspec.field(default_factory=PricesInput)

    def to_input(self) -> PlanInput:
        return PlanInput(
            self.code,
            self.name,
            self.description,
            self.trial_days,
            self.limits.seats,
            self.limits.leads,
            frozenset(f.value for f in self.features),
            self.prices.to_map(),
        )


class UpdatePlanRequest(RequestBody):
    """A new price replaces the current one for new subscriptions; archive instead of delete."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    description: Text | msgspec.UnsetType = msgspec.UNSET
    trial_days: Trial | msgspec.UnsetType = msgspec.UNSET
    limits: LimitsInput | msgspec.UnsetType = msgspec.UNSET
    features: list[Feature] | msgspec.UnsetType = msgspec.UNSET
    prices: PricesInput | msgspec.UnsetType = msgspec.UNSET
    archived: bool | msgspec.UnsetType = msgspec.UNSET

    def to_changes(self) -> PlanChanges:
        def keep(value: object) -> object:
            return CORE_UNSET if isinstance(value, msgspec.UnsetType) else value

        limits = self.limits
        features = self.features
        return PlanChanges(
            name=keep(self.name),  # type: ignore[arg-type]
            description=keep(self.description),  # type: ignore[arg-type]
            trial_days=keep(self.trial_days),  # type: ignore[arg-type]
            seat_limit=CORE_UNSET if isinstance(limits, msgspec.UnsetType) else limits.seats,
            lead_limit=CORE_UNSET if isinstance(limits, msgspec.UnsetType) else limits.leads,
            features=CORE_UNSET if isinstance(features, msgspec.UnsetType) else frozenset(f.value for f in features),
            prices=CORE_UNSET if isinstance(self.prices, msgspec.UnsetType) else self.prices.to_map(),
            archived=keep(self.archived),  # type: ignore[arg-type]
        )


class CheckoutRequest(RequestBody):
    plan_code: Code
    interval: Interval


class CheckoutResponse(ResponseBody):
    checkout_url: str
    session_id: str


class ChangePlanRequest(RequestBody):
    plan_code: Code
    interval: Interval


class CancelRequest(RequestBody):
    at_period_end: bool = True


class PortalResponse(ResponseBody):
    url: str


class Usage(ResponseBody):
    used: int
    limit: int | None


class UsageResponse(ResponseBody):
    seats: Usage
    leads: Usage


class SubscriptionResponse(ResponseBody):
    plan_code: str  # the effective plan (free when none is paid for)
    subscribed_plan_code: str | None
    status: str | None  # None: never subscribed
    interval: str | None
    current_period_start: datetime | None
    current_period_end: datetime | None
    trial_end: datetime | None
    cancel_at_period_end: bool
    pending_plan_code: str | None  # a downgrade waiting for the period end
    pending_change_at: datetime | None  # when it applies (the current plan's limits hold until then)
    read_only: bool
    usage: UsageResponse
    features: list[str]

    @classmethod
    def of(cls, view: SubscriptionView) -> SubscriptionResponse:
        s, e = view.subscription, view.entitlement
        return cls(
            plan_code=e.plan_code,
            subscribed_plan_code=s.plan_code if s else None,
            status=s.status.value if s else None,
            interval=s.interval.value if s else None,
            current_period_start=s.current_period_start if s else None,
            current_period_end=s.current_period_end if s else None,
            trial_end=s.trial_end if s else None,
            cancel_at_period_end=s.cancel_at_period_end if s else False,
            pending_plan_code=s.pending_plan_code if s else None,
            pending_change_at=s.pending_change_at if s else None,
            read_only=e.read_only,
            usage=UsageResponse(
                seats=Usage(used=view.usage.seats, limit=e.seat_limit),
                leads=Usage(used=view.usage.leads, limit=e.lead_limit),
            ),
            features=sorted(e.features),
        )


class SubscriptionSummary(ResponseBody):
    organization_id: str
    gateway_subscription_id: str
    plan_code: str
    status: str
    interval: str
    current_period_end: datetime | None
    cancel_at_period_end: bool
    created_at: datetime

    @classmethod
    def of(cls, s: Subscription) -> SubscriptionSummary:
        return cls(
            organization_id=str(s.organization_id),
            gateway_subscription_id=s.gateway_subscription_id,
            plan_code=s.plan_code,
            status=s.status.value,
            interval=s.interval.value,
            current_period_end=s.current_period_end,
            cancel_at_period_end=s.cancel_at_period_end,
            created_at=s.created_at,
        )


class SubscriptionPage(PageResponse[SubscriptionSummary]):
    items: list[SubscriptionSummary]


class PlanPage(PageResponse[PlanResponse]):
    items: list[PlanResponse]


class Amount(ResponseBody):
    excluding_gst: int
    gst: int
    including_gst: int
    gst_rate: str

    @classmethod
    def of(cls, t: TaxedAmount) -> Amount:
        return cls(excluding_gst=t.excluding_gst, gst=t.gst, including_gst=t.including_gst, gst_rate=str(t.rate))


class ChangePreviewResponse(ResponseBody):
    plan_code: str
    interval: str
    timing: str  # "now" (upgrade, prorated) | "period_end" (downgrade)
    due_now: Amount
    next_invoice: Amount
    next_invoice_at: datetime | None
    currency: str

    @classmethod
    def of(cls, p: ChangePreviewView) -> ChangePreviewResponse:
        return cls(
            plan_code=p.plan_code,
            interval=p.interval.value,
            timing="now" if p.upgrade else "period_end",
            due_now=Amount.of(p.due_now),
            next_invoice=Amount.of(p.next_invoice),
            next_invoice_at=p.next_invoice_at,
            currency=p.currency,
        )


class BillingAddressBody(RequestBody):
    lines: Annotated[list[Annotated[str, msgspec.Meta(max_length=200)]], msgspec.Meta(min_length=1, max_length=4)]
    postal_code: Annotated[str, msgspec.Meta(max_length=20)]
    country: Annotated[str, msgspec.Meta(min_length=2, max_length=2)]


class OverseasEvidenceBody(RequestBody):
    country: Annotated[str, msgspec.Meta(min_length=2, max_length=2)]
    established_by: OverseasEvidence


class BillingProfileRequest(RequestBody):
    legal_name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    billing_email: Annotated[str, msgspec.Meta(max_length=254)]
    address: BillingAddressBody
    uen: Annotated[str, msgspec.Meta(max_length=20)] | None = None
    gst_registration_number: Annotated[str, msgspec.Meta(max_length=20)] | None = None
    overseas_evidence: OverseasEvidenceBody | None = None

    def to_input(self) -> BillingProfileInput:
        evidence = self.overseas_evidence
        return BillingProfileInput(
            self.legal_name,
            self.billing_email,
            tuple(self.address.lines),
            self.address.postal_code,
            self.address.country,
            self.uen,
            self.gst_registration_number,
            evidence.country if evidence else None,
            evidence.established_by if evidence else None,
        )


class BillingAddressResponse(ResponseBody):
    lines: list[str]
    postal_code: str
    country: str


class OverseasEvidenceResponse(ResponseBody):
    country: str
    established_by: str


class BillingProfileResponse(ResponseBody):
    legal_name: str
    billing_email: str
    address: BillingAddressResponse
    uen: str | None
    gst_registration_number: str | None
    overseas_evidence: OverseasEvidenceResponse | None
    gateway_customer_id: str | None
    updated_at: datetime

    @classmethod
    def of(cls, p: BillingProfile) -> BillingProfileResponse:
        evidence = (
            OverseasEvidenceResponse(country=p.belonging_country, established_by=p.belonging_evidence.value)
            if p.belonging_country and p.belonging_evidence
            else None
        )
        return cls(
            legal_name=p.legal_name,
            billing_email=p.billing_email,
            address=BillingAddressResponse(lines=list(p.address_lines), postal_code=p.postal_code, country=p.country),
            uen=p.uen,
            gst_registration_number=p.gst_registration_number,
            overseas_evidence=evidence,
            gateway_customer_id=p.gateway_customer_id,
            updated_at=p.updated_at,
        )
