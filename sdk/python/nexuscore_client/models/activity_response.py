from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.activity_kind import ActivityKind

if TYPE_CHECKING:
    from ..models.activity_response_details import ActivityResponseDetails


T = TypeVar("T", bound="ActivityResponse")


@_attrs_define
class ActivityResponse:
    """
    Attributes:
        id (UUID):
        lead_id (UUID):
        kind (ActivityKind):
        body (str):
        details (ActivityResponseDetails):
        occurred_at (datetime.datetime):
        created_by (None | UUID):
        created_at (datetime.datetime):
    """

    id: UUID
    lead_id: UUID
    kind: ActivityKind
    body: str
    details: ActivityResponseDetails
    occurred_at: datetime.datetime
    created_by: None | UUID
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        lead_id = str(self.lead_id)

        kind = self.kind.value

        body = self.body

        details = self.details.to_dict()

        occurred_at = self.occurred_at.isoformat()

        created_by: None | str
        if isinstance(self.created_by, UUID):
            created_by = str(self.created_by)
        else:
            created_by = self.created_by

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "leadId": lead_id,
                "kind": kind,
                "body": body,
                "details": details,
                "occurredAt": occurred_at,
                "createdBy": created_by,
                "createdAt": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.activity_response_details import ActivityResponseDetails  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        lead_id = UUID(d.pop("leadId"))

        kind = ActivityKind(d.pop("kind"))

        body = d.pop("body")

        details = ActivityResponseDetails.from_dict(d.pop("details"))

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurredAt"))

        def _parse_created_by(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_by_type_0 = UUID(data)

                return created_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        created_by = _parse_created_by(d.pop("createdBy"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        activity_response = cls(
            id=id,
            lead_id=lead_id,
            kind=kind,
            body=body,
            details=details,
            occurred_at=occurred_at,
            created_by=created_by,
            created_at=created_at,
        )

        activity_response.additional_properties = d
        return activity_response

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
