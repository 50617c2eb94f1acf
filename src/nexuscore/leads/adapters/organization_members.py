"""MemberDirectory port on the organisations context's published facade."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.leads.ports.repositories import OrgMember
from nexuscore.organizations.api import list_member_roles


class OrganizationMemberDirectory:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def members(self, org_id: UUID) -> Sequence[OrgMember]:
        return [OrgMember(user_id, role) for user_id, role in await list_member_roles(self._session, org_id)]
