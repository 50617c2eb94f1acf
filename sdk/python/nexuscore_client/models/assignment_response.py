from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AssignmentResponse")


@_attrs_define
class AssignmentResponse:
    """
    Attributes:
        lead_id (UUID):
        owner_id (UUID):
        previous_owner_id (None | UUID):
        changed (bool):
    """

    lead_id: UUID
    owner_id: UUID
    previous_owner_id: None | UUID
    changed: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        lead_id = str(self.lead_id)

        owner_id = str(self.owner_id)

        previous_owner_id: None | str
        if isinstance(self.previous_owner_id, UUID):
            previous_owner_id = str(self.previous_owner_id)
        else:
            previous_owner_id = self.previous_owner_id

        changed = self.changed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "leadId": lead_id,
                "ownerId": owner_id,
                "previousOwnerId": previous_owner_id,
                "changed": changed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        lead_id = UUID(d.pop("leadId"))

        owner_id = UUID(d.pop("ownerId"))

        def _parse_previous_owner_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                previous_owner_id_type_0 = UUID(data)

                return previous_owner_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        previous_owner_id = _parse_previous_owner_id(d.pop("previousOwnerId"))

        changed = d.pop("changed")

        assignment_response = cls(
            lead_id=lead_id,
            owner_id=owner_id,
            previous_owner_id=previous_owner_id,
            changed=changed,
        )

        assignment_response.additional_properties = d
        return assignment_response

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
