from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.dnc_result import DncResult
from ..types import UNSET, Unset

T = TypeVar("T", bound="DncCheckRequest")


@_attrs_define
class DncCheckRequest:
    """
    Attributes:
        phone (str):
        result (DncResult):
        checked_on (datetime.date | None | Unset):
    """

    phone: str
    result: DncResult
    checked_on: datetime.date | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        phone = self.phone

        result = self.result.value

        checked_on: None | str | Unset
        if isinstance(self.checked_on, Unset):
            checked_on = UNSET
        elif isinstance(self.checked_on, datetime.date):
            checked_on = self.checked_on.isoformat()
        else:
            checked_on = self.checked_on

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "phone": phone,
                "result": result,
            }
        )
        if checked_on is not UNSET:
            field_dict["checkedOn"] = checked_on

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        phone = d.pop("phone")

        result = DncResult(d.pop("result"))

        def _parse_checked_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                checked_on_type_0 = datetime.date.fromisoformat(data)

                return checked_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        checked_on = _parse_checked_on(d.pop("checkedOn", UNSET))

        dnc_check_request = cls(
            phone=phone,
            result=result,
            checked_on=checked_on,
        )

        dnc_check_request.additional_properties = d
        return dnc_check_request

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
