from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="LineResponse")


@_attrs_define
class LineResponse:
    """
    Attributes:
        description (str):
        quantity (str):
        unit_amount (int):
        amount (int):
        tax_category (str):
    """

    description: str
    quantity: str
    unit_amount: int
    amount: int
    tax_category: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        description = self.description

        quantity = self.quantity

        unit_amount = self.unit_amount

        amount = self.amount

        tax_category = self.tax_category

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "description": description,
                "quantity": quantity,
                "unitAmount": unit_amount,
                "amount": amount,
                "taxCategory": tax_category,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        description = d.pop("description")

        quantity = d.pop("quantity")

        unit_amount = d.pop("unitAmount")

        amount = d.pop("amount")

        tax_category = d.pop("taxCategory")

        line_response = cls(
            description=description,
            quantity=quantity,
            unit_amount=unit_amount,
            amount=amount,
            tax_category=tax_category,
        )

        line_response.additional_properties = d
        return line_response

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
