"""Subscribers register by event type; each one handles an event at most once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from nexuscore.kernel.events import DomainEvent

# A handler receives the event and the dispatch transaction's resources (see DispatchTransaction).
Handler = Callable[[DomainEvent, Any], Awaitable[None]]


@dataclass(frozen=True)
class Subscriber:
    name: str
    event_types: frozenset[str]
    handler: Handler


class SubscriberRegistry:
    def __init__(self) -> None:
        self._by_type: dict[str, list[Subscriber]] = defaultdict(list)
        self._names: set[str] = set()

    def subscribe(self, name: str, event_types: str | list[str] | tuple[str, ...], handler: Handler) -> None:
        if name in self._names:
            raise ValueError(f"subscriber {name!r} is already registered")
        types = frozenset([event_types] if isinstance(event_types, str) else event_types)
        subscriber = Subscriber(name, types, handler)
        self._names.add(name)
        for event_type in types:
            self._by_type[event_type].append(subscriber)

    def for_type(self, event_type: str) -> list[Subscriber]:
        return [*self._by_type.get(event_type, ()), *self._by_type.get("*", ())]
