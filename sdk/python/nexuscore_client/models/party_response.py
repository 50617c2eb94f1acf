from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PartyResponse")


@_attrs_define
class PartyResponse:
    """
    Attributes:
        name (str):
        address_lines (list[str]):
        postal_code (str):
        country (str):
        uen (None | str):
        gst_registration_number (None | str):
    """

    name: str
    address_lines: list[str]
    postal_code: str
    country: str
    uen: None | str
    gst_registration_number: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        address_lines = self.address_lines

        postal_code = self.postal_code

        country = self.country

        uen: None | str
        uen = self.uen

        gst_registration_number: None | str
        gst_registration_number = self.gst_registration_number

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "addressLines": address_lines,
                "postalCode": postal_code,
                "country": country,
                "uen": uen,
                "gstRegistrationNumber": gst_registration_number,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        address_lines = cast(list[str], d.pop("addressLines"))

        postal_code = d.pop("postalCode")

        country = d.pop("country")

        def _parse_uen(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        uen = _parse_uen(d.pop("uen"))

        def _parse_gst_registration_number(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        gst_registration_number = _parse_gst_registration_number(d.pop("gstRegistrationNumber"))

        party_response = cls(
            name=name,
            address_lines=address_lines,
            postal_code=postal_code,
            country=country,
            uen=uen,
            gst_registration_number=gst_registration_number,
        )

        party_response.additional_properties = d
        return party_response

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
