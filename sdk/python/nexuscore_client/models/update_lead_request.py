from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.dnc_status import DncStatus
from ..models.lead_source import LeadSource
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.consent_body import ConsentBody


T = TypeVar("T", bound="UpdateLeadRequest")


@_attrs_define
class UpdateLeadRequest:
    """
    Attributes:
        first_name (str | Unset):
        last_name (None | str | Unset):
        email (None | str | Unset):
        phone (None | str | Unset):
        company (None | str | Unset):
        company_uen (None | str | Unset):
        job_title (None | str | Unset):
        source (LeadSource | Unset):
        owner_id (None | Unset | UUID):
        tags (list[str] | None | Unset):
        estimated_value (None | str | Unset):
        next_follow_up (datetime.date | None | Unset):
        marketing_consent (ConsentBody | Unset):
        dnc_status (DncStatus | Unset):
        dnc_checked_at (datetime.date | None | Unset):
    """

    first_name: str | Unset = UNSET
    last_name: None | str | Unset = UNSET
    email: None | str | Unset = UNSET
    phone: None | str | Unset = UNSET
    company: None | str | Unset = UNSET
    company_uen: None | str | Unset = UNSET
    job_title: None | str | Unset = UNSET
    source: LeadSource | Unset = UNSET
    owner_id: None | Unset | UUID = UNSET
    tags: list[str] | None | Unset = UNSET
    estimated_value: None | str | Unset = UNSET
    next_follow_up: datetime.date | None | Unset = UNSET
    marketing_consent: ConsentBody | Unset = UNSET
    dnc_status: DncStatus | Unset = UNSET
    dnc_checked_at: datetime.date | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        first_name: str | Unset
        if isinstance(self.first_name, Unset):
            first_name = UNSET
        else:
            first_name = self.first_name

        last_name: None | str | Unset
        if isinstance(self.last_name, Unset):
            last_name = UNSET
        else:
            last_name = self.last_name

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        company: None | str | Unset
        if isinstance(self.company, Unset):
            company = UNSET
        else:
            company = self.company

        company_uen: None | str | Unset
        if isinstance(self.company_uen, Unset):
            company_uen = UNSET
        else:
            company_uen = self.company_uen

        job_title: None | str | Unset
        if isinstance(self.job_title, Unset):
            job_title = UNSET
        else:
            job_title = self.job_title

        source: str | Unset = UNSET
        if not isinstance(self.source, Unset):
            source = self.source.value

        owner_id: None | str | Unset
        if isinstance(self.owner_id, Unset):
            owner_id = UNSET
        elif isinstance(self.owner_id, UUID):
            owner_id = str(self.owner_id)
        else:
            owner_id = self.owner_id

        tags: list[str] | None | Unset
        if isinstance(self.tags, Unset):
            tags = UNSET
        elif isinstance(self.tags, list):
            tags = self.tags

        else:
            tags = self.tags

        estimated_value: None | str | Unset
        if isinstance(self.estimated_value, Unset):
            estimated_value = UNSET
        else:
            estimated_value = self.estimated_value

        next_follow_up: None | str | Unset
        if isinstance(self.next_follow_up, Unset):
            next_follow_up = UNSET
        elif isinstance(self.next_follow_up, datetime.date):
            next_follow_up = self.next_follow_up.isoformat()
        else:
            next_follow_up = self.next_follow_up

        marketing_consent: dict[str, Any] | Unset = UNSET
        if not isinstance(self.marketing_consent, Unset):
            marketing_consent = self.marketing_consent.to_dict()

        dnc_status: str | Unset = UNSET
        if not isinstance(self.dnc_status, Unset):
            dnc_status = self.dnc_status.value

        dnc_checked_at: None | str | Unset
        if isinstance(self.dnc_checked_at, Unset):
            dnc_checked_at = UNSET
        elif isinstance(self.dnc_checked_at, datetime.date):
            dnc_checked_at = self.dnc_checked_at.isoformat()
        else:
            dnc_checked_at = self.dnc_checked_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if first_name is not UNSET:
            field_dict["firstName"] = first_name
        if last_name is not UNSET:
            field_dict["lastName"] = last_name
        if email is not UNSET:
            field_dict["email"] = email
        if phone is not UNSET:
            field_dict["phone"] = phone
        if company is not UNSET:
            field_dict["company"] = company
        if company_uen is not UNSET:
            field_dict["companyUen"] = company_uen
        if job_title is not UNSET:
            field_dict["jobTitle"] = job_title
        if source is not UNSET:
            field_dict["source"] = source
        if owner_id is not UNSET:
            field_dict["ownerId"] = owner_id
        if tags is not UNSET:
            field_dict["tags"] = tags
        if estimated_value is not UNSET:
            field_dict["estimatedValue"] = estimated_value
        if next_follow_up is not UNSET:
            field_dict["nextFollowUp"] = next_follow_up
        if marketing_consent is not UNSET:
            field_dict["marketingConsent"] = marketing_consent
        if dnc_status is not UNSET:
            field_dict["dncStatus"] = dnc_status
        if dnc_checked_at is not UNSET:
            field_dict["dncCheckedAt"] = dnc_checked_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.consent_body import ConsentBody  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_first_name(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        first_name = _parse_first_name(d.pop("firstName", UNSET))

        def _parse_last_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_name = _parse_last_name(d.pop("lastName", UNSET))

        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))

        def _parse_company(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        company = _parse_company(d.pop("company", UNSET))

        def _parse_company_uen(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        company_uen = _parse_company_uen(d.pop("companyUen", UNSET))

        def _parse_job_title(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        job_title = _parse_job_title(d.pop("jobTitle", UNSET))

        _source = d.pop("source", UNSET)
        source: LeadSource | Unset
        if isinstance(_source, Unset):
            source = UNSET
        else:
            source = LeadSource(_source)

        def _parse_owner_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                owner_id_type_0 = UUID(data)

                return owner_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        owner_id = _parse_owner_id(d.pop("ownerId", UNSET))

        def _parse_tags(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tags_type_0 = cast(list[str], data)

                return tags_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        tags = _parse_tags(d.pop("tags", UNSET))

        def _parse_estimated_value(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        estimated_value = _parse_estimated_value(d.pop("estimatedValue", UNSET))

        def _parse_next_follow_up(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_follow_up_type_0 = datetime.date.fromisoformat(data)

                return next_follow_up_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        next_follow_up = _parse_next_follow_up(d.pop("nextFollowUp", UNSET))

        _marketing_consent = d.pop("marketingConsent", UNSET)
        marketing_consent: ConsentBody | Unset
        if isinstance(_marketing_consent, Unset):
            marketing_consent = UNSET
        else:
            marketing_consent = ConsentBody.from_dict(_marketing_consent)

        _dnc_status = d.pop("dncStatus", UNSET)
        dnc_status: DncStatus | Unset
        if isinstance(_dnc_status, Unset):
            dnc_status = UNSET
        else:
            dnc_status = DncStatus(_dnc_status)

        def _parse_dnc_checked_at(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                dnc_checked_at_type_0 = datetime.date.fromisoformat(data)

                return dnc_checked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        dnc_checked_at = _parse_dnc_checked_at(d.pop("dncCheckedAt", UNSET))

        update_lead_request = cls(
            first_name=first_name,
            last_name=last_name,
            email=email,
            phone=phone,
            company=company,
            company_uen=company_uen,
            job_title=job_title,
            source=source,
            owner_id=owner_id,
            tags=tags,
            estimated_value=estimated_value,
            next_follow_up=next_follow_up,
            marketing_consent=marketing_consent,
            dnc_status=dnc_status,
            dnc_checked_at=dnc_checked_at,
        )

        update_lead_request.additional_properties = d
        return update_lead_request

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
