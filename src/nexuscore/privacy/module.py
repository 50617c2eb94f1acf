"""What the privacy context plugs into the composition root.

Unlike the other contexts, privacy is built after them: `build(infra, providers)` receives
every module's `personal_data_providers` (the composition root collects them), so a context
takes part in the data map, access bundles and erasure by publishing a provider, and privacy
names no other context for it.
"""

from __future__ import annotations

from collections.abc import Sequence

import click
from litestar.openapi.spec import Tag

from nexuscore.kernel.personal_data import PersonalDataProvider
from nexuscore.platform.modules import ContextModule, Infrastructure
from nexuscore.privacy.adapters.http.controllers import PrivacyAdminController
from nexuscore.privacy.adapters.http.state import PRIVACY_STATE_KEY, PrivacyHttpState

COMMANDS: list[click.Command] = []


def build(infra: Infrastructure, providers: Sequence[PersonalDataProvider] = ()) -> ContextModule:
    names = [p.name for p in providers]
    if len(set(names)) != len(names):
        raise ValueError(f"personal data providers must have distinct names: {names}")
    return ContextModule(
        name="privacy",
        openapi_tags=[Tag(name="privacy", description="PDPA: personal data map, data subject requests, erasure.")],
        route_handlers=[PrivacyAdminController],
        state={PRIVACY_STATE_KEY: PrivacyHttpState(providers=tuple(providers))},
    )
