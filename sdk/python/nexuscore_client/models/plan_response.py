from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.limits import Limits


T = TypeVar("T", bound="PlanResponse")


@_attrs_define
class PlanResponse:
    """
    Attributes:
        code (str):
        name (str):
        description (str):
        monthly_price (int | None):
        yearly_price (int | None):
        currency (str):
        trial_days (int):
        limits (Limits):
        features (list[str]):
        archived (bool):
    """

    code: str
    name: str
    description: str
    monthly_price: int | None
    yearly_price: int | None
    currency: str
    trial_days: int
    limits: Limits
    features: list[str]
    archived: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        name = self.name

        description = self.description

        monthly_price: int | None
        monthly_price = self.monthly_price

        yearly_price: int | None
        yearly_price = self.yearly_price

        currency = self.currency

        trial_days = self.trial_days

        limits = self.limits.to_dict()

        features = self.features

        archived = self.archived

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "name": name,
                "description": description,
                "monthlyPrice": monthly_price,
                "yearlyPrice": yearly_price,
                "currency": currency,
                "trialDays": trial_days,
                "limits": limits,
                "features": features,
                "archived": archived,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.limits import Limits  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        name = d.pop("name")

        description = d.pop("description")

        def _parse_monthly_price(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        monthly_price = _parse_monthly_price(d.pop("monthlyPrice"))

        def _parse_yearly_price(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        yearly_price = _parse_yearly_price(d.pop("yearlyPrice"))

        currency = d.pop("currency")

        trial_days = d.pop("trialDays")

        limits = Limits.from_dict(d.pop("limits"))

        features = cast(list[str], d.pop("features"))

        archived = d.pop("archived")

        plan_response = cls(
            code=code,
            name=name,
            description=description,
            monthly_price=monthly_price,
            yearly_price=yearly_price,
            currency=currency,
            trial_days=trial_days,
            limits=limits,
            features=features,
            archived=archived,
        )

        plan_response.additional_properties = d
        return plan_response

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
