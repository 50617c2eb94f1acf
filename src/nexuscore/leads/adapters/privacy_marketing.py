"""The leads context's door to the privacy context for marketing: consent and Do Not Call
results live there (privacy.api); leads records what its own API and imports are told there,
and asks there who may be marketed to.

Why ask privacy synchronously rather than keep a projection fed by privacy.consent_changed:
a withdrawal must stop use at once (PDPA), and an event-fed copy lags by a relay round (and
by however long a broken relay is down). Both live in one database, so reading through the
facade on the caller's session costs one statement and is exact at commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.kernel.clock import Clock
from nexuscore.leads.domain.model import Lead, LeadSource, MarketingConsent
from nexuscore.leads.ports.repositories import MarketingStanding
from nexuscore.privacy import api as privacy


def marketing_facts(lead: Lead) -> privacy.LeadMarketingFacts | None:
    """The lead's consent and DNC result as privacy takes them, or None when it has neither."""
    consent = lead.marketing_consent
    if consent is None and lead.dnc_checked_at is None:
        return None
    return privacy.LeadMarketingFacts(
        lead_id=lead.id,
        phone=lead.phone,
        consent_given=None if consent is None else consent.granted,
        consent_at=None if consent is None else consent.recorded_at,
        consent_source=None if consent is None else consent.source,
        dnc_status=lead.dnc_status.value,
        dnc_checked_on=lead.dnc_checked_at,
        actor_id=lead.updated_by,
        imported=lead.source is LeadSource.IMPORT,
    )


async def record_marketing_facts(session: AsyncSession, org_id: UUID, leads: Sequence[Lead], clock: Clock) -> None:
    facts = [f for lead in leads if (f := marketing_facts(lead)) is not None]
    if facts:
        await privacy.record_lead_marketing(session, org_id, facts, clock)


class PrivacyMarketingPermissions:
    def __init__(self, session: AsyncSession, org_id: UUID, clock: Clock) -> None:
        self._s = session
        self._org = org_id
        self._clock = clock

    async def merge_consents(self, from_lead_id: UUID, into_lead_id: UUID, actor_id: UUID) -> None:
        await privacy.merge_lead_consents(
            self._s, self._org, from_lead=from_lead_id, into_lead=into_lead_id, actor_id=actor_id, clock=self._clock
        )

    async def standings(self, leads: Sequence[Lead], today: date) -> dict[UUID, MarketingStanding]:
        if not leads:
            return {}
        held = await privacy.lead_marketing_standings(
            self._s, self._org, [(lead.id, lead.phone) for lead in leads], today
        )
        return {lead.id: _standing(lead, held[lead.id], today) for lead in leads}


def _standing(lead: Lead, held: privacy.LeadMarketingStanding, today: date) -> MarketingStanding:
    consent = None
    if held.consent_given is not None and held.consent_at is not None and held.consent_source is not None:
        consent = MarketingConsent(granted=held.consent_given, recorded_at=held.consent_at, source=held.consent_source)
    # Privacy checks DNC per number; a lead without a phone needs its own DNC entry clear and
    # recent (the leads rule, kept: such a lead was never checkable at the register).
    eligible = held.eligible and (lead.phone is not None or lead.dnc_valid_on(today))
    return MarketingStanding(consent=consent, eligible=eligible)
