from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="UserResponse")


@_attrs_define
class UserResponse:
    """
    Attributes:
        id (UUID):
        email (str):
        full_name (str):
        locale (str):
        email_verified (bool):
        is_staff (bool):
        marketing_consent (bool):
        created_at (datetime.datetime):
    """

    id: UUID
    email: str
    full_name: str
    locale: str
    email_verified: bool
    is_staff: bool
    marketing_consent: bool
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        email = self.email

        full_name = self.full_name

        locale = self.locale

        email_verified = self.email_verified

        is_staff = self.is_staff

        marketing_consent = self.marketing_consent

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "email": email,
                "fullName": full_name,
                "locale": locale,
                "emailVerified": email_verified,
                "isStaff": is_staff,
                "marketingConsent": marketing_consent,
                "createdAt": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        email = d.pop("email")

        full_name = d.pop("fullName")

        locale = d.pop("locale")

        email_verified = d.pop("emailVerified")

        is_staff = d.pop("isStaff")

        marketing_consent = d.pop("marketingConsent")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        user_response = cls(
            id=id,
            email=email,
            full_name=full_name,
            locale=locale,
            email_verified=email_verified,
            is_staff=is_staff,
            marketing_consent=marketing_consent,
            created_at=created_at,
        )

        user_response.additional_properties = d
        return user_response

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
