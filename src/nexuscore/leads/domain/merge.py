"""Merging a duplicate lead into the one that survives: which values the survivor takes."""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

from nexuscore.leads.domain.model import MAX_TAGS, Lead, LeadSource, MarketingConsent


def later_consent(a: MarketingConsent | None, b: MarketingConsent | None) -> MarketingConsent | None:
    """The person's latest statement wins (a later withdrawal must stop marketing, PDPA); on a
    tie the refusal wins, so a merge never turns a "no" into a "yes"."""
    if a is None or b is None:
        return a or b
    if a.recorded_at != b.recorded_at:
        return a if a.recorded_at > b.recorded_at else b
    return a if not a.granted else b


def fill_from(survivor: Lead, other: Lead, eligible_owners: Collection[UUID]) -> list[str]:
    """The survivor keeps every value it has; its empty fields are filled from the other; tags
    are united (its own first, the other's while room lasts); the later consent record is kept;
    the other's owner comes along only if they may own leads. Returns the API names filled."""
    filled: list[str] = []
    phone_taken = survivor.phone is None and other.phone is not None
    if survivor.email is None and other.email is not None:
        survivor.email = other.email
        filled.append("email")
    if survivor.phone is None and other.phone is not None:
        survivor.phone = other.phone
        filled.append("phone")
    if survivor.company is None and other.company is not None:
        survivor.company = other.company
        filled.append("company")
    if survivor.company_uen is None and other.company_uen is not None:
        survivor.company_uen = other.company_uen
        filled.append("companyUen")
    if survivor.job_title is None and other.job_title is not None:
        survivor.job_title = other.job_title
        filled.append("jobTitle")
    if survivor.estimated_value is None and other.estimated_value is not None:
        survivor.estimated_value = other.estimated_value
        filled.append("estimatedValue")
    if survivor.next_follow_up is None and other.next_follow_up is not None:
        survivor.next_follow_up = other.next_follow_up
        filled.append("nextFollowUp")
    if not survivor.last_name and other.last_name:
        survivor.last_name = other.last_name
        filled.append("lastName")
    if survivor.source is LeadSource.OTHER and other.source is not LeadSource.OTHER:
        survivor.source = other.source
        filled.append("source")
    if survivor.owner_id is None and other.owner_id is not None and other.owner_id in eligible_owners:
        survivor.owner_id = other.owner_id
        filled.append("ownerId")
    tags = survivor.tags + [t for t in other.tags if t not in survivor.tags]
    if tags[:MAX_TAGS] != survivor.tags:
        survivor.tags = tags[:MAX_TAGS]
        filled.append("tags")
    consent = later_consent(survivor.marketing_consent, other.marketing_consent)
    if consent is not survivor.marketing_consent:
        survivor.marketing_consent = consent
        filled.append("marketingConsent")
    # A DNC result is about one number: it comes along with the phone, or (same number) the newer check wins.
    same_phone = survivor.phone is not None and survivor.phone == other.phone
    other_newer = other.dnc_checked_at is not None and (
        survivor.dnc_checked_at is None or other.dnc_checked_at > survivor.dnc_checked_at
    )
    other_dnc = (other.dnc_status, other.dnc_checked_at)
    if (phone_taken or (same_phone and other_newer)) and (survivor.dnc_status, survivor.dnc_checked_at) != other_dnc:
        survivor.dnc_status, survivor.dnc_checked_at = other_dnc
        filled.append("dncStatus")
    return filled
