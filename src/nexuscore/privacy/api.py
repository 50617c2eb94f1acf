"""Published facade of the privacy context, for other contexts' adapters.

- The personal data contract (`PersonalDataProvider`, `PersonalField`, `Masking`, ...) lives
  in `nexuscore.kernel.personal_data`: a context implements it without importing privacy.
- `SqlSuppressionReader(sessions, secret_key)`: `await reader.suppressed(org_id, values)` is
  which of these normalised emails and phones belong to a subject erased in the organisation
  (the leads import keeps them out without fresh consent).
- `data_map(providers)` / `claimed_columns(providers)`: the map drawn from providers.

Routes, tasks and wiring are in `module.py`.
"""

from __future__ import annotations

from nexuscore.privacy.adapters.sql.suppression import SqlSuppressionReader
from nexuscore.privacy.application.data_map import DataMapEntry, claimed_columns, data_map

__all__ = ["DataMapEntry", "SqlSuppressionReader", "claimed_columns", "data_map"]

# Consent and Do Not Call, for the leads context's adapters (on the caller's session).
from nexuscore.privacy.adapters.sql.lead_eligibility import (
    LeadMarketingStanding,
    lead_marketing_standings,
)
from nexuscore.privacy.adapters.sql.lead_marketing import (
    LeadMarketingFacts,
    dnc_clear_phones,
    marketing_consented_leads,
    merge_lead_consents,
    record_lead_marketing,
)

__all__ += [
    "LeadMarketingFacts",
    "LeadMarketingStanding",
    "dnc_clear_phones",
    "lead_marketing_standings",
    "marketing_consented_leads",
    "merge_lead_consents",
    "record_lead_marketing",
]
