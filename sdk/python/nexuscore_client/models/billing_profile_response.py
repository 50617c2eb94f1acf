from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.billing_address_response import BillingAddressResponse
    from ..models.overseas_evidence_response import OverseasEvidenceResponse


T = TypeVar("T", bound="BillingProfileResponse")


@_attrs_define
class BillingProfileResponse:
    """
    Attributes:
        legal_name (str):
        billing_email (str):
        address (BillingAddressResponse):
        uen (None | str):
        gst_registration_number (None | str):
        overseas_evidence (None | OverseasEvidenceResponse):
        gateway_customer_id (None | str):
        updated_at (datetime.datetime):
    """

    legal_name: str
    billing_email: str
    address: BillingAddressResponse
    uen: None | str
    gst_registration_number: None | str
    overseas_evidence: None | OverseasEvidenceResponse
    gateway_customer_id: None | str
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.overseas_evidence_response import OverseasEvidenceResponse  # noqa: PLC0415

        legal_name = self.legal_name

        billing_email = self.billing_email

        address = self.address.to_dict()

        uen: None | str
        uen = self.uen

        gst_registration_number: None | str
        gst_registration_number = self.gst_registration_number

        overseas_evidence: dict[str, Any] | None
        if isinstance(self.overseas_evidence, OverseasEvidenceResponse):
            overseas_evidence = self.overseas_evidence.to_dict()
        else:
            overseas_evidence = self.overseas_evidence

        gateway_customer_id: None | str
        gateway_customer_id = self.gateway_customer_id

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "legalName": legal_name,
                "billingEmail": billing_email,
                "address": address,
                "uen": uen,
                "gstRegistrationNumber": gst_registration_number,
                "overseasEvidence": overseas_evidence,
                "gatewayCustomerId": gateway_customer_id,
                "updatedAt": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.billing_address_response import BillingAddressResponse  # noqa: PLC0415
        from ..models.overseas_evidence_response import OverseasEvidenceResponse  # noqa: PLC0415

        d = dict(src_dict)
        legal_name = d.pop("legalName")

        billing_email = d.pop("billingEmail")

        address = BillingAddressResponse.from_dict(d.pop("address"))

        def _parse_uen(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        uen = _parse_uen(d.pop("uen"))

        def _parse_gst_registration_number(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        gst_registration_number = _parse_gst_registration_number(d.pop("gstRegistrationNumber"))

        def _parse_overseas_evidence(data: object) -> None | OverseasEvidenceResponse:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                overseas_evidence_type_0 = OverseasEvidenceResponse.from_dict(data)

                return overseas_evidence_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OverseasEvidenceResponse, data)

        overseas_evidence = _parse_overseas_evidence(d.pop("overseasEvidence"))

        def _parse_gateway_customer_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        gateway_customer_id = _parse_gateway_customer_id(d.pop("gatewayCustomerId"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        billing_profile_response = cls(
            legal_name=legal_name,
            billing_email=billing_email,
            address=address,
            uen=uen,
            gst_registration_number=gst_registration_number,
            overseas_evidence=overseas_evidence,
            gateway_customer_id=gateway_customer_id,
            updated_at=updated_at,
        )

        billing_profile_response.additional_properties = d
        return billing_profile_response

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
