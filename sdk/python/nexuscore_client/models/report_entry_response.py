from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ReportEntryResponse")


@_attrs_define
class ReportEntryResponse:
    """
    Attributes:
        kind (str):
        id (UUID):
        number (str):
        issue_date (datetime.date):
        organization_id (UUID):
        amount (int):
    """

    kind: str
    id: UUID
    number: str
    issue_date: datetime.date
    organization_id: UUID
    amount: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        id = str(self.id)

        number = self.number

        issue_date = self.issue_date.isoformat()

        organization_id = str(self.organization_id)

        amount = self.amount

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "id": id,
                "number": number,
                "issueDate": issue_date,
                "organizationId": organization_id,
                "amount": amount,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = d.pop("kind")

        id = UUID(d.pop("id"))

        number = d.pop("number")

        issue_date = datetime.date.fromisoformat(d.pop("issueDate"))

        organization_id = UUID(d.pop("organizationId"))

        amount = d.pop("amount")

        report_entry_response = cls(
            kind=kind,
            id=id,
            number=number,
            issue_date=issue_date,
            organization_id=organization_id,
            amount=amount,
        )

        report_entry_response.additional_properties = d
        return report_entry_response

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
