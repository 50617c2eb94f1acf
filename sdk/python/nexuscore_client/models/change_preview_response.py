from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.amount import Amount


T = TypeVar("T", bound="ChangePreviewResponse")


@_attrs_define
class ChangePreviewResponse:
    """
    Attributes:
        plan_code (str):
        interval (str):
        timing (str):
        due_now (Amount):
        next_invoice (Amount):
        next_invoice_at (datetime.datetime | None):
        currency (str):
    """

    plan_code: str
    interval: str
    timing: str
    due_now: Amount
    next_invoice: Amount
    next_invoice_at: datetime.datetime | None
    currency: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        plan_code = self.plan_code

        interval = self.interval

        timing = self.timing

        due_now = self.due_now.to_dict()

        next_invoice = self.next_invoice.to_dict()

        next_invoice_at: None | str
        if isinstance(self.next_invoice_at, datetime.datetime):
            next_invoice_at = self.next_invoice_at.isoformat()
        else:
            next_invoice_at = self.next_invoice_at

        currency = self.currency

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "planCode": plan_code,
                "interval": interval,
                "timing": timing,
                "dueNow": due_now,
                "nextInvoice": next_invoice,
                "nextInvoiceAt": next_invoice_at,
                "currency": currency,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.amount import Amount  # noqa: PLC0415

        d = dict(src_dict)
        plan_code = d.pop("planCode")

        interval = d.pop("interval")

        timing = d.pop("timing")

        due_now = Amount.from_dict(d.pop("dueNow"))

        next_invoice = Amount.from_dict(d.pop("nextInvoice"))

        def _parse_next_invoice_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_invoice_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_invoice_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_invoice_at = _parse_next_invoice_at(d.pop("nextInvoiceAt"))

        currency = d.pop("currency")

        change_preview_response = cls(
            plan_code=plan_code,
            interval=interval,
            timing=timing,
            due_now=due_now,
            next_invoice=next_invoice,
            next_invoice_at=next_invoice_at,
            currency=currency,
        )

        change_preview_response.additional_properties = d
        return change_preview_response

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
