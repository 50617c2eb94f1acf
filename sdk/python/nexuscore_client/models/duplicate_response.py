from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.matched_on import MatchedOn
from ..types import UNSET, Unset

T = TypeVar("T", bound="DuplicateResponse")


@_attrs_define
class DuplicateResponse:
    """
    Attributes:
        row (int):
        matched_on (MatchedOn): The contact field two leads share.
        existing_lead_id (None | Unset | UUID):
        duplicate_of_row (int | None | Unset):
    """

    row: int
    matched_on: MatchedOn
    existing_lead_id: None | Unset | UUID = UNSET
    duplicate_of_row: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        row = self.row

        matched_on = self.matched_on.value

        existing_lead_id: None | str | Unset
        if isinstance(self.existing_lead_id, Unset):
            existing_lead_id = UNSET
        elif isinstance(self.existing_lead_id, UUID):
            existing_lead_id = str(self.existing_lead_id)
        else:
            existing_lead_id = self.existing_lead_id

        duplicate_of_row: int | None | Unset
        if isinstance(self.duplicate_of_row, Unset):
            duplicate_of_row = UNSET
        else:
            duplicate_of_row = self.duplicate_of_row

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "row": row,
                "matchedOn": matched_on,
            }
        )
        if existing_lead_id is not UNSET:
            field_dict["existingLeadId"] = existing_lead_id
        if duplicate_of_row is not UNSET:
            field_dict["duplicateOfRow"] = duplicate_of_row

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        row = d.pop("row")

        matched_on = MatchedOn(d.pop("matchedOn"))

        def _parse_existing_lead_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                existing_lead_id_type_0 = UUID(data)

                return existing_lead_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        existing_lead_id = _parse_existing_lead_id(d.pop("existingLeadId", UNSET))

        def _parse_duplicate_of_row(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        duplicate_of_row = _parse_duplicate_of_row(d.pop("duplicateOfRow", UNSET))

        duplicate_response = cls(
            row=row,
            matched_on=matched_on,
            existing_lead_id=existing_lead_id,
            duplicate_of_row=duplicate_of_row,
        )

        duplicate_response.additional_properties = d
        return duplicate_response

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
