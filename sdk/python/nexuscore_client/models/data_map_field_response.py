from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DataMapFieldResponse")


@_attrs_define
class DataMapFieldResponse:
    """
    Attributes:
        provider (str):
        table (str):
        column (str):
        category (str):
        masking (str):
        description (str):
        fixed_value (None | str | Unset):
        retain_reason (None | str | Unset):
        retain_years (int | None | Unset):
    """

    provider: str
    table: str
    column: str
    category: str
    masking: str
    description: str
    fixed_value: None | str | Unset = UNSET
    retain_reason: None | str | Unset = UNSET
    retain_years: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        provider = self.provider

        table = self.table

        column = self.column

        category = self.category

        masking = self.masking

        description = self.description

        fixed_value: None | str | Unset
        if isinstance(self.fixed_value, Unset):
            fixed_value = UNSET
        else:
            fixed_value = self.fixed_value

        retain_reason: None | str | Unset
        if isinstance(self.retain_reason, Unset):
            retain_reason = UNSET
        else:
            retain_reason = self.retain_reason

        retain_years: int | None | Unset
        if isinstance(self.retain_years, Unset):
            retain_years = UNSET
        else:
            retain_years = self.retain_years

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "provider": provider,
                "table": table,
                "column": column,
                "category": category,
                "masking": masking,
                "description": description,
            }
        )
        if fixed_value is not UNSET:
            field_dict["fixedValue"] = fixed_value
        if retain_reason is not UNSET:
            field_dict["retainReason"] = retain_reason
        if retain_years is not UNSET:
            field_dict["retainYears"] = retain_years

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        provider = d.pop("provider")

        table = d.pop("table")

        column = d.pop("column")

        category = d.pop("category")

        masking = d.pop("masking")

        description = d.pop("description")

        def _parse_fixed_value(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        fixed_value = _parse_fixed_value(d.pop("fixedValue", UNSET))

        def _parse_retain_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        retain_reason = _parse_retain_reason(d.pop("retainReason", UNSET))

        def _parse_retain_years(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        retain_years = _parse_retain_years(d.pop("retainYears", UNSET))

        data_map_field_response = cls(
            provider=provider,
            table=table,
            column=column,
            category=category,
            masking=masking,
            description=description,
            fixed_value=fixed_value,
            retain_reason=retain_reason,
            retain_years=retain_years,
        )

        data_map_field_response.additional_properties = d
        return data_map_field_response

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
