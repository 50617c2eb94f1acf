from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ReplayJobResponse")


@_attrs_define
class ReplayJobResponse:
    """
    Attributes:
        id (UUID):
        status (str):
        status_filter (str):
        type_filter (None | str):
        since (datetime.datetime | None):
        total (int):
        replayed (int):
        created_at (datetime.datetime):
        finished_at (datetime.datetime | None):
    """

    id: UUID
    status: str
    status_filter: str
    type_filter: None | str
    since: datetime.datetime | None
    total: int
    replayed: int
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        status = self.status

        status_filter = self.status_filter

        type_filter: None | str
        type_filter = self.type_filter

        since: None | str
        if isinstance(self.since, datetime.datetime):
            since = self.since.isoformat()
        else:
            since = self.since

        total = self.total

        replayed = self.replayed

        created_at = self.created_at.isoformat()

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
                "statusFilter": status_filter,
                "typeFilter": type_filter,
                "since": since,
                "total": total,
                "replayed": replayed,
                "createdAt": created_at,
                "finishedAt": finished_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        status = d.pop("status")

        status_filter = d.pop("statusFilter")

        def _parse_type_filter(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        type_filter = _parse_type_filter(d.pop("typeFilter"))

        def _parse_since(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                since_type_0 = datetime.datetime.fromisoformat(data)

                return since_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        since = _parse_since(d.pop("since"))

        total = d.pop("total")

        replayed = d.pop("replayed")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finishedAt"))

        replay_job_response = cls(
            id=id,
            status=status,
            status_filter=status_filter,
            type_filter=type_filter,
            since=since,
            total=total,
            replayed=replayed,
            created_at=created_at,
            finished_at=finished_at,
        )

        replay_job_response.additional_properties = d
        return replay_job_response

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
