from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PlatformRetentionCutoffs")


@_attrs_define
class PlatformRetentionCutoffs:
    """
    Attributes:
        user_sessions (datetime.datetime):
        audit_logs (datetime.datetime):
    """

    user_sessions: datetime.datetime
    audit_logs: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        user_sessions = self.user_sessions.isoformat()

        audit_logs = self.audit_logs.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "userSessions": user_sessions,
                "auditLogs": audit_logs,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        user_sessions = datetime.datetime.fromisoformat(d.pop("userSessions"))

        audit_logs = datetime.datetime.fromisoformat(d.pop("auditLogs"))

        platform_retention_cutoffs = cls(
            user_sessions=user_sessions,
            audit_logs=audit_logs,
        )

        platform_retention_cutoffs.additional_properties = d
        return platform_retention_cutoffs

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
