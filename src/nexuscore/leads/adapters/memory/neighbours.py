"""In-memory stand-ins for what the leads context asks of its neighbours: the organisations
context's member directory and the subscriptions context's lead limit and features."""

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


class FixedLeadLimit:
    """One lead limit for every organisation (None: unlimited)."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit

    async def lead_limit(self, org_id: UUID) -> int | None:
        return self.limit

    async def require_feature(self, org_id: UUID, feature: str) -> None:
        return None
