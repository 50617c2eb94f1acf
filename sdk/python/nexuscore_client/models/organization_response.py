from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.role import Role

if TYPE_CHECKING:
    from ..models.address_response import AddressResponse


T = TypeVar("T", bound="OrganizationResponse")


@_attrs_define
class OrganizationResponse:
    """
    Attributes:
        id (UUID):
        name (str):
        role (Role):
        country (str):
        timezone (str):
        uen (None | str):
        gst_reg_no (None | str):
        billing_email (None | str):
        address (AddressResponse | None):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        deletion_requested_at (datetime.datetime | None):
        purge_after (datetime.datetime | None):
    """

    id: UUID
    name: str
    role: Role
    country: str
    timezone: str
    uen: None | str
    gst_reg_no: None | str
    billing_email: None | str
    address: AddressResponse | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    deletion_requested_at: datetime.datetime | None
    purge_after: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.address_response import AddressResponse  # noqa: PLC0415

        id = str(self.id)

        name = self.name

        role = self.role.value

        country = self.country

        timezone = self.timezone

        uen: None | str
        uen = self.uen

        gst_reg_no: None | str
        gst_reg_no = self.gst_reg_no

        billing_email: None | str
        billing_email = self.billing_email

        address: dict[str, Any] | None
        if isinstance(self.address, AddressResponse):
            address = self.address.to_dict()
        else:
            address = self.address

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        deletion_requested_at: None | str
        if isinstance(self.deletion_requested_at, datetime.datetime):
            deletion_requested_at = self.deletion_requested_at.isoformat()
        else:
            deletion_requested_at = self.deletion_requested_at

        purge_after: None | str
        if isinstance(self.purge_after, datetime.datetime):
            purge_after = self.purge_after.isoformat()
        else:
            purge_after = self.purge_after

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "role": role,
                "country": country,
                "timezone": timezone,
                "uen": uen,
                "gstRegNo": gst_reg_no,
                "billingEmail": billing_email,
                "address": address,
                "createdAt": created_at,
                "updatedAt": updated_at,
                "deletionRequestedAt": deletion_requested_at,
                "purgeAfter": purge_after,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.address_response import AddressResponse  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        name = d.pop("name")

        role = Role(d.pop("role"))

        country = d.pop("country")

        timezone = d.pop("timezone")

        def _parse_uen(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        uen = _parse_uen(d.pop("uen"))

        def _parse_gst_reg_no(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        gst_reg_no = _parse_gst_reg_no(d.pop("gstRegNo"))

        def _parse_billing_email(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        billing_email = _parse_billing_email(d.pop("billingEmail"))

        def _parse_address(data: object) -> AddressResponse | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                address_type_0 = AddressResponse.from_dict(data)

                return address_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AddressResponse | None, data)

        address = _parse_address(d.pop("address"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        def _parse_deletion_requested_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deletion_requested_at_type_0 = datetime.datetime.fromisoformat(data)

                return deletion_requested_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        deletion_requested_at = _parse_deletion_requested_at(d.pop("deletionRequestedAt"))

        def _parse_purge_after(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                purge_after_type_0 = datetime.datetime.fromisoformat(data)

                return purge_after_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        purge_after = _parse_purge_after(d.pop("purgeAfter"))

        organization_response = cls(
            id=id,
            name=name,
            role=role,
            country=country,
            timezone=timezone,
            uen=uen,
            gst_reg_no=gst_reg_no,
            billing_email=billing_email,
            address=address,
            created_at=created_at,
            updated_at=updated_at,
            deletion_requested_at=deletion_requested_at,
            purge_after=purge_after,
        )

        organization_response.additional_properties = d
        return organization_response

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
