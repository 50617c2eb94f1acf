from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PlatformRetentionCounts")


@_attrs_define
class PlatformRetentionCounts:
    """
    Attributes:
        user_sessions (int):
        audit_logs (int):
        total (int):
    """

    user_sessions: int
    audit_logs: int
    total: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        user_sessions = self.user_sessions

        audit_logs = self.audit_logs

        total = self.total

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "userSessions": user_sessions,
                "auditLogs": audit_logs,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        user_sessions = d.pop("userSessions")

        audit_logs = d.pop("auditLogs")

        total = d.pop("total")

        platform_retention_counts = cls(
            user_sessions=user_sessions,
            audit_logs=audit_logs,
            total=total,
        )

        platform_retention_counts.additional_properties = d
        return platform_retention_counts

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
