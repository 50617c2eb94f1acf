"""The list of context modules: adding a context is one line here."""

from __future__ import annotations

from types import ModuleType

from nexuscore.billing import module as billing
from nexuscore.identity import module as identity
from nexuscore.leads import module as leads
from nexuscore.organizations import module as organizations
from nexuscore.platform.modules import ContextModule, Infrastructure
from nexuscore.privacy import module as privacy
from nexuscore.subscriptions import module as subscriptions
from nexuscore.webhooks import module as webhooks

# Each `module.py` has `build(infra) -> ContextModule` and `COMMANDS` (see platform.modules).
# Privacy comes last: it is built with the others' personal data providers.
CONTEXT_PACKAGES: list[ModuleType] = [
    identity,
    organizations,
    subscriptions,
    billing,
    leads,
    webhooks,
    privacy,
]


def build_context_modules(infra: Infrastructure) -> list[ContextModule]:
    modules = [package.build(infra) for package in CONTEXT_PACKAGES if package is not privacy]
    providers = [provider for module in modules for provider in module.personal_data_providers]
    return [*modules, privacy.build(infra, providers)]
