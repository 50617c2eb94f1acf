"""Lead score: 0-100 from four explainable factors, each reason shown to the user.

| factor       | max | how |
|--------------|----:|-----|
| completeness |  30 | 6 points each for email, phone, company, job title, company UEN |
| source       |  20 | referral 20, partner 16, event 14, website 12, ads 8, import 6, cold outreach 4, other 4 |
| engagement   |  30 | 6 per logged note/call/email (up to 4), 10 per meeting, capped at 30 |
| recency      |  20 | last interaction within 7 days 20, within 30 days 10, within 90 days 5 |

Recomputed whenever a lead or its activities change (so "recency" is as of that moment).
"""

from __future__ import annotations

from datetime import datetime

from nexuscore.leads.domain.model import Engagement, Lead, LeadSource, ScoreReason

COMPLETENESS_POINTS = 6
SOURCE_POINTS: dict[LeadSource, int] = {
    LeadSource.REFERRAL: 20,
    LeadSource.PARTNER: 16,
    LeadSource.EVENT: 14,
    LeadSource.WEBSITE: 12,
    LeadSource.ADS: 8,
    LeadSource.IMPORT: 6,
    LeadSource.COLD_OUTREACH: 4,
    LeadSource.OTHER: 4,
}
INTERACTION_POINTS = 6
COUNTED_INTERACTIONS = 4
MEETING_POINTS = 10
MAX_ENGAGEMENT = 30
RECENCY_POINTS = ((7, 20), (30, 10), (90, 5))


def score_lead(lead: Lead, engagement: Engagement, now: datetime) -> tuple[int, list[ScoreReason]]:
    reasons: list[ScoreReason] = []
    present = [
        label
        for label, value in (
            ("email", lead.email),
            ("phone", lead.phone),
            ("company", lead.company),
            ("job title", lead.job_title),
            ("company UEN", lead.company_uen),
        )
        if value
    ]
    if present:
        reasons.append(ScoreReason("completeness", "Has " + ", ".join(present), COMPLETENESS_POINTS * len(present)))

    source_points = SOURCE_POINTS[lead.source]
    reasons.append(ScoreReason("source", f"Source: {lead.source.value.replace('_', ' ')}", source_points))

    other = engagement.interactions - engagement.meetings
    engagement_points = min(
        MAX_ENGAGEMENT, INTERACTION_POINTS * min(other, COUNTED_INTERACTIONS) + MEETING_POINTS * engagement.meetings
    )
    if engagement_points:
        detail = f"{engagement.interactions} logged interaction(s), {engagement.meetings} meeting(s)"
        reasons.append(ScoreReason("engagement", detail, engagement_points))

    if engagement.last_interaction_at is not None:
        age_days = (now - engagement.last_interaction_at).days
        for within, points in RECENCY_POINTS:
            if age_days <= within:
                reasons.append(ScoreReason("recency", f"Last interaction within {within} days", points))
                break

    return min(100, sum(r.points for r in reasons)), reasons


def rescore(lead: Lead, engagement: Engagement, now: datetime) -> None:
    lead.score, lead.score_reasons = score_lead(lead, engagement, now)
