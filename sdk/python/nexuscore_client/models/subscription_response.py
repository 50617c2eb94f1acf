from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.usage_response import UsageResponse


T = TypeVar("T", bound="SubscriptionResponse")


@_attrs_define
class SubscriptionResponse:
    """
    Attributes:
        plan_code (str):
        subscribed_plan_code (None | str):
        status (None | str):
        interval (None | str):
        current_period_start (datetime.datetime | None):
        current_period_end (datetime.datetime | None):
        trial_end (datetime.datetime | None):
        cancel_at_period_end (bool):
        pending_plan_code (None | str):
        pending_change_at (datetime.datetime | None):
        read_only (bool):
        usage (UsageResponse):
        features (list[str]):
    """

    plan_code: str
    subscribed_plan_code: None | str
    status: None | str
    interval: None | str
    current_period_start: datetime.datetime | None
    current_period_end: datetime.datetime | None
    trial_end: datetime.datetime | None
    cancel_at_period_end: bool
    pending_plan_code: None | str
    pending_change_at: datetime.datetime | None
    read_only: bool
    usage: UsageResponse
    features: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        plan_code = self.plan_code

        subscribed_plan_code: None | str
        subscribed_plan_code = self.subscribed_plan_code

        status: None | str
        status = self.status

        interval: None | str
        interval = self.interval

        current_period_start: None | str
        if isinstance(self.current_period_start, datetime.datetime):
            current_period_start = self.current_period_start.isoformat()
        else:
            current_period_start = self.current_period_start

        current_period_end: None | str
        if isinstance(self.current_period_end, datetime.datetime):
            current_period_end = self.current_period_end.isoformat()
        else:
            current_period_end = self.current_period_end

        trial_end: None | str
        if isinstance(self.trial_end, datetime.datetime):
            trial_end = self.trial_end.isoformat()
        else:
            trial_end = self.trial_end

        cancel_at_period_end = self.cancel_at_period_end

        pending_plan_code: None | str
        pending_plan_code = self.pending_plan_code

        pending_change_at: None | str
        if isinstance(self.pending_change_at, datetime.datetime):
            pending_change_at = self.pending_change_at.isoformat()
        else:
            pending_change_at = self.pending_change_at

        read_only = self.read_only

        usage = self.usage.to_dict()

        features = self.features

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "planCode": plan_code,
                "subscribedPlanCode": subscribed_plan_code,
                "status": status,
                "interval": interval,
                "currentPeriodStart": current_period_start,
                "currentPeriodEnd": current_period_end,
                "trialEnd": trial_end,
                "cancelAtPeriodEnd": cancel_at_period_end,
                "pendingPlanCode": pending_plan_code,
                "pendingChangeAt": pending_change_at,
                "readOnly": read_only,
                "usage": usage,
                "features": features,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.usage_response import UsageResponse  # noqa: PLC0415

        d = dict(src_dict)
        plan_code = d.pop("planCode")

        def _parse_subscribed_plan_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        subscribed_plan_code = _parse_subscribed_plan_code(d.pop("subscribedPlanCode"))

        def _parse_status(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        status = _parse_status(d.pop("status"))

        def _parse_interval(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        interval = _parse_interval(d.pop("interval"))

        def _parse_current_period_start(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                current_period_start_type_0 = datetime.datetime.fromisoformat(data)

                return current_period_start_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        current_period_start = _parse_current_period_start(d.pop("currentPeriodStart"))

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

        def _parse_trial_end(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                trial_end_type_0 = datetime.datetime.fromisoformat(data)

                return trial_end_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        trial_end = _parse_trial_end(d.pop("trialEnd"))

        cancel_at_period_end = d.pop("cancelAtPeriodEnd")

        def _parse_pending_plan_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        pending_plan_code = _parse_pending_plan_code(d.pop("pendingPlanCode"))

        def _parse_pending_change_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                pending_change_at_type_0 = datetime.datetime.fromisoformat(data)

                return pending_change_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        pending_change_at = _parse_pending_change_at(d.pop("pendingChangeAt"))

        read_only = d.pop("readOnly")

        usage = UsageResponse.from_dict(d.pop("usage"))

        features = cast(list[str], d.pop("features"))

        subscription_response = cls(
            plan_code=plan_code,
            subscribed_plan_code=subscribed_plan_code,
            status=status,
            interval=interval,
            current_period_start=current_period_start,
            current_period_end=current_period_end,
            trial_end=trial_end,
            cancel_at_period_end=cancel_at_period_end,
            pending_plan_code=pending_plan_code,
            pending_change_at=pending_change_at,
            read_only=read_only,
            usage=usage,
            features=features,
        )

        subscription_response.additional_properties = d
        return subscription_response

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
