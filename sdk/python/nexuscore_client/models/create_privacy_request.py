from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.create_privacy_request_received_via import CreatePrivacyRequestReceivedVia
from ..models.request_kind import RequestKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.subject_input import SubjectInput


T = TypeVar("T", bound="CreatePrivacyRequest")


@_attrs_define
class CreatePrivacyRequest:
    """
    Attributes:
        kind (RequestKind):
        subject (SubjectInput):
        received_via (CreatePrivacyRequestReceivedVia):
        notes (None | str | Unset):
    """

    kind: RequestKind
    subject: SubjectInput
    received_via: CreatePrivacyRequestReceivedVia
    notes: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        subject = self.subject.to_dict()

        received_via = self.received_via.value

        notes: None | str | Unset
        if isinstance(self.notes, Unset):
            notes = UNSET
        else:
            notes = self.notes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "subject": subject,
                "receivedVia": received_via,
            }
        )
        if notes is not UNSET:
            field_dict["notes"] = notes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.subject_input import SubjectInput  # noqa: PLC0415

        d = dict(src_dict)
        kind = RequestKind(d.pop("kind"))

        subject = SubjectInput.from_dict(d.pop("subject"))

        received_via = CreatePrivacyRequestReceivedVia(d.pop("receivedVia"))

        def _parse_notes(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        notes = _parse_notes(d.pop("notes", UNSET))

        create_privacy_request = cls(
            kind=kind,
            subject=subject,
            received_via=received_via,
            notes=notes,
        )

        create_privacy_request.additional_properties = d
        return create_privacy_request

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
