"""The leads import's view of the privacy context's suppression list (rule 3: its facade)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.leads.ports.repositories import ContactSuppression
from nexuscore.privacy.api import SqlSuppressionReader


def suppression_list(sessions: async_sessionmaker[AsyncSession], secret_key: str) -> ContactSuppression:
    return SqlSuppressionReader(sessions, secret_key)
