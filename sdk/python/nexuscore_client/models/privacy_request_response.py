from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.received_via import ReceivedVia
from ..models.request_kind import RequestKind
from ..models.request_status import RequestStatus
from ..models.subject_kind import SubjectKind

if TYPE_CHECKING:
    from ..models.history_entry_response import HistoryEntryResponse


T = TypeVar("T", bound="PrivacyRequestResponse")


@_attrs_define
class PrivacyRequestResponse:
    """
    Attributes:
        id (UUID):
        organization_id (None | UUID):
        kind (RequestKind):
        subject_kind (SubjectKind):
        status (RequestStatus):
        received_via (ReceivedVia):
        received_at (datetime.datetime):
        due_at (datetime.datetime):
        days_left (int):
        overdue (bool):
        extended_days (int):
        user_id (None | UUID):
        lead_id (None | UUID):
        email (None | str):
        phone (None | str):
        notes (None | str):
        error (None | str):
        completed_at (datetime.datetime | None):
        erased (bool):
        history (list[HistoryEntryResponse]):
    """

    id: UUID
    organization_id: None | UUID
    kind: RequestKind
    subject_kind: SubjectKind
    status: RequestStatus
    received_via: ReceivedVia
    received_at: datetime.datetime
    due_at: datetime.datetime
    days_left: int
    overdue: bool
    extended_days: int
    user_id: None | UUID
    lead_id: None | UUID
    email: None | str
    phone: None | str
    notes: None | str
    error: None | str
    completed_at: datetime.datetime | None
    erased: bool
    history: list[HistoryEntryResponse]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        organization_id: None | str
        if isinstance(self.organization_id, UUID):
            organization_id = str(self.organization_id)
        else:
            organization_id = self.organization_id

        kind = self.kind.value

        subject_kind = self.subject_kind.value

        status = self.status.value

        received_via = self.received_via.value

        received_at = self.received_at.isoformat()

        due_at = self.due_at.isoformat()

        days_left = self.days_left

        overdue = self.overdue

        extended_days = self.extended_days

        user_id: None | str
        if isinstance(self.user_id, UUID):
            user_id = str(self.user_id)
        else:
            user_id = self.user_id

        lead_id: None | str
        if isinstance(self.lead_id, UUID):
            lead_id = str(self.lead_id)
        else:
            lead_id = self.lead_id

        email: None | str
        email = self.email

        phone: None | str
        phone = self.phone

        notes: None | str
        notes = self.notes

        error: None | str
        error = self.error

        completed_at: None | str
        if isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        erased = self.erased

        history = []
        for history_item_data in self.history:
            history_item = history_item_data.to_dict()
            history.append(history_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "organizationId": organization_id,
                "kind": kind,
                "subjectKind": subject_kind,
                "status": status,
                "receivedVia": received_via,
                "receivedAt": received_at,
                "dueAt": due_at,
                "daysLeft": days_left,
                "overdue": overdue,
                "extendedDays": extended_days,
                "userId": user_id,
                "leadId": lead_id,
                "email": email,
                "phone": phone,
                "notes": notes,
                "error": error,
                "completedAt": completed_at,
                "erased": erased,
                "history": history,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.history_entry_response import HistoryEntryResponse  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        def _parse_organization_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                organization_id_type_0 = UUID(data)

                return organization_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        organization_id = _parse_organization_id(d.pop("organizationId"))

        kind = RequestKind(d.pop("kind"))

        subject_kind = SubjectKind(d.pop("subjectKind"))

        status = RequestStatus(d.pop("status"))

        received_via = ReceivedVia(d.pop("receivedVia"))

        received_at = datetime.datetime.fromisoformat(d.pop("receivedAt"))

        due_at = datetime.datetime.fromisoformat(d.pop("dueAt"))

        days_left = d.pop("daysLeft")

        overdue = d.pop("overdue")

        extended_days = d.pop("extendedDays")

        def _parse_user_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                user_id_type_0 = UUID(data)

                return user_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        user_id = _parse_user_id(d.pop("userId"))

        def _parse_lead_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                lead_id_type_0 = UUID(data)

                return lead_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        lead_id = _parse_lead_id(d.pop("leadId"))

        def _parse_email(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        email = _parse_email(d.pop("email"))

        def _parse_phone(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        phone = _parse_phone(d.pop("phone"))

        def _parse_notes(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        notes = _parse_notes(d.pop("notes"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        def _parse_completed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        completed_at = _parse_completed_at(d.pop("completedAt"))

        erased = d.pop("erased")

        history = []
        _history = d.pop("history")
        for history_item_data in _history:
            history_item = HistoryEntryResponse.from_dict(history_item_data)

            history.append(history_item)

        privacy_request_response = cls(
            id=id,
            organization_id=organization_id,
            kind=kind,
            subject_kind=subject_kind,
            status=status,
            received_via=received_via,
            received_at=received_at,
            due_at=due_at,
            days_left=days_left,
            overdue=overdue,
            extended_days=extended_days,
            user_id=user_id,
            lead_id=lead_id,
            email=email,
            phone=phone,
            notes=notes,
            error=error,
            completed_at=completed_at,
            erased=erased,
            history=history,
        )

        privacy_request_response.additional_properties = d
        return privacy_request_response

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
