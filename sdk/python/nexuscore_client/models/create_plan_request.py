from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.feature import Feature
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.limits_input import LimitsInput
    from ..models.prices_input import PricesInput


T = TypeVar("T", bound="CreatePlanRequest")


@_attrs_define
class CreatePlanRequest:
    """
    Attributes:
        code (str):
        name (str):
        description (str | Unset):  Default: ''.
        trial_days (int | Unset):  Default: 0.
        limits (LimitsInput | Unset):
        features (list[Feature] | Unset):
        prices (PricesInput | Unset):
    """

    code: str
    name: str
    description: str | Unset = ""
    trial_days: int | Unset = 0
    limits: LimitsInput | Unset = UNSET
    features: list[Feature] | Unset = UNSET
    prices: PricesInput | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        name = self.name

        description = self.description

        trial_days = self.trial_days

        limits: dict[str, Any] | Unset = UNSET
        if not isinstance(self.limits, Unset):
            limits = self.limits.to_dict()

        features: list[str] | Unset = UNSET
        if not isinstance(self.features, Unset):
            features = []
            for features_item_data in self.features:
                features_item = features_item_data.value
                features.append(features_item)

        prices: dict[str, Any] | Unset = UNSET
        if not isinstance(self.prices, Unset):
            prices = self.prices.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "name": name,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if trial_days is not UNSET:
            field_dict["trialDays"] = trial_days
        if limits is not UNSET:
            field_dict["limits"] = limits
        if features is not UNSET:
            field_dict["features"] = features
        if prices is not UNSET:
            field_dict["prices"] = prices

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.limits_input import LimitsInput  # noqa: PLC0415
        from ..models.prices_input import PricesInput  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        name = d.pop("name")

        description = d.pop("description", UNSET)

        trial_days = d.pop("trialDays", UNSET)

        _limits = d.pop("limits", UNSET)
        limits: LimitsInput | Unset
        if isinstance(_limits, Unset):
            limits = UNSET
        else:
            limits = LimitsInput.from_dict(_limits)

        _features = d.pop("features", UNSET)
        features: list[Feature] | Unset = UNSET
        if _features is not UNSET:
            features = []
            for features_item_data in _features:
                features_item = Feature(features_item_data)

                features.append(features_item)

        _prices = d.pop("prices", UNSET)
        prices: PricesInput | Unset
        if isinstance(_prices, Unset):
            prices = UNSET
        else:
            prices = PricesInput.from_dict(_prices)

        create_plan_request = cls(
            code=code,
            name=name,
            description=description,
            trial_days=trial_days,
            limits=limits,
            features=features,
            prices=prices,
        )

        create_plan_request.additional_properties = d
        return create_plan_request

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
