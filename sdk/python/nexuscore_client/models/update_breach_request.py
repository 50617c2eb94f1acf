from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.data_category import DataCategory
from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateBreachRequest")


@_attrs_define
class UpdateBreachRequest:
    """
    Attributes:
        description (str | Unset):
        discovered_at (datetime.datetime | Unset):
        affected_count (int | Unset):
        categories (list[DataCategory] | Unset):
        significant_harm (bool | Unset):
        assessed_at (datetime.datetime | None | Unset):
        pdpc_notified_at (datetime.datetime | None | Unset):
        individuals_notified_at (datetime.datetime | None | Unset):
    """

    description: str | Unset = UNSET
    discovered_at: datetime.datetime | Unset = UNSET
    affected_count: int | Unset = UNSET
    categories: list[DataCategory] | Unset = UNSET
    significant_harm: bool | Unset = UNSET
    assessed_at: datetime.datetime | None | Unset = UNSET
    pdpc_notified_at: datetime.datetime | None | Unset = UNSET
    individuals_notified_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        description: str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        discovered_at: str | Unset
        if isinstance(self.discovered_at, Unset):
            discovered_at = UNSET
        else:
            discovered_at = self.discovered_at.isoformat()

        affected_count: int | Unset
        if isinstance(self.affected_count, Unset):
            affected_count = UNSET
        else:
            affected_count = self.affected_count

        categories: list[str] | Unset
        if isinstance(self.categories, Unset):
            categories = UNSET
        else:
            categories = []
            for categories_type_0_item_data in self.categories:
                categories_type_0_item = categories_type_0_item_data.value
                categories.append(categories_type_0_item)

        significant_harm: bool | Unset
        if isinstance(self.significant_harm, Unset):
            significant_harm = UNSET
        else:
            significant_harm = self.significant_harm

        assessed_at: None | str | Unset
        if isinstance(self.assessed_at, Unset):
            assessed_at = UNSET
        elif isinstance(self.assessed_at, datetime.datetime):
            assessed_at = self.assessed_at.isoformat()
        else:
            assessed_at = self.assessed_at

        pdpc_notified_at: None | str | Unset
        if isinstance(self.pdpc_notified_at, Unset):
            pdpc_notified_at = UNSET
        elif isinstance(self.pdpc_notified_at, datetime.datetime):
            pdpc_notified_at = self.pdpc_notified_at.isoformat()
        else:
            pdpc_notified_at = self.pdpc_notified_at

        individuals_notified_at: None | str | Unset
        if isinstance(self.individuals_notified_at, Unset):
            individuals_notified_at = UNSET
        elif isinstance(self.individuals_notified_at, datetime.datetime):
            individuals_notified_at = self.individuals_notified_at.isoformat()
        else:
            individuals_notified_at = self.individuals_notified_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if description is not UNSET:
            field_dict["description"] = description
        if discovered_at is not UNSET:
            field_dict["discoveredAt"] = discovered_at
        if affected_count is not UNSET:
            field_dict["affectedCount"] = affected_count
        if categories is not UNSET:
            field_dict["categories"] = categories
        if significant_harm is not UNSET:
            field_dict["significantHarm"] = significant_harm
        if assessed_at is not UNSET:
            field_dict["assessedAt"] = assessed_at
        if pdpc_notified_at is not UNSET:
            field_dict["pdpcNotifiedAt"] = pdpc_notified_at
        if individuals_notified_at is not UNSET:
            field_dict["individualsNotifiedAt"] = individuals_notified_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_description(data: object) -> str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_discovered_at(data: object) -> datetime.datetime | Unset:
            if isinstance(data, Unset):
                return data
            if not isinstance(data, str):
                raise TypeError()
            discovered_at_type_0 = datetime.datetime.fromisoformat(data)

            return discovered_at_type_0

        discovered_at = _parse_discovered_at(d.pop("discoveredAt", UNSET))

        def _parse_affected_count(data: object) -> int | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | Unset, data)

        affected_count = _parse_affected_count(d.pop("affectedCount", UNSET))

        def _parse_categories(data: object) -> list[DataCategory] | Unset:
            if isinstance(data, Unset):
                return data
            if not isinstance(data, list):
                raise TypeError()
            categories_type_0 = []
            _categories_type_0 = data
            for categories_type_0_item_data in _categories_type_0:
                categories_type_0_item = DataCategory(categories_type_0_item_data)

                categories_type_0.append(categories_type_0_item)

            return categories_type_0

        categories = _parse_categories(d.pop("categories", UNSET))

        def _parse_significant_harm(data: object) -> bool | Unset:
            if isinstance(data, Unset):
                return data
            return cast(bool | Unset, data)

        significant_harm = _parse_significant_harm(d.pop("significantHarm", UNSET))

        def _parse_assessed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                assessed_at_type_0 = datetime.datetime.fromisoformat(data)

                return assessed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        assessed_at = _parse_assessed_at(d.pop("assessedAt", UNSET))

        def _parse_pdpc_notified_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                pdpc_notified_at_type_0 = datetime.datetime.fromisoformat(data)

                return pdpc_notified_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        pdpc_notified_at = _parse_pdpc_notified_at(d.pop("pdpcNotifiedAt", UNSET))

        def _parse_individuals_notified_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                individuals_notified_at_type_0 = datetime.datetime.fromisoformat(data)

                return individuals_notified_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        individuals_notified_at = _parse_individuals_notified_at(d.pop("individualsNotifiedAt", UNSET))

        update_breach_request = cls(
            description=description,
            discovered_at=discovered_at,
            affected_count=affected_count,
            categories=categories,
            significant_harm=significant_harm,
            assessed_at=assessed_at,
            pdpc_notified_at=pdpc_notified_at,
            individuals_notified_at=individuals_notified_at,
        )

        update_breach_request.additional_properties = d
        return update_breach_request

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
