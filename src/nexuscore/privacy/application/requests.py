"""Use cases of data subject requests: receipt, identity verification, the lifecycle."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, replace
from typing import TypedDict
from uuid import UUID

from nexuscore.kernel.email import normalise_email
from nexuscore.kernel.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationError
from nexuscore.kernel.mail import EmailMessage
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.kernel.personal_data import SubjectKind
from nexuscore.kernel.tenancy import Role, TenantContext
from nexuscore.privacy.application.services import (
    INTAKE_PER_EMAIL,
    INTAKE_PER_IP,
    VERIFY_PER_IP,
    PrivacyServices,
    new_code,
)
from nexuscore.privacy.domain import events as ev
from nexuscore.privacy.domain.requests import (
    CODE_TTL,
    SUBJECT_ACTOR,
    PrivacyRequest,
    ReceivedVia,
    RequestKind,
    RequestStatus,
    Verification,
    VerificationFailed,
    actor_of,
)
from nexuscore.privacy.ports.repositories import PrivacyUnitOfWork, RequestFilter

MAX_NOTES = 2000
LAST_OWNER = "You are the only owner of an organisation: transfer its ownership or delete the organisation first."


def require_admin(tenant: TenantContext) -> None:
    if not tenant.role.at_least(Role.ADMIN):
        raise PermissionDenied("Only an organisation's admins and owners handle privacy requests.")


class EventFields(TypedDict):
    request_id: UUID
    kind: str
    subject_kind: str
    organization_id: UUID | None


def event_fields(request: PrivacyRequest) -> EventFields:
    return {
        "request_id": request.id,
        "kind": request.kind.value,
        "subject_kind": request.subject_kind.value,
        "organization_id": request.organization_id,
    }


async def _get(
    uow: PrivacyUnitOfWork, request_id: UUID, organization_id: UUID, *, for_update: bool = False
) -> PrivacyRequest:
    request = await uow.requests.get(request_id, organization_id=organization_id, for_update=for_update)
    if request is None:
        raise NotFound("Privacy request not found.")
    return request


# ---- receipt --------------------------------------------------------------------------


async def submit_user_request(
    uow: PrivacyUnitOfWork, services: PrivacyServices, *, user_id: UUID, email: str, kind: RequestKind
) -> PrivacyRequest:
    """A signed-in user's request about their own account. Signing in (and, for a deletion,
    the password the caller checked) verifies the identity, so it is approved at once and
    handed to the worker."""
    now = services.clock.now()
    actor = actor_of(user_id)
    request = PrivacyRequest.receive(
        kind=kind,
        subject_kind=SubjectKind.USER,
        received_via=ReceivedVia.ACCOUNT,
        now=now,
        actor=actor,
        user_id=user_id,
        email=email,
        created_by=user_id,
    )
    request = request.approve(now, actor, "self-service: the account holder, signed in")
    await uow.requests.add(request)
    await uow.events.append(
        ev.RequestReceived(
            occurred_at=now, actor_id=user_id, received_via=request.received_via.value, **event_fields(request)
        ),
        ev.RequestApproved(occurred_at=now, actor_id=user_id, **event_fields(request)),
    )
    await uow.commit()
    await services.queue.enqueue_begin(request.id)
    return request


@dataclass(frozen=True)
class TenantRequestInput:
    kind: RequestKind
    received_via: ReceivedVia
    email: str | None = None
    phone: str | None = None  # already E.164 (the HTTP adapter normalises it)
    lead_id: UUID | None = None
    notes: str | None = None


async def submit_tenant_request(
    uow: PrivacyUnitOfWork, services: PrivacyServices, *, tenant: TenantContext, data: TenantRequestInput
) -> PrivacyRequest:
    """A request about a lead received by the tenant (in writing, by phone...): the admin who
    records it has checked who is asking, so it starts pending."""
    require_admin(tenant)
    if data.received_via in (ReceivedVia.ACCOUNT, ReceivedVia.PUBLIC_FORM):
        raise ValidationError(
            "Invalid receivedVia.", errors=[FieldError("receivedVia", "account and public_form are set by the system")]
        )
    if data.notes is not None and len(data.notes) > MAX_NOTES:
        raise ValidationError("Invalid notes.", errors=[FieldError("notes", f"is longer than {MAX_NOTES} characters")])
    email = normalise_email(data.email, field="subject.email") if data.email else None
    now = services.clock.now()
    request = PrivacyRequest.receive(
        kind=data.kind,
        subject_kind=SubjectKind.LEAD,
        received_via=data.received_via,
        now=now,
        actor=actor_of(tenant.user_id),
        organization_id=tenant.org_id,
        lead_id=data.lead_id,
        email=email,
        phone=data.phone,
        notes=data.notes,
        created_by=tenant.user_id,
    )
    await uow.requests.add(request)
    await uow.events.append(
        ev.RequestReceived(
            occurred_at=now, actor_id=tenant.user_id, received_via=request.received_via.value, **event_fields(request)
        )
    )
    await uow.commit()
    return request


async def admit_public_client(services: PrivacyServices, *, ip: str | None) -> None:
    """The public intake's limit per client address (429 past it); checked before anything
    else, so a flood costs neither a database read nor a mail."""
    await services.rate_limit(f"privacy-intake:ip:{ip}", INTAKE_PER_IP)


async def submit_public_request(
    uow: PrivacyUnitOfWork, services: PrivacyServices, *, organization_id: UUID, kind: RequestKind, email: str
) -> PrivacyRequest:
    """Anyone's request to a tenant, by email. The request is kept whether or not the address
    is known (the answer must not tell), and nothing happens until the emailed code proves the
    address is the requester's. The caller has admitted the client (`admit_public_client`)."""
    email = normalise_email(email)
    # Counted before anything is stored or mailed, and alike for known and unknown addresses.
    await services.rate_limit(f"privacy-intake:email:{organization_id}:{email}", INTAKE_PER_EMAIL)
    now = services.clock.now()
    code = new_code()
    request = PrivacyRequest.receive(
        kind=kind,
        subject_kind=SubjectKind.LEAD,
        received_via=ReceivedVia.PUBLIC_FORM,
        now=now,
        actor=SUBJECT_ACTOR,
        organization_id=organization_id,
        email=email,
        verification=Verification(digest="", expires_at=now + CODE_TTL),
    )
    request = _with_code_digest(request, services.code_digest(request.id, code))
    await uow.requests.add(request)
    await uow.events.append(
        ev.RequestReceived(occurred_at=now, received_via=request.received_via.value, **event_fields(request))
    )
    await uow.commit()
    await services.mailer.send(
        EmailMessage(
            to=(email,),
            subject="Your privacy request: confirmation code",
            text=(
                f"Someone (we hope you) asked for a {kind.value.replace('_', ' ')} request about this address.\n\n"
                f"Your confirmation code is {code}. It is valid for 10 minutes.\n\n"
                "If you did not ask, ignore this mail: nothing happens without the code.\n"
            ),
            tags=("privacy.verification",),
        )
    )
    return request


def _with_code_digest(request: PrivacyRequest, digest: str) -> PrivacyRequest:
    assert request.verification is not None
    return replace(request, verification=replace(request.verification, digest=digest))


async def verify_public_request(
    uow: PrivacyUnitOfWork,
    services: PrivacyServices,
    *,
    organization_id: UUID,
    request_id: UUID,
    code: str,
    ip: str | None,
) -> PrivacyRequest:
    # Per address before the lookup: guesses spread over many requests (or unknown ids) count too.
    await services.rate_limit(f"privacy-verify:ip:{ip}", VERIFY_PER_IP)
    request = await _get(uow, request_id, organization_id, for_update=True)
    now = services.clock.now()
    given = services.code_digest(request.id, code.strip())
    expected = request.verification.digest if request.verification else ""
    matches = bool(expected) and hmac.compare_digest(given, expected)
    updated = request.verified(now, code_matches=matches)
    await uow.requests.save(updated)
    if not matches:
        await uow.commit()
        left = updated.verification.attempts_left if updated.verification else 0
        raise VerificationFailed(
            "The code is not right.", errors=[FieldError("code", f"is not right ({left} attempts left)")]
        )
    await uow.events.append(ev.RequestIdentityVerified(occurred_at=now, **event_fields(updated)))
    await uow.commit()
    return updated


# ---- queries --------------------------------------------------------------------------


async def get_request(uow: PrivacyUnitOfWork, *, tenant: TenantContext, request_id: UUID) -> PrivacyRequest:
    require_admin(tenant)
    return await _get(uow, request_id, tenant.org_id)


async def page_requests(
    uow: PrivacyUnitOfWork, services: PrivacyServices, *, tenant: TenantContext, status: RequestStatus | None,
    overdue: bool | None, page: PageRequest,
) -> Page[PrivacyRequest]:  # fmt: skip
    require_admin(tenant)
    filters = RequestFilter(status=status, overdue=overdue, now=services.clock.now())
    return await uow.requests.page_for_organization(tenant.org_id, filters, page)


async def page_platform_requests(
    uow: PrivacyUnitOfWork,
    services: PrivacyServices,
    *,
    status: RequestStatus | None,
    overdue: bool | None,
    page: PageRequest,
) -> Page[PrivacyRequest]:
    """Requests about users, which the platform answers for. Staff only: the adapter that
    knows the principal checks it (as for the platform's breach register)."""
    filters = RequestFilter(status=status, overdue=overdue, now=services.clock.now())
    return await uow.requests.page_for_platform(filters, page)


async def get_own_request(uow: PrivacyUnitOfWork, *, user_id: UUID, request_id: UUID) -> PrivacyRequest:
    request = await uow.requests.get(request_id)
    if request is None or request.subject_kind is not SubjectKind.USER or request.user_id != user_id:
        raise NotFound("Privacy request not found.")
    return request


# ---- lifecycle ------------------------------------------------------------------------


async def approve(
    uow: PrivacyUnitOfWork, services: PrivacyServices, *, tenant: TenantContext, request_id: UUID
) -> PrivacyRequest:
    require_admin(tenant)
    request = await _get(uow, request_id, tenant.org_id, for_update=True)
    now = services.clock.now()
    request = request.approve(now, actor_of(tenant.user_id))
    await uow.requests.save(request)
    await uow.events.append(ev.RequestApproved(occurred_at=now, actor_id=tenant.user_id, **event_fields(request)))
    await uow.commit()
    await services.queue.enqueue_begin(request.id)
    return request


async def deny(
    uow: PrivacyUnitOfWork, services: PrivacyServices, *, tenant: TenantContext, request_id: UUID, reason: str
) -> PrivacyRequest:
    require_admin(tenant)
    _require_reason(reason)
    request = await _get(uow, request_id, tenant.org_id, for_update=True)
    now = services.clock.now()
    request = request.deny(now, actor_of(tenant.user_id), reason.strip())
    await uow.requests.save(request)
    await uow.events.append(ev.RequestDenied(occurred_at=now, actor_id=tenant.user_id, **event_fields(request)))
    await uow.commit()
    return request


async def extend(
    uow: PrivacyUnitOfWork,
    services: PrivacyServices,
    *,
    tenant: TenantContext,
    request_id: UUID,
    reason: str,
    days: int,
) -> PrivacyRequest:
    require_admin(tenant)
    _require_reason(reason)
    request = await _get(uow, request_id, tenant.org_id, for_update=True)
    now = services.clock.now()
    request = request.extend(now, actor_of(tenant.user_id), reason.strip(), days)
    await uow.requests.save(request)
    await uow.events.append(
        ev.RequestExtended(occurred_at=now, actor_id=tenant.user_id, days=days, **event_fields(request))
    )
    await uow.commit()
    return request


async def complete_manually(
    uow: PrivacyUnitOfWork, services: PrivacyServices, *, tenant: TenantContext, request_id: UUID, note: str | None
) -> PrivacyRequest:
    """A correction or a consent withdrawal, done by the tenant's people, marked done."""
    require_admin(tenant)
    request = await _get(uow, request_id, tenant.org_id, for_update=True)
    if request.kind.automated:
        raise Conflict(
            "Access and deletion requests complete when the worker has processed them.",
            extra={"kind": request.kind.value},
        )
    now = services.clock.now()
    request = request.complete(now, actor_of(tenant.user_id), note)
    await uow.requests.save(request)
    await uow.events.append(
        ev.RequestCompleted(occurred_at=now, actor_id=tenant.user_id, outcome="complete", **event_fields(request))
    )
    await uow.commit()
    return request


def _require_reason(reason: str) -> None:
    if not reason or not reason.strip() or len(reason) > MAX_NOTES:
        raise ValidationError("Invalid reason.", errors=[FieldError("reason", "is required (at most 2000 characters)")])
