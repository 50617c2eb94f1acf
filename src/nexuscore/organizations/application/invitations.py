"""Invitations: invite by email with a role, list, revoke, accept; the mail is sent by a
subscriber that mints the single-use token (so no secret ever sits in an event)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode
from uuid import UUID

from nexuscore.kernel.email import normalise_email
from nexuscore.kernel.errors import Conflict, DomainError, NotFound, PermissionDenied, QuotaExceeded, RateLimited
from nexuscore.kernel.mail import EmailMessage
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.kernel.tenancy import Role, TenantContext
from nexuscore.kernel.tokens import digest_token, new_opaque_token
from nexuscore.organizations.application.services import OrganizationsServices
from nexuscore.organizations.domain.events import InvitationAccepted, InvitationCreated, InvitationRevoked, MemberJoined
from nexuscore.organizations.domain.model import INVITATION_LIFETIME, Invitation, InvitationStatus, Membership
from nexuscore.organizations.domain.permissions import Action, require, require_may_assign
from nexuscore.organizations.ports.repositories import OrganizationsUnitOfWork


class InvalidInvitation(DomainError):
    code = "invalid-invitation"
    default_message = "The invitation is invalid, used, revoked or expired. Ask for a new one."


# Invitations mail people outside the organisation: at most this many per organisation an hour.
INVITATIONS_PER_HOUR = 20
_HOUR = timedelta(hours=1)


class EmailNotVerified(PermissionDenied):
    code = "email-not-verified"
    default_message = "Verify your email address first: unverified accounts cannot send invitations."


async def invite(
    uow: OrganizationsUnitOfWork,
    services: OrganizationsServices,
    *,
    tenant: TenantContext,
    email: str,
    role: Role,
    inviter_email_verified: bool = True,
) -> Invitation:
    require(tenant, Action.MANAGE_INVITATIONS)
    require_may_assign(tenant, role)
    if not inviter_email_verified:
        # An invitation mails someone else under an organisation name of the inviter's choosing.
        raise EmailNotVerified()
    email = normalise_email(email)
    now = services.clock.now()
    members = await uow.memberships.list(tenant.org_id)
    directory = await uow.users.get_many([m.user_id for m in members])
    if any(normalise_email(u.email) == email for u in directory.values()):
        raise Conflict("This person is already a member of the organisation.", extra={"email": email})
    if await uow.invitations.count_created_since(tenant.org_id, now - _HOUR) >= INVITATIONS_PER_HOUR:
        raise RateLimited(
            f"An organisation may send {INVITATIONS_PER_HOUR} invitations an hour. Try again later.",
            retry_after_seconds=3600,
        )
    limit = await services.entitlements.seat_limit(tenant.org_id)
    if limit is not None:
        # Revoking the older invitation to this email below frees its seat, so count it out.
        pending = [i for i in await uow.invitations.list_pending(tenant.org_id, now) if i.email != email]
        used = await uow.memberships.count(tenant.org_id) + len(pending)
        if used >= limit:
            raise QuotaExceeded(f"Your plan allows {limit} seats.", extra={"limit": limit, "used": used})
    await uow.invitations.revoke_pending(tenant.org_id, email, now)  # a new invitation replaces the old
    invitation = Invitation(
        organization_id=tenant.org_id,
        email=email,
        role=role,
        invited_by=tenant.user_id,
        created_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    await uow.invitations.add(invitation)
    await uow.events.append(
        InvitationCreated(
            occurred_at=now,
            organization_id=tenant.org_id,
            actor_id=tenant.user_id,
            invitation_id=invitation.id,
            role=role,
        )
    )
    await uow.commit()
    return invitation


async def list_invitations(
    uow: OrganizationsUnitOfWork, services: OrganizationsServices, *, tenant: TenantContext, page: PageRequest
) -> Page[Invitation]:
    require(tenant, Action.MANAGE_INVITATIONS)
    return await uow.invitations.page_pending(tenant.org_id, services.clock.now(), page)


async def revoke_invitation(
    uow: OrganizationsUnitOfWork, services: OrganizationsServices, *, tenant: TenantContext, invitation_id: UUID
) -> None:
    require(tenant, Action.MANAGE_INVITATIONS)
    invitation = await uow.invitations.get(tenant.org_id, invitation_id, for_update=True)
    now = services.clock.now()
    if invitation is None or invitation.status(now) is not InvitationStatus.PENDING:
        raise NotFound("Invitation not found.")
    require_may_assign(tenant, invitation.role)
    invitation.revoked_at = now
    await uow.invitations.save(invitation)
    await uow.events.append(
        InvitationRevoked(
            occurred_at=now, organization_id=tenant.org_id, actor_id=tenant.user_id, invitation_id=invitation.id
        )
    )
    await uow.commit()


async def accept_invitation(
    uow: OrganizationsUnitOfWork,
    services: OrganizationsServices,
    *,
    token: str,
    user_id: UUID,
    user_email: str,
    email_verified: bool,
) -> Membership:
    now = services.clock.now()
    invitation = await uow.invitations.find_by_digest(digest_token(token or ""))
    if invitation is None or invitation.status(now) is not InvitationStatus.PENDING:
        raise InvalidInvitation()
    org = await uow.organizations.get(invitation.organization_id)
    if org is None or org.pending_deletion:
        raise InvalidInvitation()
    if not email_verified:
        raise PermissionDenied("Verify your email address before accepting an invitation.")
    if normalise_email(user_email) != invitation.email:
        # Bound to its email: a forwarded or stolen link is useless to anyone else.
        raise PermissionDenied("This invitation was sent to another email address.")
    if await uow.memberships.get(invitation.organization_id, user_id) is not None:
        raise Conflict("You are already a member of this organisation.")
    membership = Membership(invitation.organization_id, user_id, invitation.role, now)
    invitation.accepted_at = now
    await uow.invitations.save(invitation)
    await uow.memberships.add(membership)
    org_id = invitation.organization_id
    await uow.events.append(
        InvitationAccepted(occurred_at=now, organization_id=org_id, actor_id=user_id, invitation_id=invitation.id),
        MemberJoined(
            occurred_at=now,
            organization_id=org_id,
            actor_id=user_id,
            user_id=user_id,
            role=invitation.role,
            via="invitation",
        ),
    )
    await uow.commit()
    return membership


async def send_invitation_email(
    uow: OrganizationsUnitOfWork, services: OrganizationsServices, *, org_id: UUID, invitation_id: UUID
) -> bool:
    # Locked: a revoke committed while the mail goes out must not be undone by saving the token.
    invitation = await uow.invitations.get(org_id, invitation_id, for_update=True)
    org = await uow.organizations.get(org_id)
    if invitation is None or org is None or invitation.status(services.clock.now()) is not InvitationStatus.PENDING:
        return False
    token = new_opaque_token()
    raw, invitation.digest = token.raw, token.digest
    await uow.invitations.save(invitation)
    link = f"{services.app_base_url.rstrip('/')}/invitations/accept?{urlencode({'token': raw})}"
    text = (
        f"You have been invited to join {org.name} on NexusCore as {invitation.role.value}.\n\n"
        f"Accept the invitation (valid for 7 days, once):\n{link}\n\n— NexusCore\n"
    )
    await services.mailer.send(
        EmailMessage(to=(invitation.email,), subject=f"Join {org.name} on NexusCore", text=text, tags=("invitation",))
    )
    return True
