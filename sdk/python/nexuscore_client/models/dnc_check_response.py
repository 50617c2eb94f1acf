from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.dnc_result import DncResult

T = TypeVar("T", bound="DncCheckResponse")


@_attrs_define
class DncCheckResponse:
    """
    Attributes:
        id (UUID):
        phone (str):
        result (DncResult):
        checked_on (datetime.date):
        valid_until (datetime.date):
        valid_today (bool):
        recorded_at (datetime.datetime):
        recorded_by (None | UUID):
    """

    id: UUID
    phone: str
    result: DncResult
    checked_on: datetime.date
    valid_until: datetime.date
    valid_today: bool
    recorded_at: datetime.datetime
    recorded_by: None | UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        phone = self.phone

        result = self.result.value

        checked_on = self.checked_on.isoformat()

        valid_until = self.valid_until.isoformat()

        valid_today = self.valid_today

        recorded_at = self.recorded_at.isoformat()

        recorded_by: None | str
        if isinstance(self.recorded_by, UUID):
            recorded_by = str(self.recorded_by)
        else:
            recorded_by = self.recorded_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "phone": phone,
                "result": result,
                "checkedOn": checked_on,
                "validUntil": valid_until,
                "validToday": valid_today,
                "recordedAt": recorded_at,
                "recordedBy": recorded_by,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        phone = d.pop("phone")

        result = DncResult(d.pop("result"))

        checked_on = datetime.date.fromisoformat(d.pop("checkedOn"))

        valid_until = datetime.date.fromisoformat(d.pop("validUntil"))

        valid_today = d.pop("validToday")

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

        dnc_check_response = cls(
            id=id,
            phone=phone,
            result=result,
            checked_on=checked_on,
            valid_until=valid_until,
            valid_today=valid_today,
            recorded_at=recorded_at,
            recorded_by=recorded_by,
        )

        dnc_check_response.additional_properties = d
        return dnc_check_response

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
