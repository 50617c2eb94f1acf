"""What the privacy module puts on `app.state` for its routes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from litestar import Request

from nexuscore.kernel.personal_data import PersonalDataProvider

PRIVACY_STATE_KEY = "privacy"


@dataclass(frozen=True)
class PrivacyHttpState:
    providers: Sequence[PersonalDataProvider]


def privacy_state(request: Request[Any, Any, Any]) -> PrivacyHttpState:
    state: PrivacyHttpState = request.app.state[PRIVACY_STATE_KEY]
    return state
