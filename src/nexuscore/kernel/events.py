"""Domain events: typed facts a use case records, and the record the events context keeps.

A context declares each of its events as a frozen dataclass subclassing `DomainEvent` in its
`domain/events.py`: a dotted past-tense `name`, a `version`, and its payload as fields. The
`EventRecorder` port takes those; the events context stores each as an `EventRecord` (the
envelope the outbox relays, subscribers receive and the audit trail shows).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any, ClassVar, Protocol
from uuid import UUID

from nexuscore.kernel.ids import new_id

_ENVELOPE_FIELDS = frozenset({"occurred_at", "organization_id", "actor_id", "id"})


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _primitive(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple | list | frozenset | set):
        return [_primitive(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _primitive(v) for k, v in value.items()}
    if isinstance(value, Enum):
        return value.value
    return value


_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """Base of every typed domain event.

    Subclasses set `name` (dotted, past tense: `user.registered`) and `version` (bumped when
    the payload's meaning changes), declare payload fields, and override `subject` (the
    object the event is about, `user:<id>`). `payload()` is the stored JSON: payload fields
    in camelCase, JSON-safe primitives, `None` left out; an event whose stored shape cannot
    follow that rule overrides `payload()`. Payloads never carry secrets.
    """

    name: ClassVar[str]
    version: ClassVar[int] = 1

    occurred_at: datetime
    organization_id: UUID | None = None
    actor_id: UUID | None = None
    id: UUID = field(default_factory=new_id)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("name")
        if name is not None and not _NAME.match(name):
            raise TypeError(f"event name must be dotted like 'user.registered', got {name!r}")

    def __post_init__(self) -> None:
        if not getattr(type(self), "name", None):
            raise TypeError(f"{type(self).__name__} declares no event name")
        if self.occurred_at.tzinfo is None:
            raise ValueError("occurred_at must be timezone-aware")

    @property
    def subject(self) -> str | None:
        return None

    def payload(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            if f.name in _ENVELOPE_FIELDS:
                continue
            value = getattr(self, f.name)
            if value is not None:
                out[_camel(f.name)] = _primitive(value)
        return out

    def to_record(self) -> EventRecord:
        return EventRecord(
            id=self.id,
            type=self.name,
            occurred_at=self.occurred_at,
            organization_id=self.organization_id,
            actor_id=self.actor_id,
            subject=self.subject,
            payload=self.payload(),
        )


@dataclass(frozen=True, kw_only=True)
class EventRecord:
    """A domain event as stored, relayed and handed to subscribers.

    `type` is the event's name; `subject` names the object it is about (`user:<id>`);
    `payload` holds JSON-safe primitives only and never secrets.
    """

    type: str
    occurred_at: datetime
    payload: Mapping[str, Any] = field(default_factory=dict)
    organization_id: UUID | None = None
    actor_id: UUID | None = None
    subject: str | None = None
    id: UUID = field(default_factory=new_id)

    def __post_init__(self) -> None:
        if not self.type or "." not in self.type:
            raise ValueError(f"event type must be dotted like 'user.registered', got {self.type!r}")
        if self.occurred_at.tzinfo is None:
            raise ValueError("occurred_at must be timezone-aware")


class EventRecorder(Protocol):
    """Port every use case uses to record events in its own transaction.

    Kept in the kernel so any context's core can depend on it; the events context provides
    the adapters (see nexuscore.events.api).
    """

    async def append(self, *events: DomainEvent) -> None: ...


def as_record(event: DomainEvent | EventRecord) -> EventRecord:
    """Recorder adapters also take ready records (the events context's own tests and tools)."""
    return event.to_record() if isinstance(event, DomainEvent) else event


# An outbox subscriber's handler: the event and the dispatch transaction's resources (for the
# SQL dispatcher, the transaction's session), run at most once per event.
EventHandler = Callable[[EventRecord, Any], Awaitable[None]]


@dataclass(frozen=True)
class Subscriber:
    """A reaction to events, declared by a context's module and run by the events context."""

    name: str
    event_types: frozenset[str]
    handler: EventHandler

    @classmethod
    def to(
        cls,
        name: str,
        event_types: str | type[DomainEvent] | tuple[str | type[DomainEvent], ...],
        handler: EventHandler,
    ) -> Subscriber:
        items = event_types if isinstance(event_types, tuple) else (event_types,)
        return cls(name, frozenset(i if isinstance(i, str) else i.name for i in items), handler)


def event_names() -> list[str]:
    """The name of every DomainEvent class the product defines (every context's, once all are
    imported): the closed set of audit-trail `type`s. Classes outside the `nexuscore` package
    (a test's own events) are not part of it: the document must not depend on what else ran."""
    names: set[str] = set()
    pending = list(DomainEvent.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if (name := cls.__dict__.get("name")) and cls.__module__.startswith("nexuscore."):
            names.add(name)
    return sorted(names)
