"""The leads context's part of the personal data map: leads, their activities, CSV uploads.

Only lead subjects have rows here, always within one organisation (the tenant is the one
responsible; the platform its processor). Erasing a lead deletes it with its activities;
an import whose uploaded CSV names the subject has its stored text and row report blanked
(the counts stay: they name nobody).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, delete, false, or_, select, update
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
from nexuscore.leads.adapters.sql.tables import ActivityRow, ImportRow, LeadRow
from nexuscore.platform.database import bind_rls_scope

_D = Masking.DELETE_ROW
ERASED_UPLOAD = ""
FIELDS: tuple[PersonalField, ...] = (
    PersonalField("leads_lead", "first_name", Category.IDENTITY, _D),
    PersonalField("leads_lead", "last_name", Category.IDENTITY, _D),
    PersonalField("leads_lead", "email", Category.CONTACT, _D),
    PersonalField("leads_lead", "phone", Category.CONTACT, _D),
    PersonalField("leads_lead", "company", Category.IDENTITY, _D, "employer"),
    PersonalField("leads_lead", "job_title", Category.IDENTITY, _D),
    PersonalField("leads_lead", "lost_reason", Category.CONTENT, _D),
    PersonalField("leads_lead", "tags", Category.CONTENT, _D),
    PersonalField("leads_lead", "marketing_consent_granted", Category.CONSENT, _D),
    PersonalField("leads_lead", "marketing_consent_source", Category.CONSENT, _D),
    PersonalField("leads_lead", "dnc_status", Category.CONSENT, _D),
    PersonalField("leads_activity", "body", Category.CONTENT, _D, "notes, calls, mails about the lead"),
    PersonalField("leads_activity", "details", Category.CONTENT, _D),
    PersonalField(
        "leads_import",
        "csv_text",
        Category.CONTENT,
        Masking.FIXED,
        "an uploaded CSV naming the subject",
        fixed_value=ERASED_UPLOAD,
    ),
    PersonalField(
        "leads_import", "errors", Category.CONTENT, Masking.FIXED, "rows quoted by the report", fixed_value="[]"
    ),
    PersonalField(
        "leads_import", "filename", Category.CONTENT, Masking.FIXED, "may name a person", fixed_value="erased.csv"
    ),
)

_LEAD_COLUMNS = (
    "first_name", "last_name", "email", "phone", "company", "company_uen", "job_title", "source", "status",
    "lost_reason", "tags", "next_follow_up", "marketing_consent_granted", "marketing_consent_recorded_at",
    "marketing_consent_source", "dnc_status", "dnc_checked_at", "created_at", "updated_at", "archived_at",
)  # fmt: skip


def _lead_match(subject: SubjectQuery) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = []
    if subject.lead_ids:
        conditions.append(LeadRow.id.in_(subject.lead_ids))
    if subject.emails:
        conditions.append(LeadRow.email.in_(subject.emails))
    if subject.phones:
        conditions.append(LeadRow.phone.in_(subject.phones))
    return or_(*conditions) if conditions else false()


def _names_subject(text: str, needles: Sequence[str]) -> bool:
    lowered = text.lower()
    return any(n and n.lower() in lowered for n in needles)


class LeadsPersonalData:
    name = "leads"
    fields: Sequence[PersonalField] = FIELDS

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def _leads(self, session: AsyncSession, subject: SubjectQuery) -> list[LeadRow]:
        rows = await session.scalars(
            select(LeadRow)
            .where(LeadRow.organization_id == subject.organization_id, _lead_match(subject))
            .order_by(LeadRow.id)
        )
        return list(rows)

    async def _imports_naming(self, session: AsyncSession, subject: SubjectQuery, needles: Sequence[str]) -> list[Any]:
        if not needles:
            return []
        rows = await session.execute(
            select(ImportRow.id, ImportRow.csv_text, ImportRow.errors, ImportRow.filename, ImportRow.created_at).where(
                ImportRow.organization_id == subject.organization_id
            )
        )
        return [r for r in rows if _names_subject(r.csv_text, needles) or _names_subject(str(r.errors), needles)]

    async def export(self, subject: SubjectQuery) -> Sequence[SubjectRecord]:
        if subject.kind is not SubjectKind.LEAD:
            return []
        async with self._sessions() as session, session.begin():
            await bind_rls_scope(session, org_id=subject.organization_id)
            leads = await self._leads(session, subject)
            out = [
                SubjectRecord(
                    "leads_lead",
                    str(lead.id),
                    lead.organization_id,
                    {c: json_safe(getattr(lead, c)) for c in _LEAD_COLUMNS},
                    subject_ref=f"lead:{lead.id}",
                    names=(f"{lead.first_name} {lead.last_name}".strip(),),
                )
                for lead in leads
            ]
            if leads:
                activities = await session.scalars(
                    select(ActivityRow)
                    .where(
                        ActivityRow.organization_id == subject.organization_id,
                        ActivityRow.lead_id.in_([lead.id for lead in leads]),
                    )
                    .order_by(ActivityRow.occurred_at)
                )
                out += [
                    SubjectRecord(
                        "leads_activity",
                        str(a.id),
                        a.organization_id,
                        {
                            "lead_id": str(a.lead_id),
                            "kind": a.kind,
                            "occurred_at": json_safe(a.occurred_at),
                            "body": a.body,
                            "details": json_safe(a.details),
                        },
                    )
                    for a in activities
                ]
            # The subject's own lines of an upload, not the whole file (others' rows stay out).
            needles = _contact_needles(subject, leads)
            for imp in await self._imports_naming(session, subject, needles):
                lines = [line for line in imp.csv_text.splitlines() if _names_subject(line, needles)]
                out.append(
                    SubjectRecord(
                        "leads_import",
                        str(imp.id),
                        subject.organization_id,
                        {"created_at": json_safe(imp.created_at), "csv_lines": lines},
                    )
                )
            return out

    async def erase(self, subject: SubjectQuery, salt: bytes) -> ErasureReport:
        if subject.kind is not SubjectKind.LEAD:
            return ErasureReport(self.name)
        async with self._sessions() as session, session.begin():
            await bind_rls_scope(session, org_id=subject.organization_id)
            leads = await self._leads(session, subject)
            needles = _contact_needles(subject, leads)
            imports = await self._imports_naming(session, subject, needles)
            if imports:
                await session.execute(
                    update(ImportRow)
                    .where(ImportRow.id.in_([i.id for i in imports]))
                    .values(csv_text=ERASED_UPLOAD, errors=[], filename="erased.csv")
                )
            ids = [lead.id for lead in leads]
            activities = 0
            if ids:
                # Merged leads point at their survivor; unlink before deleting either.
                await session.execute(
                    update(LeadRow)
                    .where(LeadRow.organization_id == subject.organization_id, LeadRow.merged_into_id.in_(ids))
                    .values(merged_into_id=None)
                )
                result = await session.execute(
                    delete(ActivityRow).where(
                        ActivityRow.organization_id == subject.organization_id, ActivityRow.lead_id.in_(ids)
                    )
                )
                activities = int(getattr(result, "rowcount", 0) or 0)
                await session.execute(delete(LeadRow).where(LeadRow.id.in_(ids)))
        return ErasureReport(
            self.name,
            deleted={"leads_lead": len(ids), "leads_activity": activities},
            masked={"leads_import": len(imports)} if imports else {},
        )


def _contact_needles(subject: SubjectQuery, leads: Sequence[LeadRow]) -> list[str]:
    """What identifies the subject in free text: their emails and phones (a phone also in its
    national form, as a CSV may carry it)."""
    needles = {*subject.emails, *subject.phones}
    for lead in leads:
        needles.update(v for v in (lead.email, lead.phone) if v)
    for phone in list(needles):
        if phone.startswith("+65"):
            needles.add(phone[3:])
    return sorted(needles)
