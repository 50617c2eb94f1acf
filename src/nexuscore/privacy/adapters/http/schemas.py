"""Request and response structs of the privacy routes (camelCase JSON)."""

from __future__ import annotations

import msgspec

from nexuscore.platform.http.structs import ResponseBody
from nexuscore.privacy.application.data_map import DataMapEntry


class DataMapFieldResponse(ResponseBody):
    provider: str
    table: str
    column: str
    category: str
    masking: str
    description: str
    fixed_value: str | None = None
    retain_reason: str | None = None
    retain_years: int | None = None

    @classmethod
    def of(cls, entry: DataMapEntry) -> DataMapFieldResponse:
        f = entry.field
        return cls(
            provider=entry.provider,
            table=f.table,
            column=f.column,
            category=f.category.value,
            masking=f.masking.value,
            description=f.description,
            fixed_value=f.fixed_value,
            retain_reason=f.retain_reason,
            retain_years=f.retain_years,
        )


class DataMapResponse(ResponseBody):
    fields: list[DataMapFieldResponse] = msgspec.field(default_factory=list)
