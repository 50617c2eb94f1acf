from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.report_box_response import ReportBoxResponse
    from ..models.report_entry_response import ReportEntryResponse


T = TypeVar("T", bound="GstReportResponse")


@_attrs_define
class GstReportResponse:
    """
    Attributes:
        period (str):
        first_day (datetime.date):
        last_day (datetime.date):
        currency (str):
        boxes (list[ReportBoxResponse]):
        void_invoices (list[ReportEntryResponse]):
    """

    period: str
    first_day: datetime.date
    last_day: datetime.date
    currency: str
    boxes: list[ReportBoxResponse]
    void_invoices: list[ReportEntryResponse]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        period = self.period

        first_day = self.first_day.isoformat()

        last_day = self.last_day.isoformat()

        currency = self.currency

        boxes = []
        for boxes_item_data in self.boxes:
            boxes_item = boxes_item_data.to_dict()
            boxes.append(boxes_item)

        void_invoices = []
        for void_invoices_item_data in self.void_invoices:
            void_invoices_item = void_invoices_item_data.to_dict()
            void_invoices.append(void_invoices_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "period": period,
                "firstDay": first_day,
                "lastDay": last_day,
                "currency": currency,
                "boxes": boxes,
                "voidInvoices": void_invoices,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.report_box_response import ReportBoxResponse  # noqa: PLC0415
        from ..models.report_entry_response import ReportEntryResponse  # noqa: PLC0415

        d = dict(src_dict)
        period = d.pop("period")

        first_day = datetime.date.fromisoformat(d.pop("firstDay"))

        last_day = datetime.date.fromisoformat(d.pop("lastDay"))

        currency = d.pop("currency")

        boxes = []
        _boxes = d.pop("boxes")
        for boxes_item_data in _boxes:
            boxes_item = ReportBoxResponse.from_dict(boxes_item_data)

            boxes.append(boxes_item)

        void_invoices = []
        _void_invoices = d.pop("voidInvoices")
        for void_invoices_item_data in _void_invoices:
            void_invoices_item = ReportEntryResponse.from_dict(void_invoices_item_data)

            void_invoices.append(void_invoices_item)

        gst_report_response = cls(
            period=period,
            first_day=first_day,
            last_day=last_day,
            currency=currency,
            boxes=boxes,
            void_invoices=void_invoices,
        )

        gst_report_response.additional_properties = d
        return gst_report_response

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
