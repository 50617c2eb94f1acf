"""The organisation's subscription: view, checkout, preview and change of plan, cancel,
resume, billing portal. Each command asks the gateway first, then applies the gateway's answer
through `apply_snapshot` (the path webhook deliveries take), then commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from nexuscore.kernel.clock import business_date
from nexuscore.kernel.errors import Conflict, FieldError, NotFound, ValidationError
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.kernel.tenancy import TenantContext
from nexuscore.subscriptions.application.entitlements import plan_or_free
from nexuscore.subscriptions.application.services import SubscriptionsServices
from nexuscore.subscriptions.application.sync import apply_snapshot
from nexuscore.subscriptions.domain.entitlements import (
    Entitlement,
    Usage,
    effective_plan_code,
    entitlement_of,
    exceeded_limits,
    is_read_only,
)
from nexuscore.subscriptions.domain.events import CheckoutStarted
from nexuscore.subscriptions.domain.gst import TaxedAmount, with_gst
from nexuscore.subscriptions.domain.model import Interval, Plan, Subscription, SubscriptionStatus, lookup_key
from nexuscore.subscriptions.domain.permissions import BillingAction, require, require_staff
from nexuscore.subscriptions.ports.gateway import CheckoutSession, PriceChoice
from nexuscore.subscriptions.ports.repositories import SubscriptionsUnitOfWork


def _command(command_id: str | None) -> str:
    return command_id or str(uuid4())


@dataclass(frozen=True)
class SubscriptionView:
    subscription: Subscription | None  # None: never subscribed
    entitlement: Entitlement
    usage: Usage


async def view_subscription(
    uow: SubscriptionsUnitOfWork, services: SubscriptionsServices, *, tenant: TenantContext
) -> SubscriptionView:
    require(tenant, BillingAction.VIEW)
    await uow.bind_tenant(tenant.org_id)
    now = services.clock.now()
    subscription = await uow.subscriptions.current_for_org(tenant.org_id)
    plan = await plan_or_free(uow, effective_plan_code(subscription, now, services.grace_days))
    entitlement = entitlement_of(plan, read_only=is_read_only(subscription, now, services.grace_days))
    return SubscriptionView(subscription, entitlement, await uow.usage.usage(tenant.org_id))


async def _price(uow: SubscriptionsUnitOfWork, plan_code: str, interval: Interval) -> tuple[Plan, PriceChoice]:
    plan = await uow.plans.get(plan_code)
    if plan is None or plan.archived:
        raise ValidationError(
            "No such plan on sale.", errors=[FieldError("planCode", f"no plan {plan_code!r} on sale")]
        )
    if plan.is_free:
        raise ValidationError(
            "The free plan is not bought.", errors=[FieldError("planCode", "the free plan has no price")]
        )
    price = plan.price(interval)
    if price is None:
        raise ValidationError(
            "The plan has no price for this interval.",
            errors=[FieldError("interval", f"{plan_code} has no {interval}")],
        )
    return plan, PriceChoice(plan.code, interval, lookup_key(plan.code, interval), price.amount, price.currency)


async def _customer(uow: SubscriptionsUnitOfWork, services: SubscriptionsServices, org_id: UUID) -> tuple[str, bool]:
    """The organisation's gateway customer, created on first need (keyed on the organisation,
    so two concurrent first checkouts reach one customer); True when it is new to us, for the
    caller to store once its gateway calls are done (no row lock is held across them)."""
    existing = await uow.billing_profiles.customer_id(org_id)
    if existing is not None:
        return existing, False
    profile = await uow.billing_profiles.get(org_id)
    customer_id = await services.gateway.ensure_customer(
        org_id=org_id, profile=profile, customer_id=None, command_id=f"customer:{org_id}"
    )
    return customer_id, True


async def start_checkout(
    uow: SubscriptionsUnitOfWork,
    services: SubscriptionsServices,
    *,
    tenant: TenantContext,
    plan_code: str,
    interval: Interval,
    command_id: str | None = None,
) -> CheckoutSession:
    require(tenant, BillingAction.MANAGE)
    await uow.bind_tenant(tenant.org_id)
    plan, price = await _price(uow, plan_code, interval)
    current = await uow.subscriptions.current_for_org(tenant.org_id)
    if current is not None and current.status.live:
        raise Conflict(
            "The organisation already has a subscription: change its plan instead.",
            extra={"planCode": current.plan_code, "status": current.status.value},
        )
    # One trial per organisation, whatever became of it.
    trial_days = 0 if await uow.subscriptions.org_had_trial(tenant.org_id) else plan.trial_days
    customer_id, new_customer = await _customer(uow, services, tenant.org_id)
    back = f"{services.app_base_url}/orgs/{tenant.org_id}/billing"
    session = await services.gateway.create_checkout_session(
        org_id=tenant.org_id,
        customer_id=customer_id,
        price=price,
        trial_days=trial_days,
        success_url=f"{back}?checkout=success",
        cancel_url=f"{back}?checkout=canceled",
        command_id=_command(command_id),
    )
    if new_customer:
        await uow.billing_profiles.set_customer_id(tenant.org_id, customer_id)
    await uow.events.append(
        CheckoutStarted(
            occurred_at=services.clock.now(),
            organization_id=tenant.org_id,
            actor_id=tenant.user_id,
            session_id=session.id,
            plan_code=plan.code,
            interval=interval.value,
            trial_days=trial_days,
        )
    )
    await uow.commit()
    return session


async def _live(uow: SubscriptionsUnitOfWork, org_id: UUID) -> Subscription:
    await uow.bind_tenant(org_id)
    current = await uow.subscriptions.current_for_org(org_id)
    if current is None or not current.status.live:
        raise Conflict("The organisation has no subscription: start a checkout first.")
    return current


def _monthly(amount: int, interval: Interval) -> float:
    return amount / 12 if interval is Interval.YEAR else float(amount)


@dataclass(frozen=True)
class ChangePreviewView:
    plan_code: str
    interval: Interval
    upgrade: bool  # at once with proration; else at the period end
    due_now: TaxedAmount
    next_invoice: TaxedAmount
    next_invoice_at: datetime | None
    currency: str


async def _is_upgrade(uow: SubscriptionsUnitOfWork, current: Subscription, price: PriceChoice) -> bool:
    plan = await uow.plans.get(current.plan_code)
    now_price = plan.price(current.interval) if plan else None
    if now_price is None:
        return True
    return _monthly(price.amount, price.interval) > _monthly(now_price.amount, current.interval)


async def _zero_rated(uow: SubscriptionsUnitOfWork, org_id: UUID) -> bool:
    profile = await uow.billing_profiles.get(org_id)
    return profile is not None and profile.belonging_country is not None and profile.belonging_evidence is not None


async def preview_change(
    uow: SubscriptionsUnitOfWork,
    services: SubscriptionsServices,
    *,
    tenant: TenantContext,
    plan_code: str,
    interval: Interval,
) -> ChangePreviewView:
    require(tenant, BillingAction.MANAGE)
    current = await _live(uow, tenant.org_id)
    _, price = await _price(uow, plan_code, interval)
    now = services.clock.now()
    upgrade = await _is_upgrade(uow, current, price)
    preview = await services.gateway.preview_change(
        subscription_id=current.gateway_subscription_id, price=price, at=now
    )
    zero = await _zero_rated(uow, tenant.org_id)
    day = business_date(now)
    return ChangePreviewView(
        plan_code,
        interval,
        upgrade,
        with_gst(preview.due_now if upgrade else 0, day, zero_rated=zero),
        with_gst(preview.next_invoice, day, zero_rated=zero),
        preview.next_invoice_at,
        preview.currency,
    )


async def change_plan(
    uow: SubscriptionsUnitOfWork,
    services: SubscriptionsServices,
    *,
    tenant: TenantContext,
    plan_code: str,
    interval: Interval,
    command_id: str | None = None,
) -> Subscription:
    require(tenant, BillingAction.MANAGE)
    current = await _live(uow, tenant.org_id)
    if current.plan_code == plan_code and current.interval is interval and current.pending_plan_code is None:
        raise Conflict("The subscription is on this plan already.")
    plan, price = await _price(uow, plan_code, interval)
    usage = await uow.usage.usage(tenant.org_id)
    over = exceeded_limits(plan, usage)
    if over:
        raise Conflict(
            f"The organisation uses more than the {plan.code} plan allows; remove some first.",
            extra={"exceeded": [{"limit": o.limit, "used": o.used, "allowed": o.allowed} for o in over]},
        )
    upgrade = await _is_upgrade(uow, current, price)
    snapshot = await services.gateway.change_subscription(
        subscription_id=current.gateway_subscription_id,
        price=price,
        at_period_end=not upgrade,
        command_id=_command(command_id),
    )
    result = await apply_snapshot(uow, services, snapshot=snapshot)
    await uow.commit()
    return result.subscription


async def cancel_subscription(
    uow: SubscriptionsUnitOfWork,
    services: SubscriptionsServices,
    *,
    tenant: TenantContext,
    at_period_end: bool,
    command_id: str | None = None,
) -> Subscription:
    require(tenant, BillingAction.CANCEL)
    current = await _live(uow, tenant.org_id)
    snapshot = await services.gateway.cancel_subscription(
        subscription_id=current.gateway_subscription_id, at_period_end=at_period_end, command_id=_command(command_id)
    )
    result = await apply_snapshot(uow, services, snapshot=snapshot)
    await uow.commit()
    return result.subscription


async def resume_subscription(
    uow: SubscriptionsUnitOfWork,
    services: SubscriptionsServices,
    *,
    tenant: TenantContext,
    command_id: str | None = None,
) -> Subscription:
    require(tenant, BillingAction.CANCEL)
    current = await _live(uow, tenant.org_id)
    if not current.cancel_at_period_end:
        raise Conflict("No cancellation is pending.")
    snapshot = await services.gateway.resume_subscription(
        subscription_id=current.gateway_subscription_id, command_id=_command(command_id)
    )
    result = await apply_snapshot(uow, services, snapshot=snapshot)
    await uow.commit()
    return result.subscription


async def open_billing_portal(
    uow: SubscriptionsUnitOfWork,
    services: SubscriptionsServices,
    *,
    tenant: TenantContext,
    command_id: str | None = None,
) -> str:
    require(tenant, BillingAction.MANAGE)
    await uow.bind_tenant(tenant.org_id)
    customer_id, new_customer = await _customer(uow, services, tenant.org_id)
    url = await services.gateway.create_portal_session(
        customer_id=customer_id,
        return_url=f"{services.app_base_url}/orgs/{tenant.org_id}/billing",
        command_id=_command(command_id),
    )
    if new_customer:
        await uow.billing_profiles.set_customer_id(tenant.org_id, customer_id)
        await uow.commit()
    return url


async def list_all_subscriptions(
    uow: SubscriptionsUnitOfWork,
    *,
    is_staff: bool,
    page: PageRequest,
    status: SubscriptionStatus | None = None,
    plan_code: str | None = None,
) -> Page[Subscription]:
    require_staff(is_staff)
    await uow.bind_system()
    if plan_code is not None and await uow.plans.get(plan_code) is None:
        raise NotFound(f"No plan {plan_code!r}.")
    return await uow.subscriptions.list(page, status=status, plan_code=plan_code)
