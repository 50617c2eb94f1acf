from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.attempt_response import AttemptResponse
    from ..models.inbox_event_detail_response_payload import InboxEventDetailResponsePayload


T = TypeVar("T", bound="InboxEventDetailResponse")


@_attrs_define
class InboxEventDetailResponse:
    """
    Attributes:
        id (UUID):
        provider (str):
        event_id (str):
        type_ (str):
        livemode (bool):
        created (datetime.datetime):
        api_version (None | str):
        status (str):
        attempts (int):
        received_at (datetime.datetime):
        next_attempt_at (datetime.datetime | None):
        processed_at (datetime.datetime | None):
        last_error (None | str):
        payload (InboxEventDetailResponsePayload):
        attempt_log (list[AttemptResponse]):
    """

    id: UUID
    provider: str
    event_id: str
    type_: str
    livemode: bool
    created: datetime.datetime
    api_version: None | str
    status: str
    attempts: int
    received_at: datetime.datetime
    next_attempt_at: datetime.datetime | None
    processed_at: datetime.datetime | None
    last_error: None | str
    payload: InboxEventDetailResponsePayload
    attempt_log: list[AttemptResponse]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        provider = self.provider

        event_id = self.event_id

        type_ = self.type_

        livemode = self.livemode

        created = self.created.isoformat()

        api_version: None | str
        api_version = self.api_version

        status = self.status

        attempts = self.attempts

        received_at = self.received_at.isoformat()

        next_attempt_at: None | str
        if isinstance(self.next_attempt_at, datetime.datetime):
            next_attempt_at = self.next_attempt_at.isoformat()
        else:
            next_attempt_at = self.next_attempt_at

        processed_at: None | str
        if isinstance(self.processed_at, datetime.datetime):
            processed_at = self.processed_at.isoformat()
        else:
            processed_at = self.processed_at

        last_error: None | str
        last_error = self.last_error

        payload = self.payload.to_dict()

        attempt_log = []
        for attempt_log_item_data in self.attempt_log:
            attempt_log_item = attempt_log_item_data.to_dict()
            attempt_log.append(attempt_log_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "provider": provider,
                "eventId": event_id,
                "type": type_,
                "livemode": livemode,
                "created": created,
                "apiVersion": api_version,
                "status": status,
                "attempts": attempts,
                "receivedAt": received_at,
                "nextAttemptAt": next_attempt_at,
                "processedAt": processed_at,
                "lastError": last_error,
                "payload": payload,
                "attemptLog": attempt_log,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attempt_response import AttemptResponse  # noqa: PLC0415
        from ..models.inbox_event_detail_response_payload import InboxEventDetailResponsePayload  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        provider = d.pop("provider")

        event_id = d.pop("eventId")

        type_ = d.pop("type")

        livemode = d.pop("livemode")

        created = datetime.datetime.fromisoformat(d.pop("created"))

        def _parse_api_version(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        api_version = _parse_api_version(d.pop("apiVersion"))

        status = d.pop("status")

        attempts = d.pop("attempts")

        received_at = datetime.datetime.fromisoformat(d.pop("receivedAt"))

        def _parse_next_attempt_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_attempt_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_attempt_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("nextAttemptAt"))

        def _parse_processed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                processed_at_type_0 = datetime.datetime.fromisoformat(data)

                return processed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        processed_at = _parse_processed_at(d.pop("processedAt"))

        def _parse_last_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_error = _parse_last_error(d.pop("lastError"))

        payload = InboxEventDetailResponsePayload.from_dict(d.pop("payload"))

        attempt_log = []
        _attempt_log = d.pop("attemptLog")
        for attempt_log_item_data in _attempt_log:
            attempt_log_item = AttemptResponse.from_dict(attempt_log_item_data)

            attempt_log.append(attempt_log_item)

        inbox_event_detail_response = cls(
            id=id,
            provider=provider,
            event_id=event_id,
            type_=type_,
            livemode=livemode,
            created=created,
            api_version=api_version,
            status=status,
            attempts=attempts,
            received_at=received_at,
            next_attempt_at=next_attempt_at,
            processed_at=processed_at,
            last_error=last_error,
            payload=payload,
            attempt_log=attempt_log,
        )

        inbox_event_detail_response.additional_properties = d
        return inbox_event_detail_response

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
