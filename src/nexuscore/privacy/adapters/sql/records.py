"""SQL adapters of the privacy ports (consent, DNC, retention, breaches) and their unit of work.

A unit of work is bound to one organisation or to the platform (None) and filters every
statement on it; PostgreSQL row-level security (migration 0016) is the second wall.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import fields
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.events.api import sql_event_recorder
from nexuscore.kernel.clock import Clock
from nexuscore.kernel.events import EventRecorder
from nexuscore.kernel.ids import new_id
from nexuscore.kernel.paging import Page, PageRequest
from nexuscore.platform.database import bind_rls_scope
from nexuscore.privacy.adapters.sql.records_tables import breach_table, consent_table, dnc_table, retention_table
from nexuscore.privacy.domain.breaches import Breach, DataCategory
from nexuscore.privacy.domain.consent import ConsentMethod, ConsentRecord, Purpose, SubjectKind
from nexuscore.privacy.domain.dnc import DncCheck, DncResult
from nexuscore.privacy.domain.retention import RetentionCategory, RetentionRule

_C = consent_table
_D = dnc_table
_R = retention_table
_B = breach_table


def _scoped(column: Any, organization_id: UUID | None) -> ColumnElement[bool]:
    return column.is_(None) if organization_id is None else column == organization_id


def consent_from_row(row: Any) -> ConsentRecord:
    return ConsentRecord(
        id=row.id,
        organization_id=row.organization_id,
        subject_kind=SubjectKind(row.subject_kind),
        subject_id=row.subject_id,
        purpose=Purpose(row.purpose),
        given=row.given,
        notice_version=row.notice_version,
        method=ConsentMethod(row.method),
        at=row.at,
        recorded_at=row.recorded_at,
        recorded_by=row.recorded_by,
        note=row.note,
    )


def consent_values(record: ConsentRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "organization_id": record.organization_id,
        "subject_kind": record.subject_kind.value,
        "subject_id": record.subject_id,
        "purpose": record.purpose.value,
        "given": record.given,
        "notice_version": record.notice_version,
        "method": record.method.value,
        "at": record.at,
        "recorded_at": record.recorded_at,
        "recorded_by": record.recorded_by,
        "note": record.note,
    }


def dnc_from_row(row: Any) -> DncCheck:
    return DncCheck(
        id=row.id,
        organization_id=row.organization_id,
        phone=row.phone,
        result=DncResult(row.result),
        checked_on=row.checked_on,
        recorded_at=row.recorded_at,
        recorded_by=row.recorded_by,
    )


def dnc_values(check: DncCheck) -> dict[str, Any]:
    return {
        "id": check.id,
        "organization_id": check.organization_id,
        "phone": check.phone,
        "result": check.result.value,
        "checked_on": check.checked_on,
        "recorded_at": check.recorded_at,
        "recorded_by": check.recorded_by,
    }


_BREACH_FIELDS = [f.name for f in fields(Breach)]


def _breach(row: Any) -> Breach:
    values = {name: getattr(row, name) for name in _BREACH_FIELDS}
    values["categories"] = tuple(DataCategory(c) for c in row.categories)
    return Breach(**values)


def _breach_values(breach: Breach) -> dict[str, Any]:
    values = {name: getattr(breach, name) for name in _BREACH_FIELDS}
    values["categories"] = [c.value for c in breach.categories]
    return values


class SqlConsentRepository:
    def __init__(self, session: AsyncSession, organization_id: UUID | None) -> None:
        self._s = session
        self._org = organization_id

    async def add(self, record: ConsentRecord) -> None:
        if record.organization_id != self._org:
            raise ValueError("this repository is bound to another scope")
        await self._s.execute(insert(_C).values(**consent_values(record)))

    async def for_subject(self, kind: SubjectKind, subject_id: UUID) -> Sequence[ConsentRecord]:
        stmt = (
            select(_C)
            .where(
                _scoped(_C.c.organization_id, self._org), _C.c.subject_kind == kind.value, _C.c.subject_id == subject_id
            )
            .order_by(_C.c.at, _C.c.recorded_at, _C.c.id)
        )
        return [consent_from_row(row) for row in (await self._s.execute(stmt)).all()]


class SqlDncRepository:
    def __init__(self, session: AsyncSession, organization_id: UUID) -> None:
        self._s = session
        self._org = organization_id

    async def add(self, check: DncCheck) -> None:
        if check.organization_id != self._org:
            raise ValueError("this repository is bound to another organisation")
        await self._s.execute(insert(_D).values(**dnc_values(check)))

    async def history(self, phone: str | None, page: PageRequest) -> Page[DncCheck]:
        where = [_D.c.organization_id == self._org]
        if phone is not None:
            where.append(_D.c.phone == phone)
        total = int(await self._s.scalar(select(func.count()).select_from(_D).where(*where)) or 0)
        stmt = (
            select(_D)
            .where(*where)
            .order_by(_D.c.checked_on.desc(), _D.c.recorded_at.desc(), _D.c.id.desc())
            .limit(page.limit)
            .offset(page.offset)
        )
        items = [dnc_from_row(row) for row in (await self._s.execute(stmt)).all()]
        return Page(items=items, total=total, limit=page.limit, offset=page.offset)

    async def latest(self, phones: Collection[str]) -> dict[str, DncCheck]:
        return await latest_dnc_checks(self._s, self._org, phones)


async def latest_dnc_checks(
    session: AsyncSession, organization_id: UUID, phones: Collection[str]
) -> dict[str, DncCheck]:
    if not phones:
        return {}
    stmt = (
        select(_D)
        .where(_D.c.organization_id == organization_id, _D.c.phone.in_(list(set(phones))))
        .order_by(_D.c.phone, _D.c.checked_on, _D.c.recorded_at, _D.c.id)
    )
    latest: dict[str, DncCheck] = {}
    for row in (await session.execute(stmt)).all():
        latest[row.phone] = dnc_from_row(row)  # ascending: the last one seen is the latest
    return latest


class SqlRetentionRepository:
    def __init__(self, session: AsyncSession, organization_id: UUID) -> None:
        self._s = session
        self._org = organization_id

    async def overrides(self) -> Sequence[RetentionRule]:
        stmt = select(_R).where(_R.c.organization_id == self._org)
        return [
            RetentionRule(
                RetentionCategory(r.category),
                r.months,
                is_default=False,
                updated_at=r.updated_at,
                updated_by=r.updated_by,
            )
            for r in (await self._s.execute(stmt)).all()
        ]

    async def put(self, rule: RetentionRule) -> None:
        # Delete then insert, in the use case's transaction: portable, and a concurrent writer
        # of the same category meets the unique constraint rather than a silent double.
        await self._s.execute(delete(_R).where(_R.c.organization_id == self._org, _R.c.category == rule.category.value))
        await self._s.execute(
            insert(_R).values(
                id=new_id(),
                organization_id=self._org,
                category=rule.category.value,
                months=rule.months,
                updated_at=rule.updated_at,
                updated_by=rule.updated_by,
            )
        )


class SqlBreachRepository:
    def __init__(self, session: AsyncSession, organization_id: UUID | None) -> None:
        self._s = session
        self._org = organization_id

    async def add(self, breach: Breach) -> None:
        if breach.organization_id != self._org:
            raise ValueError("this repository is bound to another scope")
        await self._s.execute(insert(_B).values(**_breach_values(breach)))

    async def save(self, breach: Breach) -> None:
        values = {
            k: v
            for k, v in _breach_values(breach).items()
            if k not in ("id", "organization_id", "created_at", "created_by")
        }
        await self._s.execute(
            update(_B).where(_scoped(_B.c.organization_id, self._org), _B.c.id == breach.id).values(**values)
        )

    async def get(self, breach_id: UUID) -> Breach | None:
        row = (
            await self._s.execute(select(_B).where(_scoped(_B.c.organization_id, self._org), _B.c.id == breach_id))
        ).first()
        return None if row is None else _breach(row)

    async def all(self) -> Sequence[Breach]:
        rows = (
            await self._s.execute(select(_B).where(_scoped(_B.c.organization_id, self._org)).order_by(_B.c.id))
        ).all()
        return [_breach(row) for row in rows]


class SqlPrivacyUnitOfWork:
    """The privacy repositories of one scope (an organisation, or the platform) on one session."""

    def __init__(self, session: AsyncSession, organization_id: UUID | None, clock: Clock) -> None:
        self.session = session
        self._org = organization_id
        self._consents = SqlConsentRepository(session, organization_id)
        self._breaches = SqlBreachRepository(session, organization_id)
        self._events = sql_event_recorder(session, clock)
        self._dnc = SqlDncRepository(session, organization_id) if organization_id else None
        self._retention = SqlRetentionRepository(session, organization_id) if organization_id else None

    @property
    def organization_id(self) -> UUID | None:
        return self._org

    @property
    def consents(self) -> SqlConsentRepository:
        return self._consents

    @property
    def dnc(self) -> SqlDncRepository:
        if self._dnc is None:
            raise LookupError("DNC checks belong to an organisation")
        return self._dnc

    @property
    def retention(self) -> SqlRetentionRepository:
        if self._retention is None:
            raise LookupError("retention schedules belong to an organisation")
        return self._retention

    @property
    def breaches(self) -> SqlBreachRepository:
        return self._breaches

    @property
    def events(self) -> EventRecorder:
        return self._events

    async def bind(self, *, system: bool = False, user_id: UUID | None = None) -> None:
        await bind_rls_scope(self.session, org_id=self._org, system=system or None, user_id=user_id)

    async def commit(self) -> None:
        await self.session.commit()
