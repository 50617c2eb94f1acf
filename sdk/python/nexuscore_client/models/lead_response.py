from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.dnc_status import DncStatus
from ..models.lead_source import LeadSource
from ..models.lead_status import LeadStatus

if TYPE_CHECKING:
    from ..models.marketing_consent_response import MarketingConsentResponse
    from ..models.score_reason_response import ScoreReasonResponse


T = TypeVar("T", bound="LeadResponse")


@_attrs_define
class LeadResponse:
    """
    Attributes:
        id (UUID):
        first_name (str):
        last_name (str):
        email (None | str):
        phone (None | str):
        company (None | str):
        company_uen (None | str):
        job_title (None | str):
        source (LeadSource):
        status (LeadStatus):
        lost_reason (None | str):
        owner_id (None | UUID):
        tags (list[str]):
        estimated_value (None | str):
        currency (str):
        next_follow_up (datetime.date | None):
        score (int):
        score_reasons (list[ScoreReasonResponse]):
        marketing_consent (MarketingConsentResponse | None):
        dnc_status (DncStatus):
        dnc_checked_at (datetime.date | None):
        marketing_eligible (bool):
        created_by (UUID):
        created_at (datetime.datetime):
        updated_by (UUID):
        updated_at (datetime.datetime):
    """

    id: UUID
    first_name: str
    last_name: str
    email: None | str
    phone: None | str
    company: None | str
    company_uen: None | str
    job_title: None | str
    source: LeadSource
    status: LeadStatus
    lost_reason: None | str
    owner_id: None | UUID
    tags: list[str]
    estimated_value: None | str
    currency: str
    next_follow_up: datetime.date | None
    score: int
    score_reasons: list[ScoreReasonResponse]
    marketing_consent: MarketingConsentResponse | None
    dnc_status: DncStatus
    dnc_checked_at: datetime.date | None
    marketing_eligible: bool
    created_by: UUID
    created_at: datetime.datetime
    updated_by: UUID
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.marketing_consent_response import MarketingConsentResponse  # noqa: PLC0415

        id = str(self.id)

        first_name = self.first_name

        last_name = self.last_name

        email: None | str
        email = self.email

        phone: None | str
        phone = self.phone

        company: None | str
        company = self.company

        company_uen: None | str
        company_uen = self.company_uen

        job_title: None | str
        job_title = self.job_title

        source = self.source.value

        status = self.status.value

        lost_reason: None | str
        lost_reason = self.lost_reason

        owner_id: None | str
        if isinstance(self.owner_id, UUID):
            owner_id = str(self.owner_id)
        else:
            owner_id = self.owner_id

        tags = self.tags

        estimated_value: None | str
        estimated_value = self.estimated_value

        currency = self.currency

        next_follow_up: None | str
        if isinstance(self.next_follow_up, datetime.date):
            next_follow_up = self.next_follow_up.isoformat()
        else:
            next_follow_up = self.next_follow_up

        score = self.score

        score_reasons = []
        for score_reasons_item_data in self.score_reasons:
            score_reasons_item = score_reasons_item_data.to_dict()
            score_reasons.append(score_reasons_item)

        marketing_consent: dict[str, Any] | None
        if isinstance(self.marketing_consent, MarketingConsentResponse):
            marketing_consent = self.marketing_consent.to_dict()
        else:
            marketing_consent = self.marketing_consent

        dnc_status = self.dnc_status.value

        dnc_checked_at: None | str
        if isinstance(self.dnc_checked_at, datetime.date):
            dnc_checked_at = self.dnc_checked_at.isoformat()
        else:
            dnc_checked_at = self.dnc_checked_at

        marketing_eligible = self.marketing_eligible

        created_by = str(self.created_by)

        created_at = self.created_at.isoformat()

        updated_by = str(self.updated_by)

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "firstName": first_name,
                "lastName": last_name,
                "email": email,
                "phone": phone,
                "company": company,
                "companyUen": company_uen,
                "jobTitle": job_title,
                "source": source,
                "status": status,
                "lostReason": lost_reason,
                "ownerId": owner_id,
                "tags": tags,
                "estimatedValue": estimated_value,
                "currency": currency,
                "nextFollowUp": next_follow_up,
                "score": score,
                "scoreReasons": score_reasons,
                "marketingConsent": marketing_consent,
                "dncStatus": dnc_status,
                "dncCheckedAt": dnc_checked_at,
                "marketingEligible": marketing_eligible,
                "createdBy": created_by,
                "createdAt": created_at,
                "updatedBy": updated_by,
                "updatedAt": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.marketing_consent_response import MarketingConsentResponse  # noqa: PLC0415
        from ..models.score_reason_response import ScoreReasonResponse  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        first_name = d.pop("firstName")

        last_name = d.pop("lastName")

        def _parse_email(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        email = _parse_email(d.pop("email"))

        def _parse_phone(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        phone = _parse_phone(d.pop("phone"))

        def _parse_company(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        company = _parse_company(d.pop("company"))

        def _parse_company_uen(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        company_uen = _parse_company_uen(d.pop("companyUen"))

        def _parse_job_title(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        job_title = _parse_job_title(d.pop("jobTitle"))

        source = LeadSource(d.pop("source"))

        status = LeadStatus(d.pop("status"))

        def _parse_lost_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        lost_reason = _parse_lost_reason(d.pop("lostReason"))

        def _parse_owner_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                owner_id_type_0 = UUID(data)

                return owner_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        owner_id = _parse_owner_id(d.pop("ownerId"))

        tags = cast(list[str], d.pop("tags"))

        def _parse_estimated_value(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        estimated_value = _parse_estimated_value(d.pop("estimatedValue"))

        currency = d.pop("currency")

        def _parse_next_follow_up(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_follow_up_type_0 = datetime.date.fromisoformat(data)

                return next_follow_up_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        next_follow_up = _parse_next_follow_up(d.pop("nextFollowUp"))

        score = d.pop("score")

        score_reasons = []
        _score_reasons = d.pop("scoreReasons")
        for score_reasons_item_data in _score_reasons:
            score_reasons_item = ScoreReasonResponse.from_dict(score_reasons_item_data)

            score_reasons.append(score_reasons_item)

        def _parse_marketing_consent(data: object) -> MarketingConsentResponse | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                marketing_consent_type_0 = MarketingConsentResponse.from_dict(data)

                return marketing_consent_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MarketingConsentResponse | None, data)

        marketing_consent = _parse_marketing_consent(d.pop("marketingConsent"))

        dnc_status = DncStatus(d.pop("dncStatus"))

        def _parse_dnc_checked_at(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                dnc_checked_at_type_0 = datetime.date.fromisoformat(data)

                return dnc_checked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        dnc_checked_at = _parse_dnc_checked_at(d.pop("dncCheckedAt"))

        marketing_eligible = d.pop("marketingEligible")

        created_by = UUID(d.pop("createdBy"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_by = UUID(d.pop("updatedBy"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        lead_response = cls(
            id=id,
            first_name=first_name,
            last_name=last_name,
            email=email,
            phone=phone,
            company=company,
            company_uen=company_uen,
            job_title=job_title,
            source=source,
            status=status,
            lost_reason=lost_reason,
            owner_id=owner_id,
            tags=tags,
            estimated_value=estimated_value,
            currency=currency,
            next_follow_up=next_follow_up,
            score=score,
            score_reasons=score_reasons,
            marketing_consent=marketing_consent,
            dnc_status=dnc_status,
            dnc_checked_at=dnc_checked_at,
            marketing_eligible=marketing_eligible,
            created_by=created_by,
            created_at=created_at,
            updated_by=updated_by,
            updated_at=updated_at,
        )

        lead_response.additional_properties = d
        return lead_response

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
