from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.feature import Feature
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.limits_input import LimitsInput
    from ..models.prices_input import PricesInput


T = TypeVar("T", bound="UpdatePlanRequest")


@_attrs_define
class UpdatePlanRequest:
    """
    Attributes:
        name (str | Unset):
        description (str | Unset):
        trial_days (int | Unset):
        limits (LimitsInput | Unset):
        features (list[Feature] | Unset):
        prices (PricesInput | Unset):
        archived (bool | Unset):
    """

    name: str | Unset = UNSET
    description: str | Unset = UNSET
    trial_days: int | Unset = UNSET
    limits: LimitsInput | Unset = UNSET
    features: list[Feature] | Unset = UNSET
    prices: PricesInput | Unset = UNSET
    archived: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name: str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        description: str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        trial_days: int | Unset
        if isinstance(self.trial_days, Unset):
            trial_days = UNSET
        else:
            trial_days = self.trial_days

        limits: dict[str, Any] | Unset = UNSET
        if not isinstance(self.limits, Unset):
            limits = self.limits.to_dict()

        features: list[str] | Unset
        if isinstance(self.features, Unset):
            features = UNSET
        else:
            features = []
            for features_type_0_item_data in self.features:
                features_type_0_item = features_type_0_item_data.value
                features.append(features_type_0_item)

        prices: dict[str, Any] | Unset = UNSET
        if not isinstance(self.prices, Unset):
            prices = self.prices.to_dict()

        archived: bool | Unset
        if isinstance(self.archived, Unset):
            archived = UNSET
        else:
            archived = self.archived

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
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
        if archived is not UNSET:
            field_dict["archived"] = archived

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.limits_input import LimitsInput  # noqa: PLC0415
        from ..models.prices_input import PricesInput  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_name(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_description(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_trial_days(data: object) -> int | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | Unset, data)

        trial_days = _parse_trial_days(d.pop("trialDays", UNSET))

        _limits = d.pop("limits", UNSET)
        limits: LimitsInput | Unset
        if isinstance(_limits, Unset):
            limits = UNSET
        else:
            limits = LimitsInput.from_dict(_limits)

        def _parse_features(data: object) -> list[Feature] | Unset:
            if isinstance(data, Unset):
                return data
            if not isinstance(data, list):
                raise TypeError()
            features_type_0 = []
            _features_type_0 = data
            for features_type_0_item_data in _features_type_0:
                features_type_0_item = Feature(features_type_0_item_data)

                features_type_0.append(features_type_0_item)

            return features_type_0

        features = _parse_features(d.pop("features", UNSET))

        _prices = d.pop("prices", UNSET)
        prices: PricesInput | Unset
        if isinstance(_prices, Unset):
            prices = UNSET
        else:
            prices = PricesInput.from_dict(_prices)

        def _parse_archived(data: object) -> bool | Unset:
            if isinstance(data, Unset):
                return data
            return cast(bool | Unset, data)

        archived = _parse_archived(d.pop("archived", UNSET))

        update_plan_request = cls(
            name=name,
            description=description,
            trial_days=trial_days,
            limits=limits,
            features=features,
            prices=prices,
            archived=archived,
        )

        update_plan_request.additional_properties = d
        return update_plan_request

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
