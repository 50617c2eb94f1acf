from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SgdTotalsResponse")


@_attrs_define
class SgdTotalsResponse:
    """
    Attributes:
        exchange_rate (str):
        total_excluding_gst (int):
        gst_amount (int):
        total_including_gst (int):
    """

    exchange_rate: str
    total_excluding_gst: int
    gst_amount: int
    total_including_gst: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        exchange_rate = self.exchange_rate

        total_excluding_gst = self.total_excluding_gst

        gst_amount = self.gst_amount

        total_including_gst = self.total_including_gst

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "exchangeRate": exchange_rate,
                "totalExcludingGst": total_excluding_gst,
                "gstAmount": gst_amount,
                "totalIncludingGst": total_including_gst,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        exchange_rate = d.pop("exchangeRate")

        total_excluding_gst = d.pop("totalExcludingGst")

        gst_amount = d.pop("gstAmount")

        total_including_gst = d.pop("totalIncludingGst")

        sgd_totals_response = cls(
            exchange_rate=exchange_rate,
            total_excluding_gst=total_excluding_gst,
            gst_amount=gst_amount,
            total_including_gst=total_including_gst,
        )

        sgd_totals_response.additional_properties = d
        return sgd_totals_response

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
