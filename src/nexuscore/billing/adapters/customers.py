"""The customer directory: an organisation's billing profile, read through the subscriptions facade."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.billing.domain.parties import BillingCustomer
from nexuscore.subscriptions.api import read_billing_profile


class SubscriptionsCustomerDirectory:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def customer(self, organization_id: UUID) -> BillingCustomer | None:
        profile = await read_billing_profile(self._s, organization_id)
        if profile is None:
            return None
        return BillingCustomer(
            organization_id=profile.organization_id,
            name=profile.legal_name,
            address_lines=profile.address_lines,
            postal_code=profile.postal_code,
            country=profile.country,
            email=profile.billing_email,
            uen=profile.uen,
            gst_registration_number=profile.gst_registration_number,
            overseas_evidence=profile.belonging_country is not None and profile.belonging_evidence is not None,
        )
