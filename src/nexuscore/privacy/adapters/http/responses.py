"""What the privacy routes share: the zip response and the request response."""

from __future__ import annotations

from litestar import Response
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec

from nexuscore.kernel.errors import NotFound
from nexuscore.privacy.adapters.http.schemas import (
    PrivacyRequestResponse,
)
from nexuscore.privacy.adapters.sql.repositories import SqlPrivacyUnitOfWork
from nexuscore.privacy.application.services import PrivacyServices
from nexuscore.privacy.domain.model import Bundle
from nexuscore.privacy.domain.requests import PrivacyRequest

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]
ZIP = "application/zip"
Uow = NamedDependency[SqlPrivacyUnitOfWork]
Services = NamedDependency[PrivacyServices]
ZIP_RESPONSE = {
    200: ResponseSpec(
        data_container=bytes,
        media_type=ZIP,
        description="The access bundle: JSON and CSV files in a zip",
        generate_examples=False,
    )
}
PUBLIC_ANSWER = (
    "If this address is known to the organisation, a confirmation code is on its way to it. "
    "Nothing happens until the code is entered."
)


class BundleExpired(NotFound):
    code = "bundle-expired"


def zip_response(bundle: Bundle | None, services: PrivacyServices) -> Response[bytes]:
    if bundle is None:
        raise NotFound("No bundle for this request (yet).")
    if bundle.expired(services.clock.now()):
        raise BundleExpired("The download link has expired (links work for 7 days).")
    return Response(
        bundle.content,
        media_type=ZIP,
        headers={"Content-Disposition": f'attachment; filename="personal-data-{bundle.request_id}.zip"'},
    )


def request_response(request: PrivacyRequest, services: PrivacyServices) -> PrivacyRequestResponse:
    return PrivacyRequestResponse.of(request, services.clock.now())
