from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.audit_event_response_type import AuditEventResponseType

if TYPE_CHECKING:
    from ..models.audit_event_response_payload import AuditEventResponsePayload


T = TypeVar("T", bound="AuditEventResponse")


@_attrs_define
class AuditEventResponse:
    """
    Attributes:
        id (UUID):
        type_ (AuditEventResponseType):
        actor_id (None | UUID):
        subject (None | str):
        payload (AuditEventResponsePayload):
        occurred_at (datetime.datetime):
    """

    id: UUID
    type_: AuditEventResponseType
    actor_id: None | UUID
    subject: None | str
    payload: AuditEventResponsePayload
    occurred_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        type_ = self.type_.value

        actor_id: None | str
        if isinstance(self.actor_id, UUID):
            actor_id = str(self.actor_id)
        else:
            actor_id = self.actor_id

        subject: None | str
        subject = self.subject

        payload = self.payload.to_dict()

        occurred_at = self.occurred_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "actorId": actor_id,
                "subject": subject,
                "payload": payload,
                "occurredAt": occurred_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_event_response_payload import AuditEventResponsePayload  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        type_ = AuditEventResponseType(d.pop("type"))

        def _parse_actor_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                actor_id_type_0 = UUID(data)

                return actor_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        actor_id = _parse_actor_id(d.pop("actorId"))

        def _parse_subject(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        subject = _parse_subject(d.pop("subject"))

        payload = AuditEventResponsePayload.from_dict(d.pop("payload"))

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurredAt"))

        audit_event_response = cls(
            id=id,
            type_=type_,
            actor_id=actor_id,
            subject=subject,
            payload=payload,
            occurred_at=occurred_at,
        )

        audit_event_response.additional_properties = d
        return audit_event_response

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
