"""The subscriptions context's part of the personal data map: the billing profile's contact.

A billing profile is an organisation's invoicing identity; when its billing email is a user
subject's own address, erasure replaces it with a salted hash (the column is required), and
the legal name and address stay: they are the business's, printed on its tax invoices.

The local (development) gateway keeps Stripe-shaped copies of the customers it was told about
(`subscriptions_local_gateway_object`): where they name the subject, their addresses become
address-shaped hashes and other strings naming them salted hashes, as the real gateway's copy
would have to be erased at Stripe (out of this process's reach: the operator's to do).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, String, cast, false, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.kernel.personal_data import (
    Category,
    ErasureReport,
    Masking,
    PersonalField,
    RetainedField,
    SubjectKind,
    SubjectQuery,
    SubjectRecord,
    masked_email,
    mentions,
    scrub,
)
from nexuscore.platform.database import bind_rls_scope
from nexuscore.subscriptions.adapters.sql.tables import BillingProfileRow, LocalGatewayObjectRow

_T = "subscriptions_billing_profile"
_L = "subscriptions_local_gateway_object"
INVOICE_IDENTITY = "the organisation's legal identity on its tax invoices (IRAS: kept five years)"
FIELDS: tuple[PersonalField, ...] = (
    PersonalField(_T, "billing_email", Category.CONTACT, Masking.SALTED_HASH, "when it is the subject's"),
    PersonalField(_T, "legal_name", Category.FINANCIAL, Masking.RETAIN, retain_reason=INVOICE_IDENTITY, retain_years=5),
    PersonalField(
        _T, "address_lines", Category.FINANCIAL, Masking.RETAIN, retain_reason=INVOICE_IDENTITY, retain_years=5
    ),
    PersonalField(
        _T, "postal_code", Category.FINANCIAL, Masking.RETAIN, retain_reason=INVOICE_IDENTITY, retain_years=5
    ),
    PersonalField(
        _L,
        "data",
        Category.CONTACT,
        Masking.SALTED_HASH,
        "the local gateway's customer copies: strings naming the subject",
    ),
)


class BillingProfilePersonalData:
    name = "subscriptions"
    fields: Sequence[PersonalField] = FIELDS

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def export(self, subject: SubjectQuery) -> Sequence[SubjectRecord]:
        if subject.kind is not SubjectKind.USER or not subject.emails:
            return []
        async with self._sessions() as session, session.begin():
            await bind_rls_scope(session, system=True)
            rows = await session.scalars(
                select(BillingProfileRow).where(BillingProfileRow.billing_email.in_(subject.emails))
            )
            out = [
                SubjectRecord(_T, str(r.organization_id), r.organization_id, {"billing_email": r.billing_email})
                for r in rows
            ]
            for obj in await session.scalars(select(LocalGatewayObjectRow).where(_names(subject.emails))):
                values = mentions(obj.data, subject.needles)
                if values:
                    out.append(SubjectRecord(_L, obj.id, None, {"kind": obj.kind, "values": values}))
            return out

    async def erase(self, subject: SubjectQuery, salt: bytes) -> ErasureReport:
        if subject.kind is not SubjectKind.USER or not subject.emails:
            return ErasureReport(self.name)
        masked = 0
        async with self._sessions() as session, session.begin():
            await bind_rls_scope(session, system=True)
            for email in subject.emails:
                result = await session.execute(
                    update(BillingProfileRow)
                    .where(BillingProfileRow.billing_email == email)
                    .values(billing_email=masked_email(email, salt))
                )
                masked += int(getattr(result, "rowcount", 0) or 0)
            local = 0
            for obj in (await session.scalars(select(LocalGatewayObjectRow).where(_names(subject.needles)))).all():
                data, n = scrub(obj.data, subject.needles, salt, emails=subject.emails)
                if n:
                    await session.execute(
                        update(LocalGatewayObjectRow).where(LocalGatewayObjectRow.id == obj.id).values(data=data)
                    )
                    local += 1
        retained = (RetainedField(_T, "legal_name", INVOICE_IDENTITY, masked),) if masked else ()
        counts = {table: n for table, n in ((_T, masked), (_L, local)) if n}
        return ErasureReport(self.name, masked=counts, retained=retained)


def _names(needles: tuple[str, ...]) -> ColumnElement[bool]:
    """A prefilter on the local gateway's objects (as text) for any needle; scrub decides exactly."""
    escaped = [n.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for n in needles if n]
    terms = [cast(LocalGatewayObjectRow.data, String).ilike(f"%{e}%", escape="\\") for e in escaped]
    return or_(*terms) if terms else false()
