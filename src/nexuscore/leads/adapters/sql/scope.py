"""The tenant a leads unit of work is bound to, and small SQL helpers its repositories share."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.kernel.paging import PageRequest
from nexuscore.platform.database import RLS_INFO_KEY, bind_rls_scope


def is_postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def page_total(page: PageRequest, found: int) -> int | None:
    """The total when this page shows it is the last one (no count query needed), else None."""
    if (found and found < page.limit) or (not found and page.offset == 0):
        return page.offset + found
    return None


class TenantScope:
    """The tenant a unit of work is bound to, and its row-level-security scope on the session.

    Built outside a transaction, the scope is recorded at once (what `bind_rls_scope` does then):
    the after-begin hook applies it to every transaction of the session, at no extra statement.
    Built inside a transaction bound to another tenant (or none), the first repository call
    applies it.
    """

    def __init__(self, session: AsyncSession, org_id: UUID) -> None:
        self.session = session
        self.org_id = org_id
        scope: dict[str, Any] = session.info.setdefault(RLS_INFO_KEY, {})
        self._bound = scope.get("org") == org_id  # e.g. the request's tenant dependency bound it
        if not self._bound and not session.in_transaction():
            scope["org"] = org_id
            self._bound = True

    async def ready(self) -> None:
        if not self._bound:
            await bind_rls_scope(self.session, org_id=self.org_id)
            self._bound = True

    def check(self, org_id: UUID) -> None:
        if org_id != self.org_id:
            raise ValueError("this repository is bound to another organisation")
