from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RetentionCounts")


@_attrs_define
class RetentionCounts:
    """
    Attributes:
        lost_leads (int):
        archived_leads (int):
        activities (int):
        total (int):
    """

    lost_leads: int
    archived_leads: int
    activities: int
    total: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        lost_leads = self.lost_leads

        archived_leads = self.archived_leads

        activities = self.activities

        total = self.total

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "lostLeads": lost_leads,
                "archivedLeads": archived_leads,
                "activities": activities,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        lost_leads = d.pop("lostLeads")

        archived_leads = d.pop("archivedLeads")

        activities = d.pop("activities")

        total = d.pop("total")

        retention_counts = cls(
            lost_leads=lost_leads,
            archived_leads=archived_leads,
            activities=activities,
            total=total,
        )

        retention_counts.additional_properties = d
        return retention_counts

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
