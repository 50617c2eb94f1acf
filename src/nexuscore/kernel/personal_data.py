"""The personal data contract: what every context holding personal data publishes.

A context that stores personal data implements `PersonalDataProvider` in its adapters and
publishes it through its `api.py` and its `ContextModule.personal_data_providers`; the privacy
context collects them (the composition root hands them over) to answer access requests,
erase subjects and draw the data map. The contract lives in the kernel so that no context
imports privacy to take part (rule 3), and it is pure: no framework types cross it.

A subject is found either by user id (a person with an account: the platform is the
organisation responsible) or, within one tenant, by lead id or normalised email or phone
(a person in a tenant's CRM: the tenant is responsible). Values crossing the contract are
already normalised (`kernel.email.normalise_email`, E.164 phones).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol
from uuid import UUID


class Masking(StrEnum):
    """How erasure treats one field (Fides' masking strategies, narrowed to what we use)."""

    NULL = "null"  # the column is set to NULL
    FIXED = "fixed"  # the column is rewritten to `PersonalField.fixed_value`
    SALTED_HASH = "salted_hash"  # HMAC-SHA256 with the platform's erasure salt: stable, not reversible
    DELETE_ROW = "delete_row"  # nothing in the row must be kept: the row goes
    RETAIN = "retain"  # kept because the law requires it (`retain_reason` says which)


class Category(StrEnum):
    """Data categories, for the data map and the access bundle's grouping."""

    CONTACT = "contact"  # email, phone, address
    IDENTITY = "identity"  # names, job titles, identifiers of a person
    ACCOUNT = "account"  # credentials, sessions, memberships
    DEVICE = "device"  # IP addresses, user agents
    CONSENT = "consent"  # consent given, withdrawn, DNC status
    CONTENT = "content"  # free text about the person (notes, activity bodies)
    FINANCIAL = "financial"  # billing identities on tax documents


@dataclass(frozen=True)
class PersonalField:
    """One column of one table that holds personal data, and how erasure treats it."""

    table: str
    column: str
    category: Category
    masking: Masking
    description: str = ""
    fixed_value: str | None = None
    retain_reason: str | None = None  # why the law keeps it (Masking.RETAIN only)
    retain_years: int | None = None

    def __post_init__(self) -> None:
        if self.masking is Masking.FIXED and self.fixed_value is None:
            raise ValueError(f"{self.table}.{self.column}: a fixed masking needs its fixed_value")
        if self.masking is Masking.RETAIN and not self.retain_reason:
            raise ValueError(f"{self.table}.{self.column}: a retained field needs its retain_reason")


class SubjectKind(StrEnum):
    USER = "user"  # a person with an account
    LEAD = "lead"  # a person in one tenant's CRM


@dataclass(frozen=True)
class SubjectQuery:
    """Who to find. A user subject is found platform-wide by `user_id` (and the account's
    email, for rows that name it without the id); a lead subject only within
    `organization_id`, by `lead_ids` or normalised `emails`/`phones`."""

    kind: SubjectKind
    user_id: UUID | None = None
    organization_id: UUID | None = None
    lead_ids: tuple[UUID, ...] = ()
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    # Full names found in the subject's own records: what free text (an event payload, an
    # uploaded CSV) may name them by. Filled by privacy once the subject's records are read.
    names: tuple[str, ...] = ()
    # The start of the period the use and disclosure log covers (12 months before the request).
    log_since: datetime | None = None

    @property
    def refs(self) -> tuple[str, ...]:
        """The subject's events subjects (`user:<id>`, `lead:<id>`)."""
        if self.kind is SubjectKind.USER:
            return (f"user:{self.user_id}",)
        return tuple(f"lead:{lead_id}" for lead_id in self.lead_ids)

    @property
    def needles(self) -> tuple[str, ...]:
        """The values that identify the subject in free text."""
        return tuple(dict.fromkeys(v for v in (*self.emails, *self.phones, *self.names) if v))

    def __post_init__(self) -> None:
        if self.kind is SubjectKind.USER and self.user_id is None:
            raise ValueError("a user subject needs its user_id")
        if self.kind is SubjectKind.LEAD:
            if self.organization_id is None:
                raise ValueError("a lead subject is found within one organisation")
            if not (self.lead_ids or self.emails or self.phones):
                raise ValueError("a lead subject needs a lead id, an email or a phone")


@dataclass(frozen=True)
class SubjectRecord:
    """One row about the subject, with its personal fields (column -> JSON-safe value)."""

    table: str
    record_id: str
    organization_id: UUID | None
    fields: Mapping[str, Any]
    # When the row is the subject's own record in its context (an account, a lead), its events
    # subject (`user:<id>`, `lead:<id>`): how privacy finds the subject's events and log.
    subject_ref: str | None = None
    # The full names the row gives the subject (free text elsewhere may name them so).
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class RetainedField:
    table: str
    column: str
    reason: str
    count: int


@dataclass(frozen=True)
class ErasureReport:
    """What one provider did: rows deleted and masked per table, fields kept and why, and
    copies masked outside our database (`external`: where and what, like
    `stripe:customer.email`, to how many objects: a payment gateway's customers)."""

    provider: str
    deleted: Mapping[str, int] = field(default_factory=dict)
    masked: Mapping[str, int] = field(default_factory=dict)
    retained: tuple[RetainedField, ...] = ()
    external: Mapping[str, int] = field(default_factory=dict)

    @property
    def touched(self) -> int:
        return sum(self.deleted.values()) + sum(self.masked.values()) + sum(self.external.values())


class PersonalDataProvider(Protocol):
    """Published by each context holding personal data (through its `api.py`).

    `name` is stable (it names the worker's per-provider step of a request). `fields` is the
    provider's part of the data map: every personal column of its tables. `export` returns
    every row about the subject and nobody else's; `erase` applies each field's masking in
    one transaction and is idempotent (a retried step finds nothing left, or the same
    masked values). `salt` is the platform's erasure salt, for `Masking.SALTED_HASH`.
    """

    @property
    def name(self) -> str: ...

    @property
    def fields(self) -> Sequence[PersonalField]: ...

    async def export(self, subject: SubjectQuery) -> Sequence[SubjectRecord]: ...

    async def erase(self, subject: SubjectQuery, salt: bytes) -> ErasureReport: ...


def salted_hash(value: str, salt: bytes) -> str:
    """The `Masking.SALTED_HASH` of a value: HMAC-SHA256, hex, prefixed so it reads as masked."""
    return "h:" + hmac.new(salt, value.encode(), hashlib.sha256).hexdigest()[:32]


def scrub(value: Any, needles: Sequence[str], salt: bytes, emails: Sequence[str] = ()) -> tuple[Any, int]:
    """A JSON value with every string that contains one of `needles` (case-insensitive)
    replaced by its salted hash; and how many were replaced. A string that is one of `emails`
    becomes `masked_email` instead, so a field a reader parses as an address still is one."""
    lowered = [n.lower() for n in needles if n]
    addresses = {e.lower() for e in emails if e}
    if isinstance(value, str):
        if value.lower() in addresses:
            return masked_email(value.lower(), salt), 1
        return (salted_hash(value, salt), 1) if any(n in value.lower() for n in lowered) else (value, 0)
    if isinstance(value, list):
        parts = [scrub(v, needles, salt, emails) for v in value]
        return [p[0] for p in parts], sum(p[1] for p in parts)
    if isinstance(value, dict):
        total = 0
        out: dict[str, Any] = {}
        for k, v in value.items():
            out[k], n = scrub(v, needles, salt, emails)
            total += n
        return out, total
    return value, 0


def mentions(value: Any, needles: Sequence[str]) -> list[str]:
    """The strings of a JSON value that contain one of `needles` (case-insensitive), once each:
    what an access bundle shows of a stored document that names the subject among others."""
    lowered = [n.lower() for n in needles if n]
    found: dict[str, None] = {}

    def walk(v: Any) -> None:
        if isinstance(v, str):
            if any(n in v.lower() for n in lowered):
                found[v] = None
        elif isinstance(v, list | tuple):
            for item in v:
                walk(item)
        elif isinstance(v, Mapping):
            for item in v.values():
                walk(item)

    walk(value)
    return list(found)


def json_safe(value: Any) -> Any:
    """A stored value as the access bundle writes it (ids and times as strings)."""
    if isinstance(value, UUID):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    return value


ERASED_ADDRESS_SUFFIX = "@erased.invalid"
_MASKED = re.compile(r"h:[0-9a-f]{32}|[0-9a-f]{32}" + re.escape(ERASED_ADDRESS_SUFFIX))


def masked_email(value: str, salt: bytes) -> str:
    """A salted hash shaped like an address, for a NOT NULL or unique email column."""
    return salted_hash(value, salt)[2:] + ERASED_ADDRESS_SUFFIX


def is_masked(value: str) -> bool:
    """Whether a value is what erasure wrote (`salted_hash` or `masked_email`): a copy elsewhere
    coming back masked must not replace a value that is kept on purpose."""
    return _MASKED.fullmatch(value) is not None
