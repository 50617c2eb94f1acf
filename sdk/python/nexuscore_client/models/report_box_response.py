from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.report_entry_response import ReportEntryResponse


T = TypeVar("T", bound="ReportBoxResponse")


@_attrs_define
class ReportBoxResponse:
    """
    Attributes:
        box (int):
        label (str):
        amount (int):
        documents (list[ReportEntryResponse]):
    """

    box: int
    label: str
    amount: int
    documents: list[ReportEntryResponse]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        box = self.box

        label = self.label

        amount = self.amount

        documents = []
        for documents_item_data in self.documents:
            documents_item = documents_item_data.to_dict()
            documents.append(documents_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "box": box,
                "label": label,
                "amount": amount,
                "documents": documents,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.report_entry_response import ReportEntryResponse  # noqa: PLC0415

        d = dict(src_dict)
        box = d.pop("box")

        label = d.pop("label")

        amount = d.pop("amount")

        documents = []
        _documents = d.pop("documents")
        for documents_item_data in _documents:
            documents_item = ReportEntryResponse.from_dict(documents_item_data)

            documents.append(documents_item)

        report_box_response = cls(
            box=box,
            label=label,
            amount=amount,
            documents=documents,
        )

        report_box_response.additional_properties = d
        return report_box_response

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
