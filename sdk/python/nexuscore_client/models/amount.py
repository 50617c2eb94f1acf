from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Amount")


@_attrs_define
class Amount:
    """
    Attributes:
        excluding_gst (int):
        gst (int):
        including_gst (int):
        gst_rate (str):
    """

    excluding_gst: int
    gst: int
    including_gst: int
    gst_rate: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        excluding_gst = self.excluding_gst

        gst = self.gst

        including_gst = self.including_gst

        gst_rate = self.gst_rate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "excludingGst": excluding_gst,
                "gst": gst,
                "includingGst": including_gst,
                "gstRate": gst_rate,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        excluding_gst = d.pop("excludingGst")

        gst = d.pop("gst")

        including_gst = d.pop("includingGst")

        gst_rate = d.pop("gstRate")

        amount = cls(
            excluding_gst=excluding_gst,
            gst=gst,
            including_gst=including_gst,
            gst_rate=gst_rate,
        )

        amount.additional_properties = d
        return amount

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
