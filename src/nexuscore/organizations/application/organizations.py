"""Organisation use cases: create, list, read, update, delete with a grace period, purge."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID
from zoneinfo import available_timezones

from nexuscore.kernel.email import normalise_email
from nexuscore.kernel.errors import BusinessRuleViolation, Conflict, FieldError, NotFound, ValidationError
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.kernel.singapore import is_valid_gst_number, is_valid_uen, normalise_identifier
from nexuscore.kernel.tenancy import Role, TenantContext
from nexuscore.organizations.application.services import OrganizationsServices
from nexuscore.organizations.domain.events import (
    MemberJoined,
    OrganizationCreated,
    OrganizationDeletionCancelled,
    OrganizationDeletionRequested,
    OrganizationPurged,
    OrganizationUpdated,
)
from nexuscore.organizations.domain.model import Address, Membership, Organization
from nexuscore.organizations.domain.permissions import Action, require
from nexuscore.organizations.ports.repositories import OrganizationsUnitOfWork

UNSET: object = object()


@dataclass(frozen=True)
class OrganizationInput:
    """Fields a caller may set; UNSET leaves a field as it is (PATCH)."""

    name: object = UNSET
    uen: object = UNSET
    gst_reg_no: object = UNSET
    billing_email: object = UNSET
    address: object = UNSET
    country: object = UNSET
    timezone: object = UNSET


def _apply(org: Organization, data: OrganizationInput) -> list[str]:
    errors: list[FieldError] = []
    changed: list[str] = []

    def setv(attr: str, api: str, value: object) -> None:
        if getattr(org, attr) != value:
            setattr(org, attr, value)
            changed.append(api)

    if data.name is not UNSET:
        name = " ".join(str(data.name or "").split())
        if not 1 <= len(name) <= 200:
            errors.append(FieldError("name", "must be 1 to 200 characters"))
        else:
            setv("name", "name", name)
    if data.uen is not UNSET:
        uen = normalise_identifier(str(data.uen or "")) or None  # None, "" or blank clears (never "")
        if uen and not is_valid_uen(uen):
            errors.append(FieldError("uen", "is not a valid UEN (e.g. 53012345D, 200312345A, T08LL1234A)"))
        else:
            setv("uen", "uen", uen)
    if data.gst_reg_no is not UNSET:
        gst = normalise_identifier(str(data.gst_reg_no or "")) or None
        if gst and not is_valid_gst_number(gst):
            errors.append(FieldError("gstRegNo", "is not a valid GST registration number (a UEN or M2-1234567-X)"))
        else:
            setv("gst_reg_no", "gstRegNo", gst)
    if data.billing_email is not UNSET:
        try:
            email = normalise_email(str(data.billing_email), field="billingEmail") if data.billing_email else None
            setv("billing_email", "billingEmail", email)
        except ValidationError as exc:
            errors.extend(exc.errors)
    if data.country is not UNSET:
        country = str(data.country or "").upper()
        if len(country) != 2 or not country.isalpha() or not country.isascii():
            errors.append(FieldError("country", "must be an ISO 3166-1 alpha-2 code such as SG"))
        else:
            setv("country", "country", country)
    if data.timezone is not UNSET:
        tz = str(data.timezone or "")
        if tz not in available_timezones():
            errors.append(FieldError("timezone", "must be an IANA timezone such as Asia/Singapore"))
        else:
            setv("timezone", "timezone", tz)
    if data.address is not UNSET:
        address = data.address
        if address is not None and not isinstance(address, Address):
            raise TypeError("address must be an Address")
        if address is not None and (not address.line1.strip() or not address.postal_code.strip()):
            errors.append(FieldError("address", "needs line1 and postalCode"))
        else:
            setv("address", "address", address)
    if errors:
        raise ValidationError("The organisation has invalid fields.", errors=errors)
    return changed


class TooManyOrganizations(BusinessRuleViolation):
    code = "too-many-organizations"


async def create_organization(
    uow: OrganizationsUnitOfWork, services: OrganizationsServices, *, user_id: UUID, data: OrganizationInput
) -> Organization:
    now = services.clock.now()
    org = Organization(name="", created_at=now, updated_at=now)
    if data.name is UNSET:
        raise ValidationError("Name is required.", errors=[FieldError("name", "is required")])
    _apply(org, data)
    limit = services.max_organizations_per_user
    owned = sum(1 for _, role in await uow.organizations.list_for_user(user_id) if role is Role.OWNER)
    if owned >= limit:
        raise TooManyOrganizations(
            f"You own {owned} organisations, the most one account may own.", extra={"limit": limit}
        )
    await uow.organizations.add(org)
    await uow.memberships.add(Membership(org.id, user_id, Role.OWNER, now))
    await uow.events.append(
        OrganizationCreated(occurred_at=now, organization_id=org.id, actor_id=user_id, org_name=org.name)
    )
    await uow.events.append(
        MemberJoined(
            occurred_at=now, organization_id=org.id, actor_id=user_id, user_id=user_id, role=Role.OWNER, via="created"
        )
    )
    await uow.commit()
    return org


async def list_my_organizations(
    uow: OrganizationsUnitOfWork, services: OrganizationsServices, *, user_id: UUID, page: PageRequest
) -> Page[tuple[Organization, Role]]:
    """By name; one scheduled for deletion only to its owners (the way back is theirs)."""
    return await uow.organizations.page_for_user(user_id, page)


async def get_organization(
    uow: OrganizationsUnitOfWork, services: OrganizationsServices, *, tenant: TenantContext
) -> Organization:
    require(tenant, Action.VIEW_ORGANIZATION)
    org = await uow.organizations.get(tenant.org_id)
    if org is None:
        raise NotFound("Organisation not found.")
    return org


async def update_organization(
    uow: OrganizationsUnitOfWork, services: OrganizationsServices, *, tenant: TenantContext, data: OrganizationInput
) -> Organization:
    require(tenant, Action.UPDATE_ORGANIZATION)
    org = await get_organization(uow, services, tenant=tenant)
    changed = _apply(org, data)
    if changed:
        now = services.clock.now()
        org.updated_at = now
        await uow.organizations.save(org)
        await uow.events.append(
            OrganizationUpdated(occurred_at=now, organization_id=org.id, actor_id=tenant.user_id, fields=tuple(changed))
        )
        await uow.commit()
    return org


async def request_deletion(
    uow: OrganizationsUnitOfWork, services: OrganizationsServices, *, tenant: TenantContext, confirm_name: str
) -> Organization:
    require(tenant, Action.DELETE_ORGANIZATION)
    org = await get_organization(uow, services, tenant=tenant)
    if confirm_name != org.name:
        raise ValidationError(
            "Type the organisation's exact name to confirm.", errors=[FieldError("confirmName", "does not match")]
        )
    if org.pending_deletion:
        raise Conflict("The organisation is already scheduled for deletion.")
    now = services.clock.now()
    org.request_deletion(now)
    await uow.organizations.save(org)
    await uow.events.append(
        OrganizationDeletionRequested(
            occurred_at=now, organization_id=org.id, actor_id=tenant.user_id, purge_after=org.purge_after
        )
    )
    await uow.commit()
    return org


async def cancel_deletion(
    uow: OrganizationsUnitOfWork, services: OrganizationsServices, *, tenant: TenantContext
) -> Organization:
    require(tenant, Action.DELETE_ORGANIZATION)
    org = await get_organization(uow, services, tenant=tenant)
    if not org.pending_deletion:
        raise Conflict("The organisation is not scheduled for deletion.")
    now = services.clock.now()
    org.cancel_deletion(now)
    await uow.organizations.save(org)
    await uow.events.append(
        OrganizationDeletionCancelled(occurred_at=now, organization_id=org.id, actor_id=tenant.user_id)
    )
    await uow.commit()
    return org


async def purge_due_organizations(
    uow: OrganizationsUnitOfWork, services: OrganizationsServices, *, limit: int = 50
) -> int:
    """Delete organisations whose grace period is over (run by the scheduler)."""
    now = services.clock.now()
    due = await uow.organizations.due_for_purge(now, limit)
    for org in due:
        await uow.organizations.purge(org.id)
        await uow.events.append(OrganizationPurged(occurred_at=now, organization_id=org.id))
    await uow.commit()
    return len(due)
