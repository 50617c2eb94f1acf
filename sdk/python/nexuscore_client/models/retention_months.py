from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.retention_category import RetentionCategory

T = TypeVar("T", bound="RetentionMonths")


@_attrs_define
class RetentionMonths:
    """
    Attributes:
        category (RetentionCategory): What a tenant keeps about leads (its own schedule) and what the platform keeps
            about its
                users (platform defaults, the same for everyone).
        months (int):
    """

    category: RetentionCategory
    months: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        category = self.category.value

        months = self.months

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "category": category,
                "months": months,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        category = RetentionCategory(d.pop("category"))

        months = d.pop("months")

        retention_months = cls(
            category=category,
            months=months,
        )

        retention_months.additional_properties = d
        return retention_months

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
