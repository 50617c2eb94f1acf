"""The organisation's billing profile: who it is billed as, synced to the gateway customer.

Edited here and pushed to the gateway (`put_billing_profile`); changed at the gateway (the
customer portal, the dashboard) it is taken back by `sync_billing_profile`, version-guarded
by the gateway's time against the profile's `updated_at`, and never pushed again from there:
our own push coming back as `customer.updated` is stale or the same values (unchanged), so
nothing ping-pongs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from uuid import uuid4

from nexuscore.kernel.email import normalise_email
from nexuscore.kernel.errors import FieldError, ValidationError
from nexuscore.kernel.personal_data import is_masked
from nexuscore.kernel.singapore import is_valid_gst_number, is_valid_uen, normalise_identifier
from nexuscore.kernel.tenancy import TenantContext
from nexuscore.subscriptions.application.services import SubscriptionsServices
from nexuscore.subscriptions.domain.model import (
    BillingProfile,
    GatewayCustomer,
    OverseasEvidence,
    ProfileSyncOutcome,
)
from nexuscore.subscriptions.domain.permissions import BillingAction, require
from nexuscore.subscriptions.ports.repositories import SubscriptionsUnitOfWork


@dataclass(frozen=True)
class BillingProfileInput:
    legal_name: str
    billing_email: str
    address_lines: tuple[str, ...]
    postal_code: str
    country: str
    uen: str | None = None
    gst_registration_number: str | None = None
    belonging_country: str | None = None
    belonging_evidence: OverseasEvidence | None = None


async def get_billing_profile(uow: SubscriptionsUnitOfWork, *, tenant: TenantContext) -> BillingProfile | None:
    require(tenant, BillingAction.VIEW)
    return await uow.billing_profiles.get(tenant.org_id)


def _validated(data: BillingProfileInput) -> BillingProfileInput:
    errors = []
    uen = normalise_identifier(data.uen) if data.uen else None
    gst = normalise_identifier(data.gst_registration_number) if data.gst_registration_number else None
    if uen and not is_valid_uen(uen):
        errors.append(FieldError("uen", "not a UEN (like 200312345A)"))
    if gst and not is_valid_gst_number(gst):
        errors.append(FieldError("gstRegistrationNumber", "not a GST registration number"))
    country = data.country.upper()
    if len(country) != 2 or not country.isalpha():
        errors.append(FieldError("address.country", "an ISO 3166 two-letter code"))
    if not data.legal_name.strip():
        errors.append(FieldError("legalName", "required"))
    if not data.address_lines or not all(line.strip() for line in data.address_lines):
        errors.append(FieldError("address.lines", "at least one non-empty line"))
    belonging = data.belonging_country.upper() if data.belonging_country else None
    if (belonging is None) != (data.belonging_evidence is None):
        errors.append(FieldError("overseasEvidence", "the country and how it was established go together"))
    if belonging == "SG":
        errors.append(FieldError("overseasEvidence.country", "an overseas customer belongs outside Singapore"))
    try:
        email = normalise_email(data.billing_email, field="billingEmail")
    except ValidationError as exc:
        errors.extend(exc.errors)
        email = data.billing_email
    if errors:
        raise ValidationError("The billing profile is not valid.", errors=errors)
    return BillingProfileInput(
        data.legal_name.strip(),
        email,
        tuple(line.strip() for line in data.address_lines),
        data.postal_code.strip(),
        country,
        uen,
        gst,
        belonging,
        data.belonging_evidence,
    )


async def put_billing_profile(
    uow: SubscriptionsUnitOfWork,
    services: SubscriptionsServices,
    *,
    tenant: TenantContext,
    data: BillingProfileInput,
    command_id: str | None = None,
) -> BillingProfile:
    require(tenant, BillingAction.MANAGE)
    d = _validated(data)
    now = services.clock.now()
    customer_id = await uow.billing_profiles.customer_id(tenant.org_id)
    profile = BillingProfile(
        tenant.org_id,
        d.legal_name,
        d.billing_email,
        d.address_lines,
        d.postal_code,
        d.country,
        now,
        d.uen,
        d.gst_registration_number,
        d.belonging_country,
        d.belonging_evidence,
    )
    profile.gateway_customer_id = await services.gateway.ensure_customer(
        org_id=tenant.org_id, profile=profile, customer_id=customer_id, command_id=command_id or str(uuid4())
    )
    if customer_id is None:
        await uow.billing_profiles.set_customer_id(tenant.org_id, profile.gateway_customer_id)
    await uow.billing_profiles.save(profile)
    await uow.commit()
    return profile


async def sync_billing_profile(
    uow: SubscriptionsUnitOfWork, services: SubscriptionsServices, *, customer: GatewayCustomer
) -> ProfileSyncOutcome:
    """Take the gateway's customer into the billing profile when the gateway changed it after
    the profile's last change. A value the gateway lacks keeps ours (a profile needs all of
    them); tax ids are kept when the object came without them. A customer of no organisation
    of ours (by metadata and by the customer id stored for it) is `NOT_OURS`. Data the gateway
    holds that we would refuse (a malformed UEN) is a ValidationError: nothing changes."""
    org_id = customer.organization_id
    if org_id is None or customer.deleted:
        return ProfileSyncOutcome.NOT_OURS
    await uow.bind_tenant(org_id)
    if await uow.billing_profiles.customer_id(org_id) != customer.gateway_customer_id:
        await uow.rollback()
        return ProfileSyncOutcome.NOT_OURS
    stored = await uow.billing_profiles.get(org_id)
    if stored is not None and customer.observed_at <= stored.updated_at:
        await uow.rollback()
        return ProfileSyncOutcome.STALE
    base = stored or BillingProfile(org_id, "", "", (), "", "", customer.observed_at)
    tax_kept = not customer.tax_ids_known
    # Erasure masks a subject's name on the gateway's customer while ours stays, the legal
    # identity on tax invoices: a masked name coming back never replaces it.
    gateway_name = customer.legal_name if customer.legal_name and not is_masked(customer.legal_name) else None
    taken = _validated(
        BillingProfileInput(
            gateway_name or base.legal_name,
            customer.billing_email or base.billing_email,
            customer.address_lines or base.address_lines,
            customer.postal_code or base.postal_code,
            customer.country or base.country,
            base.uen if tax_kept else customer.uen,
            base.gst_registration_number if tax_kept else customer.gst_registration_number,
            base.belonging_country,
            base.belonging_evidence,
        )
    )
    merged = replace(
        base,
        legal_name=taken.legal_name,
        billing_email=taken.billing_email,
        address_lines=taken.address_lines,
        postal_code=taken.postal_code,
        country=taken.country,
        uen=taken.uen,
        gst_registration_number=taken.gst_registration_number,
        gateway_customer_id=customer.gateway_customer_id,
    )
    if stored is not None and replace(merged, updated_at=stored.updated_at) == stored:
        await uow.rollback()
        return ProfileSyncOutcome.UNCHANGED
    # The profile's version is the gateway's time of the state it now holds.
    await uow.billing_profiles.save(replace(merged, updated_at=customer.observed_at))
    await uow.commit()
    return ProfileSyncOutcome.APPLIED if stored is not None else ProfileSyncOutcome.CREATED
