"""The providers privacy works through: every module's, plus the event store's (the events
context is built after the others by the composition root, so privacy takes its provider
from its facade here)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.events.api import EventStorePersonalData
from nexuscore.kernel.personal_data import PersonalDataProvider
from nexuscore.privacy.adapters.sql.records_personal_data import ConsentRecordsPersonalData


def all_providers(
    given: Sequence[PersonalDataProvider], sessions: async_sessionmaker[AsyncSession]
) -> list[PersonalDataProvider]:
    # The consent and DNC records (this context's own, kept apart from the requests' rows).
    providers = [*given, EventStorePersonalData(sessions), ConsentRecordsPersonalData(sessions)]
    names = [p.name for p in providers]
    if len(set(names)) != len(names):
        raise ValueError(f"personal data providers must have distinct names: {names}")
    return providers
