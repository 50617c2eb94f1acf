"""The subscriptions context's part of the personal data map: the billing profile's contact.

A billing profile is an organisation's invoicing identity; when its billing email is a user
subject's own address, erasure replaces it with a salted hash (the column is required), and
the legal name and address stay: they are the business's, printed on its tax invoices.

The gateway's customer of such a profile holds the same contact: erasure masks it there too,
through the payment gateway port (`erase_customer_contact`: Stripe's `customers.update`, or the
local gateway's own copy), before anything here changes, so a gateway that fails makes the step
fail with nothing masked locally, and the retry finds the same profiles again. The customer is
read first and only what is the subject's is masked: the email when it is one of theirs, the
name when it is one of their names (a sole trader's); the profiles are found by the address
alone, never by a name another person may share. The masked values are the local ones, so a
later `customer.updated` carrying them changes nothing, and the masking moves the profile's
version to its time: an event from before it (with the real address) is stale and refetched.
What was masked at the gateway is the report's `external` (`<gateway>:customer.email|name`).

The local (development) gateway keeps Stripe-shaped copies of the customers it was told about
(`subscriptions_local_gateway_object`) and their events: in those naming the subject's address,
their addresses become address-shaped hashes and other strings naming them salted hashes.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence

from sqlalchemy import ColumnElement, String, cast, false, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.kernel.clock import Clock
from nexuscore.kernel.errors import NotFound
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
    salted_hash,
    scrub,
)
from nexuscore.platform.database import bind_rls_scope
from nexuscore.subscriptions.adapters.sql.tables import BillingProfileRow, CustomerRow, LocalGatewayObjectRow
from nexuscore.subscriptions.ports.gateway import PaymentGateway

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

    def __init__(self, sessions: async_sessionmaker[AsyncSession], gateway: PaymentGateway, clock: Clock) -> None:
        self._sessions = sessions
        self._gateway = gateway
        self._clock = clock

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
        # The gateway first: if it fails, the step fails with nothing masked here (see above).
        external = await self._erase_at_gateway(subject, salt)
        masked = 0
        async with self._sessions() as session, session.begin():
            await bind_rls_scope(session, system=True)
            for email in subject.emails:
                result = await session.execute(
                    update(BillingProfileRow)
                    .where(BillingProfileRow.billing_email == email)
                    .values(billing_email=masked_email(email, salt), updated_at=self._clock.now())
                )
                masked += int(getattr(result, "rowcount", 0) or 0)
            local = 0
            # Objects naming the subject's address are theirs; in them, their names go too (an
            # object naming only someone of the same name is another person's).
            for obj in (await session.scalars(select(LocalGatewayObjectRow).where(_names(subject.emails)))).all():
                data, n = scrub(obj.data, subject.needles, salt, emails=subject.emails)
                if n:
                    await session.execute(
                        update(LocalGatewayObjectRow).where(LocalGatewayObjectRow.id == obj.id).values(data=data)
                    )
                    local += 1
        retained = (RetainedField(_T, "legal_name", INVOICE_IDENTITY, masked),) if masked else ()
        counts = {table: n for table, n in ((_T, masked), (_L, local)) if n}
        return ErasureReport(self.name, masked=counts, retained=retained, external=external)

    async def _erase_at_gateway(self, subject: SubjectQuery, salt: bytes) -> dict[str, int]:
        """Each customer of a profile whose billing email is the subject's, as the gateway holds
        it now: its email and name masked there where they are the subject's."""
        async with self._sessions() as session, session.begin():
            await bind_rls_scope(session, system=True)
            customer_ids = list(
                await session.scalars(
                    select(CustomerRow.gateway_customer_id)
                    .join(BillingProfileRow, BillingProfileRow.organization_id == CustomerRow.organization_id)
                    .where(BillingProfileRow.billing_email.in_(subject.emails))
                    .order_by(CustomerRow.gateway_customer_id)
                )
            )
        emails = {e.lower() for e in subject.emails}
        names = {n.casefold() for n in subject.names}
        done: Counter[str] = Counter()
        for customer_id in customer_ids:
            try:
                customer = await self._gateway.retrieve_customer_object(customer_id)
            except NotFound:
                continue  # the gateway has no such customer (e.g. another account's): nothing of theirs there
            if customer.get("deleted"):
                continue
            email, name = _text(customer.get("email")), _text(customer.get("name"))
            new_email = masked_email(email.lower(), salt) if email and email.lower() in emails else None
            new_name = salted_hash(name, salt) if name and name.casefold() in names else None
            if new_email is None and new_name is None:
                continue  # the customer's contact is someone else's now
            await self._gateway.erase_customer_contact(
                customer_id=customer_id,
                masked_email=new_email,
                masked_name=new_name,
                command_id=_erasure_command(customer_id, new_email, new_name),
            )
            written = (("email", new_email), ("name", new_name))
            done.update(f"{self._gateway.name}:customer.{field}" for field, value in written if value)
        return dict(done)


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _erasure_command(customer_id: str, new_email: str | None, new_name: str | None) -> str:
    """Derived from what is written (hashes already), so a retried step replays the same
    request at the gateway and a different masking is a different request."""
    digest = hashlib.sha256(f"{new_email}|{new_name}".encode()).hexdigest()[:24]
    return f"privacy-erase:{customer_id}:{digest}"


def _names(needles: tuple[str, ...]) -> ColumnElement[bool]:
    """A prefilter on the local gateway's objects (as text) for any needle; scrub decides exactly."""
    escaped = [n.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for n in needles if n]
    terms = [cast(LocalGatewayObjectRow.data, String).ilike(f"%{e}%", escape="\\") for e in escaped]
    return or_(*terms) if terms else false()
