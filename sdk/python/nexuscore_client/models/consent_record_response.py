from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.consent_method import ConsentMethod
from ..models.purpose import Purpose

T = TypeVar("T", bound="ConsentRecordResponse")


@_attrs_define
class ConsentRecordResponse:
    """
    Attributes:
        id (UUID):
        purpose (Purpose):
        given (bool):
        notice_version (str):
        method (ConsentMethod):
        at (datetime.datetime):
        recorded_at (datetime.datetime):
        recorded_by (None | UUID):
        note (None | str):
    """

    id: UUID
    purpose: Purpose
    given: bool
    notice_version: str
    method: ConsentMethod
    at: datetime.datetime
    recorded_at: datetime.datetime
    recorded_by: None | UUID
    note: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        purpose = self.purpose.value

        given = self.given

        notice_version = self.notice_version

        method = self.method.value

        at = self.at.isoformat()

        recorded_at = self.recorded_at.isoformat()

        recorded_by: None | str
        if isinstance(self.recorded_by, UUID):
            recorded_by = str(self.recorded_by)
        else:
            recorded_by = self.recorded_by

        note: None | str
        note = self.note

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "purpose": purpose,
                "given": given,
                "noticeVersion": notice_version,
                "method": method,
                "at": at,
                "recordedAt": recorded_at,
                "recordedBy": recorded_by,
                "note": note,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        purpose = Purpose(d.pop("purpose"))

        given = d.pop("given")

        notice_version = d.pop("noticeVersion")

        method = ConsentMethod(d.pop("method"))

        at = datetime.datetime.fromisoformat(d.pop("at"))

        recorded_at = datetime.datetime.fromisoformat(d.pop("recordedAt"))

        def _parse_recorded_by(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                recorded_by_type_0 = UUID(data)

                return recorded_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        recorded_by = _parse_recorded_by(d.pop("recordedBy"))

        def _parse_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        note = _parse_note(d.pop("note"))

        consent_record_response = cls(
            id=id,
            purpose=purpose,
            given=given,
            notice_version=notice_version,
            method=method,
            at=at,
            recorded_at=recorded_at,
            recorded_by=recorded_by,
            note=note,
        )

        consent_record_response.additional_properties = d
        return consent_record_response

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
