"""HTTP adapter of the privacy context."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency

from nexuscore.identity.api import Principal
from nexuscore.kernel.errors import PermissionDenied
from nexuscore.platform.http.problem_docs import FORBIDDEN, problems
from nexuscore.privacy.adapters.http.schemas import DataMapFieldResponse, DataMapResponse
from nexuscore.privacy.adapters.http.state import privacy_state
from nexuscore.privacy.application.data_map import data_map

BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]


class PrivacyAdminController(Controller):
    path = "/api/v1/admin/privacy"
    tags = ["privacy"]
    security = BEARER
    opt = problems(FORBIDDEN)  # staff only

    @get("/data-map", summary="The personal data map: every personal field each context holds (staff)")
    async def get_data_map(
        self, request: Request[Any, Any, Any], principal: NamedDependency[Principal]
    ) -> DataMapResponse:
        if not principal.is_staff:
            raise PermissionDenied("Staff only.")
        entries = data_map(privacy_state(request).providers)
        return DataMapResponse(fields=[DataMapFieldResponse.of(e) for e in entries])
