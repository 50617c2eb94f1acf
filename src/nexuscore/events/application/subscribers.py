"""Subscribers register by event type; each one handles an event at most once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from nexuscore.kernel.events import EventHandler, Subscriber


class SubscriberRegistry:
    def __init__(self, subscribers: Iterable[Subscriber] = ()) -> None:
        self._by_type: dict[str, list[Subscriber]] = defaultdict(list)
        self._names: set[str] = set()
        for subscriber in subscribers:
            self.add(subscriber)

    def add(self, subscriber: Subscriber) -> None:
        if subscriber.name in self._names:
            raise ValueError(f"subscriber {subscriber.name!r} is already registered")
        self._names.add(subscriber.name)
        for event_type in subscriber.event_types:
            self._by_type[event_type].append(subscriber)

    def subscribe(self, name: str, event_types: str | list[str] | tuple[str, ...], handler: EventHandler) -> None:
        types = frozenset([event_types] if isinstance(event_types, str) else event_types)
        self.add(Subscriber(name, types, handler))

    def for_type(self, event_type: str) -> list[Subscriber]:
        return [*self._by_type.get(event_type, ()), *self._by_type.get("*", ())]
