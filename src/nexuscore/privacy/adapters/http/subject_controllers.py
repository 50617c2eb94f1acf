"""Routes of data subjects themselves: a user's requests about their account, the public
intake of a tenant with its emailed code, and bundle links."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, PathParameter
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.identity.api import Principal, confirm_password, lookup_users
from nexuscore.kernel.errors import Conflict, NotFound
from nexuscore.kernel.paging import PageRequest
from nexuscore.kernel.tokens import digest_token
from nexuscore.organizations.api import organization_exists, organizations_solely_owned_by
from nexuscore.platform.http.client import client_ip
from nexuscore.platform.http.problem_docs import CONFLICT, RATE_LIMITED, problems
from nexuscore.platform.http.structs import Limit, Offset
from nexuscore.privacy.adapters.http.dependencies import (
    provide_privacy_link_uow,
    provide_privacy_public_uow,
    provide_privacy_user_uow,
)
from nexuscore.privacy.adapters.http.responses import (
    BEARER,
    PUBLIC_ANSWER,
    ZIP,
    ZIP_RESPONSE,
    Services,
    Uow,
    request_response,
    zip_response,
)
from nexuscore.privacy.adapters.http.schemas import (
    DeleteAccountRequest,
    PrivacyRequestPage,
    PrivacyRequestResponse,
    PublicPrivacyRequest,
    PublicRequestAccepted,
    VerifyCodeRequest,
)
from nexuscore.privacy.application import requests
from nexuscore.privacy.domain.requests import RequestKind


class MyPrivacyController(Controller):
    """A user's requests about their own account (the platform answers them)."""

    path = "/api/v1/me"
    tags = ["privacy"]
    security = BEARER
    dependencies = {"privacy_uow": Provide(provide_privacy_user_uow)}

    @post(
        "/privacy/export",
        status_code=HTTP_202_ACCEPTED,
        summary="Ask for your personal data (an access request); the download link is mailed to you",
    )
    async def request_my_data(
        self, principal: NamedDependency[Principal], privacy_uow: Uow, privacy_services: Services
    ) -> PrivacyRequestResponse:
        email = await _account_email(privacy_uow.session, principal.user_id)
        created = await requests.submit_user_request(
            privacy_uow, privacy_services, user_id=principal.user_id, email=email, kind=RequestKind.ACCESS
        )
        return request_response(created, privacy_services)

    @get("/privacy/requests", summary="Your privacy requests, newest first")
    async def list_my_requests(
        self,
        principal: NamedDependency[Principal],
        privacy_uow: Uow,
        privacy_services: Services,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> PrivacyRequestPage:
        page = await privacy_uow.requests.page_for_user(principal.user_id, PageRequest(limit=limit, offset=offset))
        return PrivacyRequestPage.of(page, lambda r: request_response(r, privacy_services))

    @get("/privacy/requests/{request_id:uuid}", summary="One of your privacy requests")
    async def get_my_request(
        self,
        request_id: FromPath[UUID],
        principal: NamedDependency[Principal],
        privacy_uow: Uow,
        privacy_services: Services,
    ) -> PrivacyRequestResponse:
        found = await requests.get_own_request(privacy_uow, user_id=principal.user_id, request_id=request_id)
        return request_response(found, privacy_services)

    @get(
        "/privacy/requests/{request_id:uuid}/bundle",
        summary="Download the bundle of your access request",
        media_type=ZIP,
        responses=ZIP_RESPONSE,
    )
    async def download_my_bundle(
        self,
        request_id: FromPath[UUID],
        principal: NamedDependency[Principal],
        privacy_uow: Uow,
        privacy_services: Services,
    ) -> Response[bytes]:
        found = await requests.get_own_request(privacy_uow, user_id=principal.user_id, request_id=request_id)
        return zip_response(await privacy_uow.bundles.for_request(found.id), privacy_services)


async def _account_email(session: AsyncSession, user_id: UUID) -> str:
    users = await lookup_users(session, [user_id])
    if user_id not in users:
        raise NotFound("User not found.")
    return users[user_id].email


class PublicPrivacyController(Controller):
    """Anyone's requests to an organisation, verified by an emailed code; bundle links."""

    path = "/api/v1/public"
    tags = ["privacy"]

    @post(
        "/orgs/{org_id:uuid}/privacy/requests",
        status_code=HTTP_202_ACCEPTED,
        summary="Ask an organisation about your personal data; a 6-digit code is mailed to the address",
        dependencies={"privacy_uow": Provide(provide_privacy_public_uow)},
        opt=problems(RATE_LIMITED),
    )
    async def submit_public_privacy_request(
        self,
        request: Request[Any, Any, Any],
        org_id: FromPath[UUID],
        data: JSONBody[PublicPrivacyRequest],
        privacy_uow: Uow,
        privacy_services: Services,
    ) -> PublicRequestAccepted:
        """The same answer whether or not the organisation knows the address. 429 `rate-limited`
        (with `Retry-After`) past 10 requests an hour from one client address, or 3 an hour about
        one address to one organisation (known or not: the limit tells nothing either)."""
        await requests.admit_public_client(privacy_services, ip=client_ip(request))
        if not await organization_exists(privacy_uow.session, org_id):
            raise NotFound("Organisation not found.")
        created = await requests.submit_public_request(
            privacy_uow, privacy_services, organization_id=org_id, kind=data.kind, email=data.email
        )
        return PublicRequestAccepted(request_id=created.id, status=created.status, detail=PUBLIC_ANSWER)

    @post(
        "/orgs/{org_id:uuid}/privacy/requests/{request_id:uuid}/verify",
        status_code=HTTP_200_OK,
        summary="Enter the mailed code (valid 10 minutes, 5 attempts)",
        dependencies={"privacy_uow": Provide(provide_privacy_public_uow)},
        opt=problems(CONFLICT, RATE_LIMITED),
    )
    async def verify_public_privacy_request(
        self,
        request: Request[Any, Any, Any],
        org_id: FromPath[UUID],
        request_id: FromPath[UUID],
        data: JSONBody[VerifyCodeRequest],
        privacy_uow: Uow,
        privacy_services: Services,
    ) -> PublicRequestAccepted:
        """422 `verification-failed` for a wrong code (attempts left in the message); 409
        `verification-expired` once the code is 10 minutes old or was tried 5 times; 429
        `rate-limited` (with `Retry-After`) past 20 attempts an hour from one client address."""
        verified = await requests.verify_public_request(
            privacy_uow,
            privacy_services,
            organization_id=org_id,
            request_id=request_id,
            code=data.code,
            ip=client_ip(request),
        )
        return PublicRequestAccepted(
            request_id=verified.id,
            status=verified.status,
            detail="Thank you: the organisation will answer within 30 days.",
        )

    @get(
        "/privacy/bundles/{token:str}",
        summary="Download an access bundle through the mailed link (valid 7 days)",
        media_type=ZIP,
        responses=ZIP_RESPONSE,
        dependencies={"privacy_uow": Provide(provide_privacy_link_uow)},
    )
    async def download_bundle_by_link(
        self, token: Annotated[str, PathParameter(max_length=100)], privacy_uow: Uow, privacy_services: Services
    ) -> Response[bytes]:
        return zip_response(await privacy_uow.bundles.by_token_digest(digest_token(token)), privacy_services)


# A bare handler, not a controller's: identity's MeController owns `/api/v1/me` (GET, PATCH),
# and Litestar merging a second controller's router on that path clashes on their OPTIONS
# handlers. Registered after it (the privacy module comes after identity's).
@delete(
    "/api/v1/me",
    tags=["privacy"],
    security=BEARER,
    dependencies={"privacy_uow": Provide(provide_privacy_user_uow)},
    status_code=HTTP_202_ACCEPTED,
    summary="Delete your account and your personal data (confirm with your password)",
    opt=problems(CONFLICT, RATE_LIMITED),
)
async def delete_my_account(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    data: JSONBody[DeleteAccountRequest],
    privacy_uow: Uow,
    privacy_services: Services,
) -> PrivacyRequestResponse:
    """409 `conflict` with `organizationIds` while you are the only owner of an organisation."""
    ip = client_ip(request)
    user = await confirm_password(
        privacy_uow.session, request.app.state, user_id=principal.user_id, password=data.password, ip=ip
    )
    solely = await organizations_solely_owned_by(privacy_uow.session, principal.user_id)
    if solely:
        raise Conflict(requests.LAST_OWNER, extra={"organizationIds": [str(o) for o in solely]})
    created = await requests.submit_user_request(
        privacy_uow, privacy_services, user_id=principal.user_id, email=user.email, kind=RequestKind.DELETION
    )
    return request_response(created, privacy_services)
