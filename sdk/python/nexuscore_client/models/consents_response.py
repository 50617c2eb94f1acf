from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.subject_kind import SubjectKind

if TYPE_CHECKING:
    from ..models.consent_record_response import ConsentRecordResponse
    from ..models.consent_state_response import ConsentStateResponse


T = TypeVar("T", bound="ConsentsResponse")


@_attrs_define
class ConsentsResponse:
    """
    Attributes:
        subject_kind (SubjectKind):
        subject_id (UUID):
        current (list[ConsentStateResponse]):
        history (list[ConsentRecordResponse]):
        total (int):
        limit (int):
        offset (int):
        has_more (bool):
    """

    subject_kind: SubjectKind
    subject_id: UUID
    current: list[ConsentStateResponse]
    history: list[ConsentRecordResponse]
    total: int
    limit: int
    offset: int
    has_more: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        subject_kind = self.subject_kind.value

        subject_id = str(self.subject_id)

        current = []
        for current_item_data in self.current:
            current_item = current_item_data.to_dict()
            current.append(current_item)

        history = []
        for history_item_data in self.history:
            history_item = history_item_data.to_dict()
            history.append(history_item)

        total = self.total

        limit = self.limit

        offset = self.offset

        has_more = self.has_more

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "subjectKind": subject_kind,
                "subjectId": subject_id,
                "current": current,
                "history": history,
                "total": total,
                "limit": limit,
                "offset": offset,
                "hasMore": has_more,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.consent_record_response import ConsentRecordResponse  # noqa: PLC0415
        from ..models.consent_state_response import ConsentStateResponse  # noqa: PLC0415

        d = dict(src_dict)
        subject_kind = SubjectKind(d.pop("subjectKind"))

        subject_id = UUID(d.pop("subjectId"))

        current = []
        _current = d.pop("current")
        for current_item_data in _current:
            current_item = ConsentStateResponse.from_dict(current_item_data)

            current.append(current_item)

        history = []
        _history = d.pop("history")
        for history_item_data in _history:
            history_item = ConsentRecordResponse.from_dict(history_item_data)

            history.append(history_item)

        total = d.pop("total")

        limit = d.pop("limit")

        offset = d.pop("offset")

        has_more = d.pop("hasMore")

        consents_response = cls(
            subject_kind=subject_kind,
            subject_id=subject_id,
            current=current,
            history=history,
            total=total,
            limit=limit,
            offset=offset,
            has_more=has_more,
        )

        consents_response.additional_properties = d
        return consents_response

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
