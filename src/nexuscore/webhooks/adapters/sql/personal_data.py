"""The webhooks context's part of the personal data map: the inbox's payloads as received.

A payment provider's event carries its objects whole: a `customer.*` event names the billing
contact's email, an invoice's the customer's. They are the platform's records about users only
(the gateway's customers are organisations, so a lead is never in them). Erasure rewrites, in
every payload and error text naming a user subject, the subject's addresses to address-shaped
hashes (a replayed event still parses) and any other string naming them to its salted hash;
the envelope (provider, id, type, times, status) stays as the record that the event came.
A row is the subject's when it names one of their addresses (what identifies them); only then
are their names masked in it too: a payload naming someone of the same name and another address
is another person's and stays as it is (as the access bundle leaves it out).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select, update
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
    mentions,
    salted_hash,
    scrub,
)
from nexuscore.webhooks.adapters.sql.tables import AttemptRow, InboxEventRow

_E, _A = "webhooks_inbox_event", "webhooks_attempt"
_WHAT = "strings naming the subject (a customer's email)"
FIELDS: tuple[PersonalField, ...] = (
    PersonalField(_E, "payload", Category.CONTACT, Masking.SALTED_HASH, f"the event as received: {_WHAT}"),
    PersonalField(_E, "last_error", Category.CONTENT, Masking.SALTED_HASH, f"the last failure: {_WHAT}"),
    PersonalField(_A, "error", Category.CONTENT, Masking.SALTED_HASH, f"an attempt's failure: {_WHAT}"),
)


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _mentions(column: Any, needles: Sequence[str]) -> ColumnElement[bool]:
    terms = [column.ilike(_like(n), escape="\\") for n in needles]
    return or_(*terms) if terms else false()


def _scrub_text(text: str | None, needles: Sequence[str], salt: bytes) -> str | None:
    if text is None or not any(n.lower() in text.lower() for n in needles):
        return text
    return salted_hash(text, salt)


def scrub_payload(payload: str, subject: SubjectQuery, salt: bytes) -> str:
    """The payload with the subject's values masked; unparseable text is hashed whole."""
    try:
        data = json.loads(payload)
    except ValueError:
        return salted_hash(payload, salt)
    masked, _ = scrub(data, subject.needles, salt, emails=subject.emails)
    return json.dumps(masked, separators=(",", ":"))


class WebhookInboxPersonalData:
    name = "webhooks"
    fields: Sequence[PersonalField] = FIELDS

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def export(self, subject: SubjectQuery) -> Sequence[SubjectRecord]:
        """The events that name the subject's address, and the values in them that name the subject."""
        if subject.kind is not SubjectKind.USER or not subject.emails:
            return []
        async with self._sessions() as session, session.begin():
            rows = await session.scalars(
                select(InboxEventRow)
                .where(_mentions(InboxEventRow.payload, subject.emails))
                .order_by(InboxEventRow.received_at)
            )
            out = []
            for row in rows:
                values = _naming(row.payload, subject)
                if values:
                    fields = {"type": row.type, "received_at": json_safe(row.received_at), "values": values}
                    out.append(SubjectRecord(_E, str(row.id), None, fields))
            return out

    async def erase(self, subject: SubjectQuery, salt: bytes) -> ErasureReport:
        needles, emails = subject.needles, subject.emails
        if subject.kind is not SubjectKind.USER or not emails:
            return ErasureReport(self.name)
        masked: dict[str, int] = {}
        async with self._sessions() as session, session.begin():
            events = await session.execute(
                select(InboxEventRow.id, InboxEventRow.payload, InboxEventRow.last_error)
                .where(or_(_mentions(InboxEventRow.payload, emails), _mentions(InboxEventRow.last_error, emails)))
                .with_for_update()
            )
            theirs = []
            for row in events.all():
                theirs.append(row.id)
                payload = scrub_payload(row.payload, subject, salt)
                last_error = _scrub_text(row.last_error, needles, salt)
                if (payload, last_error) != (row.payload, row.last_error):
                    await session.execute(
                        update(InboxEventRow)
                        .where(InboxEventRow.id == row.id)
                        .values(payload=payload, last_error=last_error)
                    )
                    masked[_E] = masked.get(_E, 0) + 1
            # An attempt's failure is theirs when it names their address, or their name on one
            # of their events.
            attempts = await session.execute(
                select(AttemptRow.id, AttemptRow.error).where(
                    or_(
                        _mentions(AttemptRow.error, emails),
                        and_(AttemptRow.inbox_id.in_(theirs), _mentions(AttemptRow.error, needles)),
                    )
                )
            )
            for attempt in attempts.all():
                await session.execute(
                    update(AttemptRow)
                    .where(AttemptRow.id == attempt.id)
                    .values(error=_scrub_text(attempt.error, needles, salt))
                )
                masked[_A] = masked.get(_A, 0) + 1
        return ErasureReport(self.name, masked=masked)


def _naming(payload: str, subject: SubjectQuery) -> list[str]:
    """The strings of a payload that name the subject (their addresses, their name)."""
    try:
        return mentions(json.loads(payload), subject.needles)
    except ValueError:
        return []
