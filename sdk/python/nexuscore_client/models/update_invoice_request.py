from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.line_request import LineRequest


T = TypeVar("T", bound="UpdateInvoiceRequest")


@_attrs_define
class UpdateInvoiceRequest:
    """
    Attributes:
        currency (str | Unset):
        lines (list[LineRequest] | Unset):
        due_days (int | None | Unset):
        notes (None | str | Unset):
        exchange_rate (None | str | Unset):
    """

    currency: str | Unset = UNSET
    lines: list[LineRequest] | Unset = UNSET
    due_days: int | None | Unset = UNSET
    notes: None | str | Unset = UNSET
    exchange_rate: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        currency: str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        else:
            currency = self.currency

        lines: list[dict[str, Any]] | Unset
        if isinstance(self.lines, Unset):
            lines = UNSET
        else:
            lines = []
            for lines_type_0_item_data in self.lines:
                lines_type_0_item = lines_type_0_item_data.to_dict()
                lines.append(lines_type_0_item)

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
        field_dict.update({})
        if currency is not UNSET:
            field_dict["currency"] = currency
        if lines is not UNSET:
            field_dict["lines"] = lines
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

        def _parse_currency(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))

        def _parse_lines(data: object) -> list[LineRequest] | Unset:
            if isinstance(data, Unset):
                return data
            if not isinstance(data, list):
                raise TypeError()
            lines_type_0 = []
            _lines_type_0 = data
            for lines_type_0_item_data in _lines_type_0:
                lines_type_0_item = LineRequest.from_dict(lines_type_0_item_data)

                lines_type_0.append(lines_type_0_item)

            return lines_type_0

        lines = _parse_lines(d.pop("lines", UNSET))

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

        update_invoice_request = cls(
            currency=currency,
            lines=lines,
            due_days=due_days,
            notes=notes,
            exchange_rate=exchange_rate,
        )

        update_invoice_request.additional_properties = d
        return update_invoice_request

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
