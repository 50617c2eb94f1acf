from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.breakdown_response import BreakdownResponse
    from ..models.line_response import LineResponse


T = TypeVar("T", bound="CreditNoteResponse")


@_attrs_define
class CreditNoteResponse:
    """
    Attributes:
        id (UUID):
        organization_id (UUID):
        invoice_id (UUID):
        number (str):
        issue_date (datetime.date):
        original_invoice_number (str):
        original_invoice_date (datetime.date):
        reason (str):
        currency (str):
        lines (list[LineResponse]):
        tax_rate (str):
        breakdown (list[BreakdownResponse]):
        total_excluding_gst (int):
        gst_amount (int):
        total_including_gst (int):
        source (str):
        created_at (datetime.datetime):
    """

    id: UUID
    organization_id: UUID
    invoice_id: UUID
    number: str
    issue_date: datetime.date
    original_invoice_number: str
    original_invoice_date: datetime.date
    reason: str
    currency: str
    lines: list[LineResponse]
    tax_rate: str
    breakdown: list[BreakdownResponse]
    total_excluding_gst: int
    gst_amount: int
    total_including_gst: int
    source: str
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        organization_id = str(self.organization_id)

        invoice_id = str(self.invoice_id)

        number = self.number

        issue_date = self.issue_date.isoformat()

        original_invoice_number = self.original_invoice_number

        original_invoice_date = self.original_invoice_date.isoformat()

        reason = self.reason

        currency = self.currency

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        tax_rate = self.tax_rate

        breakdown = []
        for breakdown_item_data in self.breakdown:
            breakdown_item = breakdown_item_data.to_dict()
            breakdown.append(breakdown_item)

        total_excluding_gst = self.total_excluding_gst

        gst_amount = self.gst_amount

        total_including_gst = self.total_including_gst

        source = self.source

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "organizationId": organization_id,
                "invoiceId": invoice_id,
                "number": number,
                "issueDate": issue_date,
                "originalInvoiceNumber": original_invoice_number,
                "originalInvoiceDate": original_invoice_date,
                "reason": reason,
                "currency": currency,
                "lines": lines,
                "taxRate": tax_rate,
                "breakdown": breakdown,
                "totalExcludingGst": total_excluding_gst,
                "gstAmount": gst_amount,
                "totalIncludingGst": total_including_gst,
                "source": source,
                "createdAt": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.breakdown_response import BreakdownResponse  # noqa: PLC0415
        from ..models.line_response import LineResponse  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        organization_id = UUID(d.pop("organizationId"))

        invoice_id = UUID(d.pop("invoiceId"))

        number = d.pop("number")

        issue_date = datetime.date.fromisoformat(d.pop("issueDate"))

        original_invoice_number = d.pop("originalInvoiceNumber")

        original_invoice_date = datetime.date.fromisoformat(d.pop("originalInvoiceDate"))

        reason = d.pop("reason")

        currency = d.pop("currency")

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = LineResponse.from_dict(lines_item_data)

            lines.append(lines_item)

        tax_rate = d.pop("taxRate")

        breakdown = []
        _breakdown = d.pop("breakdown")
        for breakdown_item_data in _breakdown:
            breakdown_item = BreakdownResponse.from_dict(breakdown_item_data)

            breakdown.append(breakdown_item)

        total_excluding_gst = d.pop("totalExcludingGst")

        gst_amount = d.pop("gstAmount")

        total_including_gst = d.pop("totalIncludingGst")

        source = d.pop("source")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        credit_note_response = cls(
            id=id,
            organization_id=organization_id,
            invoice_id=invoice_id,
            number=number,
            issue_date=issue_date,
            original_invoice_number=original_invoice_number,
            original_invoice_date=original_invoice_date,
            reason=reason,
            currency=currency,
            lines=lines,
            tax_rate=tax_rate,
            breakdown=breakdown,
            total_excluding_gst=total_excluding_gst,
            gst_amount=gst_amount,
            total_including_gst=total_including_gst,
            source=source,
            created_at=created_at,
        )

        credit_note_response.additional_properties = d
        return credit_note_response

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
