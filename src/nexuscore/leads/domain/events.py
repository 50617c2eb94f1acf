"""Domain events of the leads context.

Ids and non-secret facts only: personal data (names, emails, phones, free text such as a lost
reason) stays in the lead rows. The stored payload of each event is pinned by
tests/unit/leads/test_lead_event_payloads.py; subscribers and the audit trail rely on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar
from uuid import UUID

from nexuscore.kernel.events import DomainEvent
from nexuscore.leads.domain.model import LeadSource, LeadStatus


def lead_subject(lead_id: UUID) -> str:
    return f"lead:{lead_id}"


def import_subject(import_id: UUID) -> str:
    return f"lead_import:{import_id}"


@dataclass(frozen=True, kw_only=True)
class _LeadEvent(DomainEvent):
    """An event about one lead: `lead_id` names the subject and is not part of the payload."""

    lead_id: UUID

    @property
    def subject(self) -> str:
        return lead_subject(self.lead_id)

    def payload(self) -> dict[str, Any]:
        out = super().payload()
        del out["leadId"]
        return out


@dataclass(frozen=True, kw_only=True)
class LeadCreated(_LeadEvent):
    name: ClassVar[str] = "lead.created"

    source: LeadSource
    via: str = "api"


@dataclass(frozen=True, kw_only=True)
class LeadUpdated(_LeadEvent):
    """The API names of the changed fields (values are personal data and stay in the row)."""

    name: ClassVar[str] = "lead.updated"

    fields: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class LeadStatusChanged(_LeadEvent):
    """A pipeline move; stored as {"from", "to"} (the lost reason is free text and stays out)."""

    name: ClassVar[str] = "lead.status_changed"

    from_status: LeadStatus
    to_status: LeadStatus

    def payload(self) -> dict[str, Any]:
        return {"from": self.from_status.value, "to": self.to_status.value}


@dataclass(frozen=True, kw_only=True)
class LeadAssigned(_LeadEvent):
    """`via`: create, update, manual or round_robin; an absent owner is left out of the payload."""

    name: ClassVar[str] = "lead.assigned"

    owner_id: UUID | None
    previous_owner_id: UUID | None
    via: str


@dataclass(frozen=True, kw_only=True)
class LeadViewed(_LeadEvent):
    """A member opened the lead's record or its timeline (the PDPA use log's "who viewed").
    Coalesced: one per viewer and lead per Singapore day (domain/views.py). `role` is the
    viewer's role then; the viewer is the actor."""

    name: ClassVar[str] = "lead.viewed"

    role: str


@dataclass(frozen=True, kw_only=True)
class LeadMerged(_LeadEvent):
    """About the surviving lead; `fields` are the ones filled from the merged-away lead."""

    name: ClassVar[str] = "lead.merged"

    merged_lead_id: UUID
    moved_activities: int
    fields: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class LeadArchived(_LeadEvent):
    """`merged_into_id` is set when the lead was archived by a merge."""

    name: ClassVar[str] = "lead.archived"

    merged_into_id: UUID | None = None


@dataclass(frozen=True, kw_only=True)
class LeadsImported(DomainEvent):
    """One per CSV import job, with counts (never one per row)."""

    name: ClassVar[str] = "lead.imported"

    import_id: UUID
    created: int
    duplicates: int
    errors: int

    @property
    def subject(self) -> str:
        return import_subject(self.import_id)


@dataclass(frozen=True, kw_only=True)
class LeadsExported(DomainEvent):
    """Feeds the PDPA disclosure log: who exported how many leads, for what, with which filters."""

    name: ClassVar[str] = "lead.exported"

    purpose: str
    count: int
    filters: Mapping[str, Any] = field(default_factory=dict)
    completed: bool

    @property
    def subject(self) -> str:
        return f"organization:{self.organization_id}"
