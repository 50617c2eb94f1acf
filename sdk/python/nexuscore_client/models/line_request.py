from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.tax_category import TaxCategory
from ..types import UNSET, Unset

T = TypeVar("T", bound="LineRequest")


@_attrs_define
class LineRequest:
    """
    Attributes:
        description (str):
        unit_amount (int):
        quantity (str | Unset):  Default: '1'.
        tax_category (TaxCategory | Unset): The InvoiceNow (PINT SG) tax category code list.
    """

    description: str
    unit_amount: int
    quantity: str | Unset = "1"
    tax_category: TaxCategory | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        description = self.description

        unit_amount = self.unit_amount

        quantity = self.quantity

        tax_category: str | Unset = UNSET
        if not isinstance(self.tax_category, Unset):
            tax_category = self.tax_category.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "description": description,
                "unitAmount": unit_amount,
            }
        )
        if quantity is not UNSET:
            field_dict["quantity"] = quantity
        if tax_category is not UNSET:
            field_dict["taxCategory"] = tax_category

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        description = d.pop("description")

        unit_amount = d.pop("unitAmount")

        quantity = d.pop("quantity", UNSET)

        _tax_category = d.pop("taxCategory", UNSET)
        tax_category: TaxCategory | Unset
        if isinstance(_tax_category, Unset):
            tax_category = UNSET
        else:
            tax_category = TaxCategory(_tax_category)

        line_request = cls(
            description=description,
            unit_amount=unit_amount,
            quantity=quantity,
            tax_category=tax_category,
        )

        line_request.additional_properties = d
        return line_request

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
