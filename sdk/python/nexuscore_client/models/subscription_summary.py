from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SubscriptionSummary")


@_attrs_define
class SubscriptionSummary:
    """
    Attributes:
        organization_id (str):
        gateway_subscription_id (str):
        plan_code (str):
        status (str):
        interval (str):
        current_period_end (datetime.datetime | None):
        cancel_at_period_end (bool):
        created_at (datetime.datetime):
    """

    organization_id: str
    gateway_subscription_id: str
    plan_code: str
    status: str
    interval: str
    current_period_end: datetime.datetime | None
    cancel_at_period_end: bool
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        organization_id = self.organization_id

        gateway_subscription_id = self.gateway_subscription_id

        plan_code = self.plan_code

        status = self.status

        interval = self.interval

        current_period_end: None | str
        if isinstance(self.current_period_end, datetime.datetime):
            current_period_end = self.current_period_end.isoformat()
        else:
            current_period_end = self.current_period_end

        cancel_at_period_end = self.cancel_at_period_end

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "organizationId": organization_id,
                "gatewaySubscriptionId": gateway_subscription_id,
                "planCode": plan_code,
                "status": status,
                "interval": interval,
                "currentPeriodEnd": current_period_end,
                "cancelAtPeriodEnd": cancel_at_period_end,
                "createdAt": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        organization_id = d.pop("organizationId")

        gateway_subscription_id = d.pop("gatewaySubscriptionId")

        plan_code = d.pop("planCode")

        status = d.pop("status")

        interval = d.pop("interval")

        def _parse_current_period_end(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                current_period_end_type_0 = datetime.datetime.fromisoformat(data)

                return current_period_end_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        current_period_end = _parse_current_period_end(d.pop("currentPeriodEnd"))

        cancel_at_period_end = d.pop("cancelAtPeriodEnd")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        subscription_summary = cls(
            organization_id=organization_id,
            gateway_subscription_id=gateway_subscription_id,
            plan_code=plan_code,
            status=status,
            interval=interval,
            current_period_end=current_period_end,
            cancel_at_period_end=cancel_at_period_end,
            created_at=created_at,
        )

        subscription_summary.additional_properties = d
        return subscription_summary

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
