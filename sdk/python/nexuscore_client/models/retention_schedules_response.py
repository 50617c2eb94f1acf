from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.retention_rule_response import RetentionRuleResponse


T = TypeVar("T", bound="RetentionSchedulesResponse")


@_attrs_define
class RetentionSchedulesResponse:
    """
    Attributes:
        schedules (list[RetentionRuleResponse]):
        platform_defaults (list[RetentionRuleResponse]):
    """

    schedules: list[RetentionRuleResponse]
    platform_defaults: list[RetentionRuleResponse]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        schedules = []
        for schedules_item_data in self.schedules:
            schedules_item = schedules_item_data.to_dict()
            schedules.append(schedules_item)

        platform_defaults = []
        for platform_defaults_item_data in self.platform_defaults:
            platform_defaults_item = platform_defaults_item_data.to_dict()
            platform_defaults.append(platform_defaults_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "schedules": schedules,
                "platformDefaults": platform_defaults,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.retention_rule_response import RetentionRuleResponse  # noqa: PLC0415

        d = dict(src_dict)
        schedules = []
        _schedules = d.pop("schedules")
        for schedules_item_data in _schedules:
            schedules_item = RetentionRuleResponse.from_dict(schedules_item_data)

            schedules.append(schedules_item)

        platform_defaults = []
        _platform_defaults = d.pop("platformDefaults")
        for platform_defaults_item_data in _platform_defaults:
            platform_defaults_item = RetentionRuleResponse.from_dict(platform_defaults_item_data)

            platform_defaults.append(platform_defaults_item)

        retention_schedules_response = cls(
            schedules=schedules,
            platform_defaults=platform_defaults,
        )

        retention_schedules_response.additional_properties = d
        return retention_schedules_response

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
