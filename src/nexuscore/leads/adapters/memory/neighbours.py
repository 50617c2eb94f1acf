"""In-memory stand-in for the organisations context's member directory (the lead limit needs
none: adapters/entitlements.py's DefaultLeadEntitlements is one limit for all)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from nexuscore.leads.ports.repositories import OrgMember


class InMemoryMemberDirectory:
    """The organisations context's memberships: org id -> members in joining order."""

    def __init__(self, members: dict[UUID, list[OrgMember]] | None = None) -> None:
        self.by_org: dict[UUID, list[OrgMember]] = members or {}

    def add(self, org_id: UUID, member: OrgMember) -> None:
        self.by_org.setdefault(org_id, []).append(member)

    async def members(self, org_id: UUID) -> Sequence[OrgMember]:
        return list(self.by_org.get(org_id, []))
