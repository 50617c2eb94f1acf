"""Domain events of the privacy context (consent, retention, breaches).

Ids, kinds, counts and times only: no personal values (no emails, phones, names, no breach
description). A breach's incident timeline is its events: recorded, then each update naming
the fields that changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from nexuscore.kernel.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class ConsentChanged(DomainEvent):
    name = "privacy.consent_changed"

    record_id: UUID
    subject_kind: str  # user | lead
    subject_id: UUID
    purpose: str
    given: bool
    method: str
    notice_version: str

    @property
    def subject(self) -> str:
        return f"{self.subject_kind}:{self.subject_id}"


@dataclass(frozen=True, kw_only=True)
class RetentionPurged(DomainEvent):
    name = "privacy.retention_purged"

    run_day: str  # the Singapore date of the run, ISO
    counts: Mapping[str, int] = field(default_factory=dict)  # category -> rows removed
    cutoffs: Mapping[str, str] = field(default_factory=dict)  # category -> ISO instant


@dataclass(frozen=True, kw_only=True)
class _BreachEvent(DomainEvent):
    breach_id: UUID

    @property
    def subject(self) -> str:
        return f"privacy_breach:{self.breach_id}"

    def payload(self) -> dict[str, Any]:
        out = super().payload()
        del out["breachId"]
        return out


@dataclass(frozen=True, kw_only=True)
class BreachRecorded(_BreachEvent):
    name = "privacy.breach_recorded"

    affected_count: int
    notifiable: bool
    categories: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class BreachUpdated(_BreachEvent):
    name = "privacy.breach_updated"

    changed: tuple[str, ...] = ()  # camelCase field names
    affected_count: int = 0
    notifiable: bool = False
