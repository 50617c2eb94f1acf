from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.consent_method import ConsentMethod
from ..models.purpose import Purpose

T = TypeVar("T", bound="ConsentStateResponse")


@_attrs_define
class ConsentStateResponse:
    """
    Attributes:
        purpose (Purpose):
        given (bool):
        at (datetime.datetime):
        notice_version (str):
        method (ConsentMethod):
        record_id (UUID):
    """

    purpose: Purpose
    given: bool
    at: datetime.datetime
    notice_version: str
    method: ConsentMethod
    record_id: UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        purpose = self.purpose.value

        given = self.given

        at = self.at.isoformat()

        notice_version = self.notice_version

        method = self.method.value

        record_id = str(self.record_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "purpose": purpose,
                "given": given,
                "at": at,
                "noticeVersion": notice_version,
                "method": method,
                "recordId": record_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        purpose = Purpose(d.pop("purpose"))

        given = d.pop("given")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        notice_version = d.pop("noticeVersion")

        method = ConsentMethod(d.pop("method"))

        record_id = UUID(d.pop("recordId"))

        consent_state_response = cls(
            purpose=purpose,
            given=given,
            at=at,
            notice_version=notice_version,
            method=method,
            record_id=record_id,
        )

        consent_state_response.additional_properties = d
        return consent_state_response

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
