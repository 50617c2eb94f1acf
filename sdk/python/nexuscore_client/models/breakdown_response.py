from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="BreakdownResponse")


@_attrs_define
class BreakdownResponse:
    """
    Attributes:
        tax_category (str):
        tax_rate (str):
        taxable_amount (int):
        tax_amount (int):
    """

    tax_category: str
    tax_rate: str
    taxable_amount: int
    tax_amount: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tax_category = self.tax_category

        tax_rate = self.tax_rate

        taxable_amount = self.taxable_amount

        tax_amount = self.tax_amount

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "taxCategory": tax_category,
                "taxRate": tax_rate,
                "taxableAmount": taxable_amount,
                "taxAmount": tax_amount,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        tax_category = d.pop("taxCategory")

        tax_rate = d.pop("taxRate")

        taxable_amount = d.pop("taxableAmount")

        tax_amount = d.pop("taxAmount")

        breakdown_response = cls(
            tax_category=tax_category,
            tax_rate=tax_rate,
            taxable_amount=taxable_amount,
            tax_amount=tax_amount,
        )

        breakdown_response.additional_properties = d
        return breakdown_response

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
