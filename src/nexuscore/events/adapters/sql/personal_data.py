"""The event store's part of the personal data map.

Events name their subject by id (`user:<id>`, `lead:<id>`) and mostly carry no personal
values, but a few do (an email change's addresses, a sign-in's IP, an export's search text).
For an access request the store is the use and disclosure log: the events about the subject
in the period asked for (for a lead, lead.viewed says who opened its record), and the
organisation's lead exports and imports (which may have included a lead subject: their
filters, which may name other people, are left out). Erasure
replaces every payload string that names the subject (email, phone, full name) with its
salted hash; the envelope (type, time, actor id) stays as the audit trail.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, String, cast, false, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.events.adapters.sql.tables import DomainEventRow
from nexuscore.kernel.personal_data import (
    Category,
    ErasureReport,
    Masking,
    PersonalField,
    SubjectKind,
    SubjectQuery,
    SubjectRecord,
    json_safe,
    salted_hash,
    scrub,
)
from nexuscore.platform.database import bind_rls_scope

_T = "events_domain_event"
FIELDS: tuple[PersonalField, ...] = (
    PersonalField(
        _T, "payload", Category.CONTENT, Masking.SALTED_HASH, "strings naming the subject (an email change, an IP)"
    ),
)
# Events of a tenant that concern its leads as a group: in a lead subject's log.
TENANT_LOG_TYPES = ("lead.exported", "lead.imported")
# Payload keys of the subject's own events that are personal whatever their value.
PERSONAL_KEYS = ("ip", "newEmail", "previousEmail", "email")


class EventStorePersonalData:
    name = "events"
    fields: Sequence[PersonalField] = FIELDS

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def _bind(self, session: AsyncSession, subject: SubjectQuery) -> None:
        if subject.kind is SubjectKind.USER:
            await bind_rls_scope(session, system=True)
        else:
            await bind_rls_scope(session, org_id=subject.organization_id)

    def _scope(self, subject: SubjectQuery) -> ColumnElement[bool]:
        if subject.kind is SubjectKind.LEAD:
            return DomainEventRow.organization_id == subject.organization_id
        return DomainEventRow.id.is_not(None)

    async def export(self, subject: SubjectQuery) -> Sequence[SubjectRecord]:
        refs = subject.refs
        about = DomainEventRow.subject.in_(refs) if refs else false()
        tenant_log: ColumnElement[bool] = false()
        if subject.kind is SubjectKind.LEAD:
            tenant_log = DomainEventRow.type.in_(TENANT_LOG_TYPES)
        query = select(DomainEventRow).where(self._scope(subject), or_(about, tenant_log))
        if subject.log_since is not None:
            query = query.where(DomainEventRow.occurred_at >= subject.log_since)
        async with self._sessions() as session, session.begin():
            await self._bind(session, subject)
            rows = await session.scalars(query.order_by(DomainEventRow.id))
            out = []
            for row in rows:
                mine = row.subject in refs
                payload = json_safe(row.payload) if mine else _group_summary(row.payload)
                out.append(
                    SubjectRecord(
                        _T,
                        str(row.id),
                        row.organization_id,
                        {
                            "type": row.type,
                            "occurred_at": json_safe(row.occurred_at),
                            "actor_id": json_safe(row.actor_id),
                            "about_subject": mine,
                            "payload": payload,
                        },
                    )
                )
            return out

    async def erase(self, subject: SubjectQuery, salt: bytes) -> ErasureReport:
        needles = subject.needles
        refs = subject.refs
        conditions: list[ColumnElement[bool]] = [
            cast(DomainEventRow.payload, String).ilike(f"%{_like(n)}%", escape="\\") for n in needles
        ]
        if refs:
            conditions.append(DomainEventRow.subject.in_(refs))
        if not conditions:
            return ErasureReport(self.name)
        masked = 0
        async with self._sessions() as session, session.begin():
            await self._bind(session, subject)
            rows = (
                await session.execute(
                    select(DomainEventRow.id, DomainEventRow.subject, DomainEventRow.payload).where(
                        self._scope(subject), or_(*conditions)
                    )
                )
            ).all()
            for row in rows:
                payload = dict(row.payload or {})
                changed = 0
                if row.subject in refs:
                    for key in PERSONAL_KEYS:
                        if isinstance(payload.get(key), str):
                            payload[key], changed = _hash_key(payload[key], salt), changed + 1
                payload, n = scrub(payload, needles, salt)
                if changed or n:
                    await session.execute(
                        update(DomainEventRow).where(DomainEventRow.id == row.id).values(payload=payload)
                    )
                    masked += 1
        return ErasureReport(self.name, masked={_T: masked} if masked else {})


def _group_summary(payload: dict[str, object] | None) -> dict[str, object]:
    """What a lead may learn of a tenant-wide export or import: not its filters."""
    data = payload or {}
    return {k: data[k] for k in ("purpose", "count", "completed", "created", "duplicates", "errors") if k in data}


def _hash_key(value: str, salt: bytes) -> str:
    return value if value.startswith("h:") else salted_hash(value, salt)


def _like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
