from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.platform_retention_counts import PlatformRetentionCounts
    from ..models.platform_retention_cutoffs import PlatformRetentionCutoffs


T = TypeVar("T", bound="PlatformRetentionPreviewResponse")


@_attrs_define
class PlatformRetentionPreviewResponse:
    """
    Attributes:
        run_at (datetime.datetime):
        run_day (datetime.date):
        cutoffs (PlatformRetentionCutoffs):
        counts (PlatformRetentionCounts):
    """

    run_at: datetime.datetime
    run_day: datetime.date
    cutoffs: PlatformRetentionCutoffs
    counts: PlatformRetentionCounts
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        run_at = self.run_at.isoformat()

        run_day = self.run_day.isoformat()

        cutoffs = self.cutoffs.to_dict()

        counts = self.counts.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "runAt": run_at,
                "runDay": run_day,
                "cutoffs": cutoffs,
                "counts": counts,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.platform_retention_counts import PlatformRetentionCounts  # noqa: PLC0415
        from ..models.platform_retention_cutoffs import PlatformRetentionCutoffs  # noqa: PLC0415

        d = dict(src_dict)
        run_at = datetime.datetime.fromisoformat(d.pop("runAt"))

        run_day = datetime.date.fromisoformat(d.pop("runDay"))

        cutoffs = PlatformRetentionCutoffs.from_dict(d.pop("cutoffs"))

        counts = PlatformRetentionCounts.from_dict(d.pop("counts"))

        platform_retention_preview_response = cls(
            run_at=run_at,
            run_day=run_day,
            cutoffs=cutoffs,
            counts=counts,
        )

        platform_retention_preview_response.additional_properties = d
        return platform_retention_preview_response

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
