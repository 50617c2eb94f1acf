from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.billing_address_body import BillingAddressBody
    from ..models.overseas_evidence_body import OverseasEvidenceBody


T = TypeVar("T", bound="BillingProfileRequest")


@_attrs_define
class BillingProfileRequest:
    """
    Attributes:
        legal_name (str):
        billing_email (str):
        address (BillingAddressBody):
        uen (None | str | Unset):
        gst_registration_number (None | str | Unset):
        overseas_evidence (None | OverseasEvidenceBody | Unset):
    """

    legal_name: str
    billing_email: str
    address: BillingAddressBody
    uen: None | str | Unset = UNSET
    gst_registration_number: None | str | Unset = UNSET
    overseas_evidence: None | OverseasEvidenceBody | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.overseas_evidence_body import OverseasEvidenceBody  # noqa: PLC0415

        legal_name = self.legal_name

        billing_email = self.billing_email

        address = self.address.to_dict()

        uen: None | str | Unset
        if isinstance(self.uen, Unset):
            uen = UNSET
        else:
            uen = self.uen

        gst_registration_number: None | str | Unset
        if isinstance(self.gst_registration_number, Unset):
            gst_registration_number = UNSET
        else:
            gst_registration_number = self.gst_registration_number

        overseas_evidence: dict[str, Any] | None | Unset
        if isinstance(self.overseas_evidence, Unset):
            overseas_evidence = UNSET
        elif isinstance(self.overseas_evidence, OverseasEvidenceBody):
            overseas_evidence = self.overseas_evidence.to_dict()
        else:
            overseas_evidence = self.overseas_evidence

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "legalName": legal_name,
                "billingEmail": billing_email,
                "address": address,
            }
        )
        if uen is not UNSET:
            field_dict["uen"] = uen
        if gst_registration_number is not UNSET:
            field_dict["gstRegistrationNumber"] = gst_registration_number
        if overseas_evidence is not UNSET:
            field_dict["overseasEvidence"] = overseas_evidence

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.billing_address_body import BillingAddressBody  # noqa: PLC0415
        from ..models.overseas_evidence_body import OverseasEvidenceBody  # noqa: PLC0415

        d = dict(src_dict)
        legal_name = d.pop("legalName")

        billing_email = d.pop("billingEmail")

        address = BillingAddressBody.from_dict(d.pop("address"))

        def _parse_uen(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        uen = _parse_uen(d.pop("uen", UNSET))

        def _parse_gst_registration_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        gst_registration_number = _parse_gst_registration_number(d.pop("gstRegistrationNumber", UNSET))

        def _parse_overseas_evidence(data: object) -> None | OverseasEvidenceBody | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                overseas_evidence_type_0 = OverseasEvidenceBody.from_dict(data)

                return overseas_evidence_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OverseasEvidenceBody | Unset, data)

        overseas_evidence = _parse_overseas_evidence(d.pop("overseasEvidence", UNSET))

        billing_profile_request = cls(
            legal_name=legal_name,
            billing_email=billing_email,
            address=address,
            uen=uen,
            gst_registration_number=gst_registration_number,
            overseas_evidence=overseas_evidence,
        )

        billing_profile_request.additional_properties = d
        return billing_profile_request

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
