"""The leads fake's search: the filter and the sort orders of the SQL repository, in Python
(tests/contract holds the two to the same results)."""

from __future__ import annotations

from typing import Any

from nexuscore.leads.domain.model import Lead
from nexuscore.leads.ports.repositories import LeadFilter, LeadSort, LeadSortField

MAX_SEARCH_TERMS = 5


def matches(lead: Lead, f: LeadFilter) -> bool:
    if lead.archived:
        return False
    if f.statuses and lead.status not in f.statuses:
        return False
    if f.owner_id is not None and lead.owner_id != f.owner_id:
        return False
    if f.source is not None and lead.source is not f.source:
        return False
    if f.tag is not None and f.tag not in lead.tags:
        return False
    haystack = [value.lower() for value in (lead.first_name, lead.last_name, lead.email or "", lead.company or "")]
    for term in (f.text or "").lower().split()[:MAX_SEARCH_TERMS]:
        if not any(term in value for value in haystack):
            return False
    if f.created_from is not None and lead.created_at < f.created_from:
        return False
    if f.created_to is not None and lead.created_at > f.created_to:
        return False
    if f.score_min is not None and lead.score < f.score_min:
        return False
    return f.follow_up_before is None or (lead.next_follow_up is not None and lead.next_follow_up < f.follow_up_before)


def _sort_value(lead: Lead, sort_field: LeadSortField) -> Any:
    match sort_field:
        case LeadSortField.CREATED_AT:
            return lead.created_at
        case LeadSortField.UPDATED_AT:
            return lead.updated_at
        case LeadSortField.SCORE:
            return lead.score
        case LeadSortField.LAST_NAME:
            return lead.last_name
        case LeadSortField.COMPANY:
            return lead.company
        case LeadSortField.NEXT_FOLLOW_UP:
            return lead.next_follow_up
        case LeadSortField.ESTIMATED_VALUE:
            return lead.estimated_value.amount if lead.estimated_value is not None else None
        case LeadSortField.STATUS:
            return lead.status.value


def sort_leads(leads: list[Lead], sort: LeadSort) -> list[Lead]:
    present = [lead for lead in leads if _sort_value(lead, sort.field) is not None]
    missing = [lead for lead in leads if _sort_value(lead, sort.field) is None]
    present.sort(key=lambda lead: (_sort_value(lead, sort.field), lead.id), reverse=sort.descending)
    missing.sort(key=lambda lead: lead.id, reverse=sort.descending)
    # A missing value is the largest, as in PostgreSQL: last ascending, first descending.
    return missing + present if sort.descending else present + missing
