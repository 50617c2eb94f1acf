from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.line_request import LineRequest


T = TypeVar("T", bound="CreateInvoiceRequest")


@_attrs_define
class CreateInvoiceRequest:
    """
    Attributes:
        organization_id (UUID):
        lines (list[LineRequest]):
        currency (str | Unset):  Default: 'SGD'.
        due_days (int | None | Unset):
        notes (None | str | Unset):
        exchange_rate (None | str | Unset):
    """

    organization_id: UUID
    lines: list[LineRequest]
    currency: str | Unset = "SGD"
    due_days: int | None | Unset = UNSET
    notes: None | str | Unset = UNSET
    exchange_rate: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        organization_id = str(self.organization_id)

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        currency = self.currency

        due_days: int | None | Unset
        if isinstance(self.due_days, Unset):
            due_days = UNSET
        else:
            due_days = self.due_days

        notes: None | str | Unset
        if isinstance(self.notes, Unset):
            notes = UNSET
        else:
            notes = self.notes

        exchange_rate: None | str | Unset
        if isinstance(self.exchange_rate, Unset):
            exchange_rate = UNSET
        else:
            exchange_rate = self.exchange_rate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "organizationId": organization_id,
                "lines": lines,
            }
        )
        if currency is not UNSET:
            field_dict["currency"] = currency
        if due_days is not UNSET:
            field_dict["dueDays"] = due_days
        if notes is not UNSET:
            field_dict["notes"] = notes
        if exchange_rate is not UNSET:
            field_dict["exchangeRate"] = exchange_rate

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.line_request import LineRequest  # noqa: PLC0415

        d = dict(src_dict)
        organization_id = UUID(d.pop("organizationId"))

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = LineRequest.from_dict(lines_item_data)

            lines.append(lines_item)

        currency = d.pop("currency", UNSET)

        def _parse_due_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        due_days = _parse_due_days(d.pop("dueDays", UNSET))

        def _parse_notes(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        notes = _parse_notes(d.pop("notes", UNSET))

        def _parse_exchange_rate(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        exchange_rate = _parse_exchange_rate(d.pop("exchangeRate", UNSET))

        create_invoice_request = cls(
            organization_id=organization_id,
            lines=lines,
            currency=currency,
            due_days=due_days,
            notes=notes,
            exchange_rate=exchange_rate,
        )

        create_invoice_request.additional_properties = d
        return create_invoice_request

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
