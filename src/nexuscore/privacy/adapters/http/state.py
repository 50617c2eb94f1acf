"""What the privacy module puts on `app.state` for its routes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from litestar import Request

from nexuscore.privacy.application.data_map import MapsFields
from nexuscore.privacy.application.services import PrivacyServices

PRIVACY_STATE_KEY = "privacy"


@dataclass(frozen=True)
class PrivacyHttpState:
    services: PrivacyServices  # its providers: every processing step
    data_map: Sequence[MapsFields]  # the providers and privacy's own fields


def privacy_state(request: Request[Any, Any, Any]) -> PrivacyHttpState:
    state: PrivacyHttpState = request.app.state[PRIVACY_STATE_KEY]
    return state
