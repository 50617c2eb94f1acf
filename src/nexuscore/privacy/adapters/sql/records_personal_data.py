"""Personal data in the consent and DNC records: a checked phone number, and the free-text
note a consent may carry. The records themselves stay after an erasure (they prove what was
agreed or withdrawn, and name the subject by id only); the note is blanked and the subject's
DNC checks go."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, delete, false, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.kernel.personal_data import (
    Category,
    ErasureReport,
    Masking,
    PersonalField,
    SubjectKind,
    SubjectQuery,
    SubjectRecord,
    json_safe,
)
from nexuscore.platform.database import bind_rls_scope
from nexuscore.privacy.adapters.sql.records_tables import consent_table, dnc_table

_C = consent_table.c
_D = dnc_table.c
FIELDS: tuple[PersonalField, ...] = (
    PersonalField("privacy_dnc_check", "phone", Category.CONSENT, Masking.DELETE_ROW, "a Do Not Call register check"),
    PersonalField("privacy_consent_record", "note", Category.CONTENT, Masking.NULL, "how a consent was given"),
)
_CONSENT_COLUMNS = ("purpose", "given", "notice_version", "method", "at", "recorded_at", "note")


def _consents_of(subject: SubjectQuery) -> ColumnElement[bool]:
    if subject.kind is SubjectKind.USER:
        return (_C.subject_kind == "user") & (_C.subject_id == subject.user_id) & _C.organization_id.is_(None)
    if not subject.lead_ids:
        return false()
    return (
        (_C.organization_id == subject.organization_id)
        & (_C.subject_kind == "lead")
        & _C.subject_id.in_(subject.lead_ids)
    )


def _checks_of(subject: SubjectQuery) -> ColumnElement[bool]:
    if subject.kind is not SubjectKind.LEAD or not subject.phones:
        return false()
    return (_D.organization_id == subject.organization_id) & _D.phone.in_(subject.phones)


class ConsentRecordsPersonalData:
    name = "privacy_records"
    fields: Sequence[PersonalField] = FIELDS

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def _bind(self, session: AsyncSession, subject: SubjectQuery) -> None:
        if subject.kind is SubjectKind.LEAD:
            await bind_rls_scope(session, org_id=subject.organization_id)
        else:
            await bind_rls_scope(session, system=True)

    async def export(self, subject: SubjectQuery) -> Sequence[SubjectRecord]:
        async with self._sessions() as session, session.begin():
            await self._bind(session, subject)
            consents = (await session.execute(select(consent_table).where(_consents_of(subject)).order_by(_C.at))).all()
            checks = (await session.execute(select(dnc_table).where(_checks_of(subject)).order_by(_D.checked_on))).all()
        out = [
            SubjectRecord(
                "privacy_consent_record",
                str(row.id),
                row.organization_id,
                {c: json_safe(getattr(row, c)) for c in _CONSENT_COLUMNS},
            )
            for row in consents
        ]
        out += [
            SubjectRecord(
                "privacy_dnc_check",
                str(row.id),
                row.organization_id,
                {"phone": row.phone, "result": row.result, "checked_on": json_safe(row.checked_on)},
            )
            for row in checks
        ]
        return out

    async def erase(self, subject: SubjectQuery, salt: bytes) -> ErasureReport:
        async with self._sessions() as session, session.begin():
            await self._bind(session, subject)
            masked = await session.execute(
                update(consent_table).where(_consents_of(subject), _C.note.is_not(None)).values(note=None)
            )
            deleted = await session.execute(delete(dnc_table).where(_checks_of(subject)))
        return ErasureReport(
            provider=self.name,
            deleted={"privacy_dnc_check": int(deleted.rowcount or 0)},  # type: ignore[attr-defined]
            masked={"privacy_consent_record": int(masked.rowcount or 0)},  # type: ignore[attr-defined]
        )


__all__ = ["ConsentRecordsPersonalData"]
