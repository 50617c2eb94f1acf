"""The billing context's part of the personal data map: invoices and credit notes.

Who is a subject here. Billing's customers are organisations, so its documents hold a person's
data only where a person is named on them: the billing contact's address snapshotted into the
customer party at finalisation (the billing profile's email, often a user's own), and free text
staff or the gateway wrote (notes, line descriptions, a void or credit reason, a payment
reference). Only user subjects count: the platform issues these documents as the organisation
responsible; a lead is a person in a tenant's CRM, never on our invoices, so billing holds
nothing for a lead subject.

Finding them. A user subject's documents are those whose customer snapshot carries one of the
subject's addresses, or whose free text contains one. The access bundle takes those documents
and, of their personal fields, the contact address and each text that names the subject.
Erasure also looks for the subject's full name in free text on any document: a namesake's text
may be masked with it, which only costs text the law does not require (over-masking is the safe
side; exporting a namesake's text would not be).

Erasure. Documents of record are kept five years (IRAS) and rows are never deleted (a trigger
refuses it, drafts included): the customer's email becomes an address-shaped salted hash,
notes and void reasons naming the subject become `[erased]`, and on a draft (never issued, so
no particular of a tax invoice yet) line descriptions naming the subject too. What an issued
document must carry stays, and the report says why: the customer's name and address (tax
invoice particulars; a sole trader's name is the business's), the customer's registration
numbers, the line descriptions and a credit note's reason (the document as issued), a payment
reference (the payment's accounting record). The supplier party is the platform operator's
own details, not a person's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, String, cast, false, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.billing.adapters.sql.tables import CreditNoteRow, InvoiceRow
from nexuscore.kernel.clock import Clock
from nexuscore.kernel.personal_data import (
    Category,
    ErasureReport,
    Masking,
    PersonalField,
    RetainedField,
    SubjectKind,
    SubjectQuery,
    SubjectRecord,
    json_safe,
    masked_email,
)
from nexuscore.platform.database import bind_rls_scope

INVOICE = "billing_invoice"
CREDIT_NOTE = "billing_credit_note"
ERASED = "[erased]"
DRAFT = "draft"

CUSTOMER_PARTICULARS = (
    "the customer's name and address are particulars of a tax invoice (IRAS), kept five years with the document"
)
BUYER_REGISTRATION = "the buyer's UEN and GST number identify a business on the document of record (kept five years)"
AS_ISSUED = "a description of the supply on the issued document (IRAS particular), kept five years with it"
CREDIT_REASON = "the reason stated on the issued credit note (InvoiceNow), kept five years with it"
PAYMENT_RECORD = "the payment's reference is an accounting record of the invoice (IRAS: kept five years)"

_CONTACT = "customer: its `email` key, the billing contact snapshotted at finalisation (an address-shaped hash)"
_PARTY = "customer: its `name`, `addressLines`, `postalCode` and `country` keys"
_REGISTRATION = "customer: its `uen` and `gstRegistrationNumber` keys"
_S, _F, _R = Masking.SALTED_HASH, Masking.FIXED, Masking.RETAIN
_FIN, _CON = Category.FINANCIAL, Category.CONTENT


def _party_fields(table: str) -> tuple[PersonalField, ...]:
    return (
        PersonalField(table, "customer", Category.CONTACT, _S, _CONTACT),
        PersonalField(table, "customer", _FIN, _R, _PARTY, retain_reason=CUSTOMER_PARTICULARS, retain_years=5),
        PersonalField(table, "customer", _FIN, _R, _REGISTRATION, retain_reason=BUYER_REGISTRATION, retain_years=5),
    )


FIELDS: tuple[PersonalField, ...] = (
    *_party_fields(INVOICE),
    PersonalField(INVOICE, "notes", _CON, _F, "staff's notes, when they name the subject", fixed_value=ERASED),
    PersonalField(INVOICE, "void_reason", _CON, _F, "why it was voided, when it names the subject", fixed_value=ERASED),
    PersonalField(INVOICE, "lines", _CON, _F, "a draft's line descriptions naming the subject", fixed_value=ERASED),
    PersonalField(
        INVOICE, "lines", _CON, _R, "an issued invoice's line descriptions", retain_reason=AS_ISSUED, retain_years=5
    ),
    PersonalField(
        INVOICE,
        "payment_reference",
        _FIN,
        _R,
        "a bank or PayNow reference",
        retain_reason=PAYMENT_RECORD,
        retain_years=5,
    ),
    *_party_fields(CREDIT_NOTE),
    PersonalField(CREDIT_NOTE, "reason", _CON, _R, "why it was issued", retain_reason=CREDIT_REASON, retain_years=5),
    PersonalField(CREDIT_NOTE, "lines", _CON, _R, "its line descriptions", retain_reason=AS_ISSUED, retain_years=5),
)
_REASONS: dict[tuple[str, str], str] = {
    (INVOICE, "customer"): CUSTOMER_PARTICULARS,
    (INVOICE, "lines"): AS_ISSUED,
    (INVOICE, "payment_reference"): PAYMENT_RECORD,
    (CREDIT_NOTE, "customer"): CUSTOMER_PARTICULARS,
    (CREDIT_NOTE, "lines"): AS_ISSUED,
    (CREDIT_NOTE, "reason"): CREDIT_REASON,
}


# ---- the masking decisions (pure: one document's values in, its changes out)


@dataclass(frozen=True)
class Subject:
    """What identifies the subject on a document: exact addresses, and text to look for."""

    emails: frozenset[str]
    needles: tuple[str, ...]

    @classmethod
    def of(cls, query: SubjectQuery) -> Subject:
        emails = frozenset(e.lower() for e in query.emails if e)
        return cls(emails, tuple(dict.fromkeys(n.lower() for n in query.needles if n)))

    def named_in(self, text: object) -> bool:
        return isinstance(text, str) and any(n in text.lower() for n in self.needles)

    def contact_of(self, customer: Mapping[str, Any] | None) -> bool:
        email = (customer or {}).get("email")
        return isinstance(email, str) and email.lower() in self.emails


@dataclass(frozen=True)
class Decision:
    """One document's erasure: the columns to rewrite and the columns kept although they
    name the subject (each with its reason in `_REASONS`)."""

    changes: dict[str, Any] = field(default_factory=dict)
    retained: tuple[str, ...] = ()


def _party_decision(customer: Mapping[str, Any] | None, subject: Subject, salt: bytes) -> Decision:
    if not customer:
        return Decision()  # a draft: the customer is snapshotted at finalisation
    changes: dict[str, Any] = {}
    if subject.contact_of(customer):
        changes["customer"] = {**customer, "email": masked_email(str(customer["email"]).lower(), salt)}
    party = [customer.get("name"), *(customer.get("addressLines") or ()), customer.get("postalCode")]
    kept = bool(changes) or any(subject.named_in(v) for v in party)
    return Decision(changes, ("customer",) if kept else ())


def _named_lines(lines: Sequence[Mapping[str, Any]] | None, subject: Subject) -> bool:
    return any(subject.named_in(line.get("description")) for line in lines or ())


def invoice_decision(row: Mapping[str, Any], subject: Subject, salt: bytes) -> Decision:
    """An invoice's erasure, from its column values (`status`, `customer`, `notes`,
    `void_reason`, `lines`, `payment_reference`)."""
    party = _party_decision(row.get("customer"), subject, salt)
    changes, retained = dict(party.changes), list(party.retained)
    for column in ("notes", "void_reason"):
        if subject.named_in(row.get(column)):
            changes[column] = ERASED
    lines = row.get("lines") or []
    if _named_lines(lines, subject):
        if row.get("status") == DRAFT:
            changes["lines"] = [
                {**line, "description": ERASED} if subject.named_in(line.get("description")) else dict(line)
                for line in lines
            ]
        else:
            retained.append("lines")
    if subject.named_in(row.get("payment_reference")):
        retained.append("payment_reference")
    return Decision(changes, tuple(retained))


def credit_note_decision(row: Mapping[str, Any], subject: Subject, salt: bytes) -> Decision:
    """A credit note's erasure (always issued: it has no draft)."""
    party = _party_decision(row.get("customer"), subject, salt)
    retained = list(party.retained)
    if _named_lines(row.get("lines"), subject):
        retained.append("lines")
    if subject.named_in(row.get("reason")):
        retained.append("reason")
    return Decision(dict(party.changes), tuple(retained))


# ---- the provider

_INVOICE_TEXT = ("notes", "void_reason", "payment_reference")
_CREDIT_TEXT = ("reason",)


def _values(row: InvoiceRow | CreditNoteRow, columns: Iterable[str]) -> dict[str, Any]:
    return {c: getattr(row, c) for c in columns}


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _mentions(columns: Sequence[Any], needles: Iterable[str]) -> ColumnElement[bool]:
    """A prefilter: any of the columns (as text) contains any needle; decisions are exact."""
    terms = [cast(c, String).ilike(_like(n), escape="\\") for c in columns for n in needles]
    return or_(*terms) if terms else false()


class BillingPersonalData:
    name = "billing"
    fields: Sequence[PersonalField] = FIELDS

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock

    async def export(self, subject: SubjectQuery) -> Sequence[SubjectRecord]:
        if subject.kind is not SubjectKind.USER or not subject.emails:
            return []
        who = Subject.of(subject)
        identifiers = sorted(who.emails)
        out: list[SubjectRecord] = []
        async with self._sessions() as session, session.begin():
            await bind_rls_scope(session, system=True)
            invoices = await session.scalars(
                select(InvoiceRow).where(_invoice_mentions(identifiers)).order_by(InvoiceRow.created_at, InvoiceRow.id)
            )
            for invoice in invoices:
                record = _record(INVOICE, invoice, who, _INVOICE_TEXT)
                if record is not None:
                    out.append(record)
            notes = await session.scalars(
                select(CreditNoteRow)
                .where(_credit_note_mentions(identifiers))
                .order_by(CreditNoteRow.created_at, CreditNoteRow.id)
            )
            for note in notes:
                record = _record(CREDIT_NOTE, note, who, _CREDIT_TEXT)
                if record is not None:
                    out.append(record)
        return out

    async def erase(self, subject: SubjectQuery, salt: bytes) -> ErasureReport:
        if subject.kind is not SubjectKind.USER:
            return ErasureReport(self.name)
        who = Subject.of(subject)
        if not who.needles:
            return ErasureReport(self.name)
        masked: dict[str, int] = {}
        kept: dict[tuple[str, str], int] = {}
        now = self._clock.now()
        async with self._sessions() as session, session.begin():
            await bind_rls_scope(session, system=True)
            invoices = await session.scalars(select(InvoiceRow).where(_invoice_mentions(who.needles)).with_for_update())
            for invoice in invoices.all():
                values = _values(invoice, ("status", "customer", "lines", *_INVOICE_TEXT))
                decision = invoice_decision(values, who, salt)
                if decision.changes:
                    # A new version: a staff edit read before the erasure fails as stale
                    # instead of writing the subject back.
                    await session.execute(
                        update(InvoiceRow)
                        .where(InvoiceRow.id == invoice.id)
                        .values(**decision.changes, version=InvoiceRow.version + 1, updated_at=now)
                    )
                    masked[INVOICE] = masked.get(INVOICE, 0) + 1
                for column in decision.retained:
                    kept[(INVOICE, column)] = kept.get((INVOICE, column), 0) + 1
            notes = await session.scalars(
                select(CreditNoteRow).where(_credit_note_mentions(who.needles)).with_for_update()
            )
            for note in notes.all():
                decision = credit_note_decision(_values(note, ("customer", "lines", *_CREDIT_TEXT)), who, salt)
                if decision.changes:
                    await session.execute(
                        update(CreditNoteRow).where(CreditNoteRow.id == note.id).values(**decision.changes)
                    )
                    masked[CREDIT_NOTE] = masked.get(CREDIT_NOTE, 0) + 1
                for column in decision.retained:
                    kept[(CREDIT_NOTE, column)] = kept.get((CREDIT_NOTE, column), 0) + 1
        retained = tuple(
            RetainedField(table, column, _REASONS[(table, column)], count)
            for (table, column), count in sorted(kept.items())
        )
        return ErasureReport(self.name, masked=masked, retained=retained)


def _invoice_mentions(needles: Iterable[str]) -> ColumnElement[bool]:
    return _mentions([InvoiceRow.customer, InvoiceRow.lines, *(getattr(InvoiceRow, c) for c in _INVOICE_TEXT)], needles)


def _credit_note_mentions(needles: Iterable[str]) -> ColumnElement[bool]:
    return _mentions([CreditNoteRow.customer, CreditNoteRow.lines, CreditNoteRow.reason], needles)


def _record(table: str, row: InvoiceRow | CreditNoteRow, who: Subject, texts: Sequence[str]) -> SubjectRecord | None:
    """The subject's personal fields on one document, or None when what the prefilter found (an
    address as a substring, anywhere in the row) turns out not to be theirs."""
    customer = row.customer or {}
    mine = who.contact_of(customer)
    fields: dict[str, Any] = {
        "number": row.number,
        "status": getattr(row, "status", "issued"),
        "issue_date": json_safe(row.issue_date),
    }
    if mine:
        fields |= {"customer_email": customer.get("email"), "customer_name": customer.get("name")}
    named = {c: getattr(row, c) for c in texts if who.named_in(getattr(row, c))}
    lines = [line.get("description") for line in row.lines or () if who.named_in(line.get("description"))]
    if lines:
        named["line_descriptions"] = lines
    if not mine and not named:
        return None
    return SubjectRecord(table, str(row.id), row.organization_id, fields | named)
