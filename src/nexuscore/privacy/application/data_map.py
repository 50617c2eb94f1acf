"""The personal data map: every provider's personal fields, in one list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from nexuscore.kernel.personal_data import PersonalField


class MapsFields(Protocol):
    """What the data map reads of a provider (every PersonalDataProvider has it)."""

    @property
    def name(self) -> str: ...

    @property
    def fields(self) -> Sequence[PersonalField]: ...


@dataclass(frozen=True)
class DataMapEntry:
    provider: str
    field: PersonalField


def data_map(providers: Sequence[MapsFields]) -> list[DataMapEntry]:
    """Ordered by provider, table, column (a stable document for the admin page and tests)."""
    entries = [DataMapEntry(p.name, f) for p in providers for f in p.fields]
    return sorted(entries, key=lambda e: (e.provider, e.field.table, e.field.column))


def claimed_columns(providers: Sequence[MapsFields]) -> set[tuple[str, str]]:
    return {(f.table, f.column) for p in providers for f in p.fields}
