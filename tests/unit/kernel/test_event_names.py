"""The audit trail's closed set of event types is the product's, whatever else is imported."""

from __future__ import annotations

from typing import ClassVar

from nexuscore.bootstrap import modules  # noqa: F401  (imports every context's events)
from nexuscore.kernel.events import DomainEvent, event_names


class ProbeEvent(DomainEvent):
    name: ClassVar[str] = "test.only_happened"


def test_event_names_are_the_products_only() -> None:
    names = event_names()
    assert "user.registered" in names
    assert ProbeEvent.name not in names
    assert names == sorted(names)
