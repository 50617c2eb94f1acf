from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.breakdown_response import BreakdownResponse
    from ..models.line_response import LineResponse
    from ..models.party_response import PartyResponse
    from ..models.sgd_totals_response import SgdTotalsResponse


T = TypeVar("T", bound="StaffInvoiceResponse")


@_attrs_define
class StaffInvoiceResponse:
    """
    Attributes:
        id (UUID):
        organization_id (UUID):
        status (str):
        source (str):
        number (None | str):
        title (None | str):
        currency (str):
        lines (list[LineResponse]):
        due_days (int | None):
        notes (None | str):
        exchange_rate (None | str):
        issue_date (datetime.date | None):
        time_of_supply (datetime.date | None):
        due_date (datetime.date | None):
        tax_rate (None | str):
        breakdown (list[BreakdownResponse]):
        total_excluding_gst (int):
        gst_amount (int):
        total_including_gst (int):
        sgd_totals (None | SgdTotalsResponse):
        supplier (None | PartyResponse):
        customer (None | PartyResponse):
        credited_amount (int):
        sent_at (datetime.datetime | None):
        paid_at (datetime.datetime | None):
        payment_method (None | str):
        payment_reference (None | str):
        voided_at (datetime.datetime | None):
        void_reason (None | str):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        tax_mismatch (bool):
    """

    id: UUID
    organization_id: UUID
    status: str
    source: str
    number: None | str
    title: None | str
    currency: str
    lines: list[LineResponse]
    due_days: int | None
    notes: None | str
    exchange_rate: None | str
    issue_date: datetime.date | None
    time_of_supply: datetime.date | None
    due_date: datetime.date | None
    tax_rate: None | str
    breakdown: list[BreakdownResponse]
    total_excluding_gst: int
    gst_amount: int
    total_including_gst: int
    sgd_totals: None | SgdTotalsResponse
    supplier: None | PartyResponse
    customer: None | PartyResponse
    credited_amount: int
    sent_at: datetime.datetime | None
    paid_at: datetime.datetime | None
    payment_method: None | str
    payment_reference: None | str
    voided_at: datetime.datetime | None
    void_reason: None | str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    tax_mismatch: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.party_response import PartyResponse  # noqa: PLC0415
        from ..models.sgd_totals_response import SgdTotalsResponse  # noqa: PLC0415

        id = str(self.id)

        organization_id = str(self.organization_id)

        status = self.status

        source = self.source

        number: None | str
        number = self.number

        title: None | str
        title = self.title

        currency = self.currency

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        due_days: int | None
        due_days = self.due_days

        notes: None | str
        notes = self.notes

        exchange_rate: None | str
        exchange_rate = self.exchange_rate

        issue_date: None | str
        if isinstance(self.issue_date, datetime.date):
            issue_date = self.issue_date.isoformat()
        else:
            issue_date = self.issue_date

        time_of_supply: None | str
        if isinstance(self.time_of_supply, datetime.date):
            time_of_supply = self.time_of_supply.isoformat()
        else:
            time_of_supply = self.time_of_supply

        due_date: None | str
        if isinstance(self.due_date, datetime.date):
            due_date = self.due_date.isoformat()
        else:
            due_date = self.due_date

        tax_rate: None | str
        tax_rate = self.tax_rate

        breakdown = []
        for breakdown_item_data in self.breakdown:
            breakdown_item = breakdown_item_data.to_dict()
            breakdown.append(breakdown_item)

        total_excluding_gst = self.total_excluding_gst

        gst_amount = self.gst_amount

        total_including_gst = self.total_including_gst

        sgd_totals: dict[str, Any] | None
        if isinstance(self.sgd_totals, SgdTotalsResponse):
            sgd_totals = self.sgd_totals.to_dict()
        else:
            sgd_totals = self.sgd_totals

        supplier: dict[str, Any] | None
        if isinstance(self.supplier, PartyResponse):
            supplier = self.supplier.to_dict()
        else:
            supplier = self.supplier

        customer: dict[str, Any] | None
        if isinstance(self.customer, PartyResponse):
            customer = self.customer.to_dict()
        else:
            customer = self.customer

        credited_amount = self.credited_amount

        sent_at: None | str
        if isinstance(self.sent_at, datetime.datetime):
            sent_at = self.sent_at.isoformat()
        else:
            sent_at = self.sent_at

        paid_at: None | str
        if isinstance(self.paid_at, datetime.datetime):
            paid_at = self.paid_at.isoformat()
        else:
            paid_at = self.paid_at

        payment_method: None | str
        payment_method = self.payment_method

        payment_reference: None | str
        payment_reference = self.payment_reference

        voided_at: None | str
        if isinstance(self.voided_at, datetime.datetime):
            voided_at = self.voided_at.isoformat()
        else:
            voided_at = self.voided_at

        void_reason: None | str
        void_reason = self.void_reason

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        tax_mismatch = self.tax_mismatch

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "organizationId": organization_id,
                "status": status,
                "source": source,
                "number": number,
                "title": title,
                "currency": currency,
                "lines": lines,
                "dueDays": due_days,
                "notes": notes,
                "exchangeRate": exchange_rate,
                "issueDate": issue_date,
                "timeOfSupply": time_of_supply,
                "dueDate": due_date,
                "taxRate": tax_rate,
                "breakdown": breakdown,
                "totalExcludingGst": total_excluding_gst,
                "gstAmount": gst_amount,
                "totalIncludingGst": total_including_gst,
                "sgdTotals": sgd_totals,
                "supplier": supplier,
                "customer": customer,
                "creditedAmount": credited_amount,
                "sentAt": sent_at,
                "paidAt": paid_at,
                "paymentMethod": payment_method,
                "paymentReference": payment_reference,
                "voidedAt": voided_at,
                "voidReason": void_reason,
                "createdAt": created_at,
                "updatedAt": updated_at,
                "taxMismatch": tax_mismatch,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.breakdown_response import BreakdownResponse  # noqa: PLC0415
        from ..models.line_response import LineResponse  # noqa: PLC0415
        from ..models.party_response import PartyResponse  # noqa: PLC0415
        from ..models.sgd_totals_response import SgdTotalsResponse  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        organization_id = UUID(d.pop("organizationId"))

        status = d.pop("status")

        source = d.pop("source")

        def _parse_number(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        number = _parse_number(d.pop("number"))

        def _parse_title(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        title = _parse_title(d.pop("title"))

        currency = d.pop("currency")

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = LineResponse.from_dict(lines_item_data)

            lines.append(lines_item)

        def _parse_due_days(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        due_days = _parse_due_days(d.pop("dueDays"))

        def _parse_notes(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        notes = _parse_notes(d.pop("notes"))

        def _parse_exchange_rate(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        exchange_rate = _parse_exchange_rate(d.pop("exchangeRate"))

        def _parse_issue_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                issue_date_type_0 = datetime.date.fromisoformat(data)

                return issue_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        issue_date = _parse_issue_date(d.pop("issueDate"))

        def _parse_time_of_supply(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                time_of_supply_type_0 = datetime.date.fromisoformat(data)

                return time_of_supply_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        time_of_supply = _parse_time_of_supply(d.pop("timeOfSupply"))

        def _parse_due_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_date_type_0 = datetime.date.fromisoformat(data)

                return due_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        due_date = _parse_due_date(d.pop("dueDate"))

        def _parse_tax_rate(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        tax_rate = _parse_tax_rate(d.pop("taxRate"))

        breakdown = []
        _breakdown = d.pop("breakdown")
        for breakdown_item_data in _breakdown:
            breakdown_item = BreakdownResponse.from_dict(breakdown_item_data)

            breakdown.append(breakdown_item)

        total_excluding_gst = d.pop("totalExcludingGst")

        gst_amount = d.pop("gstAmount")

        total_including_gst = d.pop("totalIncludingGst")

        def _parse_sgd_totals(data: object) -> None | SgdTotalsResponse:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                sgd_totals_type_0 = SgdTotalsResponse.from_dict(data)

                return sgd_totals_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SgdTotalsResponse, data)

        sgd_totals = _parse_sgd_totals(d.pop("sgdTotals"))

        def _parse_supplier(data: object) -> None | PartyResponse:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                supplier_type_0 = PartyResponse.from_dict(data)

                return supplier_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PartyResponse, data)

        supplier = _parse_supplier(d.pop("supplier"))

        def _parse_customer(data: object) -> None | PartyResponse:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                customer_type_0 = PartyResponse.from_dict(data)

                return customer_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PartyResponse, data)

        customer = _parse_customer(d.pop("customer"))

        credited_amount = d.pop("creditedAmount")

        def _parse_sent_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sent_at_type_0 = datetime.datetime.fromisoformat(data)

                return sent_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        sent_at = _parse_sent_at(d.pop("sentAt"))

        def _parse_paid_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                paid_at_type_0 = datetime.datetime.fromisoformat(data)

                return paid_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        paid_at = _parse_paid_at(d.pop("paidAt"))

        def _parse_payment_method(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        payment_method = _parse_payment_method(d.pop("paymentMethod"))

        def _parse_payment_reference(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        payment_reference = _parse_payment_reference(d.pop("paymentReference"))

        def _parse_voided_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                voided_at_type_0 = datetime.datetime.fromisoformat(data)

                return voided_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        voided_at = _parse_voided_at(d.pop("voidedAt"))

        def _parse_void_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        void_reason = _parse_void_reason(d.pop("voidReason"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        tax_mismatch = d.pop("taxMismatch")

        staff_invoice_response = cls(
            id=id,
            organization_id=organization_id,
            status=status,
            source=source,
            number=number,
            title=title,
            currency=currency,
            lines=lines,
            due_days=due_days,
            notes=notes,
            exchange_rate=exchange_rate,
            issue_date=issue_date,
            time_of_supply=time_of_supply,
            due_date=due_date,
            tax_rate=tax_rate,
            breakdown=breakdown,
            total_excluding_gst=total_excluding_gst,
            gst_amount=gst_amount,
            total_including_gst=total_including_gst,
            sgd_totals=sgd_totals,
            supplier=supplier,
            customer=customer,
            credited_amount=credited_amount,
            sent_at=sent_at,
            paid_at=paid_at,
            payment_method=payment_method,
            payment_reference=payment_reference,
            voided_at=voided_at,
            void_reason=void_reason,
            created_at=created_at,
            updated_at=updated_at,
            tax_mismatch=tax_mismatch,
        )

        staff_invoice_response.additional_properties = d
        return staff_invoice_response

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
