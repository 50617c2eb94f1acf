from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.lead_response import LeadResponse


T = TypeVar("T", bound="MergeResponse")


@_attrs_define
class MergeResponse:
    """
    Attributes:
        lead (LeadResponse):
        merged_lead_id (UUID):
        filled_fields (list[str]):
        moved_activities (int):
    """

    lead: LeadResponse
    merged_lead_id: UUID
    filled_fields: list[str]
    moved_activities: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        lead = self.lead.to_dict()

        merged_lead_id = str(self.merged_lead_id)

        filled_fields = self.filled_fields

        moved_activities = self.moved_activities

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "lead": lead,
                "mergedLeadId": merged_lead_id,
                "filledFields": filled_fields,
                "movedActivities": moved_activities,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.lead_response import LeadResponse  # noqa: PLC0415

        d = dict(src_dict)
        lead = LeadResponse.from_dict(d.pop("lead"))

        merged_lead_id = UUID(d.pop("mergedLeadId"))

        filled_fields = cast(list[str], d.pop("filledFields"))

        moved_activities = d.pop("movedActivities")

        merge_response = cls(
            lead=lead,
            merged_lead_id=merged_lead_id,
            filled_fields=filled_fields,
            moved_activities=moved_activities,
        )

        merge_response.additional_properties = d
        return merge_response

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
