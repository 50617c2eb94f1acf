from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.address_body import AddressBody


T = TypeVar("T", bound="UpdateOrganizationRequest")


@_attrs_define
class UpdateOrganizationRequest:
    """
    Attributes:
        name (str | Unset):
        country (str | Unset):
        timezone (str | Unset):
        uen (None | str | Unset):
        gst_reg_no (None | str | Unset):
        billing_email (None | str | Unset):
        address (AddressBody | None | Unset):
    """

    name: str | Unset = UNSET
    country: str | Unset = UNSET
    timezone: str | Unset = UNSET
    uen: None | str | Unset = UNSET
    gst_reg_no: None | str | Unset = UNSET
    billing_email: None | str | Unset = UNSET
    address: AddressBody | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.address_body import AddressBody  # noqa: PLC0415

        name: str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        country: str | Unset
        if isinstance(self.country, Unset):
            country = UNSET
        else:
            country = self.country

        timezone: str | Unset
        if isinstance(self.timezone, Unset):
            timezone = UNSET
        else:
            timezone = self.timezone

        uen: None | str | Unset
        if isinstance(self.uen, Unset):
            uen = UNSET
        else:
            uen = self.uen

        gst_reg_no: None | str | Unset
        if isinstance(self.gst_reg_no, Unset):
            gst_reg_no = UNSET
        else:
            gst_reg_no = self.gst_reg_no

        billing_email: None | str | Unset
        if isinstance(self.billing_email, Unset):
            billing_email = UNSET
        else:
            billing_email = self.billing_email

        address: dict[str, Any] | None | Unset
        if isinstance(self.address, Unset):
            address = UNSET
        elif isinstance(self.address, AddressBody):
            address = self.address.to_dict()
        else:
            address = self.address

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if country is not UNSET:
            field_dict["country"] = country
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if uen is not UNSET:
            field_dict["uen"] = uen
        if gst_reg_no is not UNSET:
            field_dict["gstRegNo"] = gst_reg_no
        if billing_email is not UNSET:
            field_dict["billingEmail"] = billing_email
        if address is not UNSET:
            field_dict["address"] = address

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.address_body import AddressBody  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_name(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_country(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        country = _parse_country(d.pop("country", UNSET))

        def _parse_timezone(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        timezone = _parse_timezone(d.pop("timezone", UNSET))

        def _parse_uen(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        uen = _parse_uen(d.pop("uen", UNSET))

        def _parse_gst_reg_no(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        gst_reg_no = _parse_gst_reg_no(d.pop("gstRegNo", UNSET))

        def _parse_billing_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        billing_email = _parse_billing_email(d.pop("billingEmail", UNSET))

        def _parse_address(data: object) -> AddressBody | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                address_type_0 = AddressBody.from_dict(data)

                return address_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AddressBody | None | Unset, data)

        address = _parse_address(d.pop("address", UNSET))

        update_organization_request = cls(
            name=name,
            country=country,
            timezone=timezone,
            uen=uen,
            gst_reg_no=gst_reg_no,
            billing_email=billing_email,
            address=address,
        )

        update_organization_request.additional_properties = d
        return update_organization_request

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
