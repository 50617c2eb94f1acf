from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.data_category import DataCategory
from ..types import UNSET, Unset

T = TypeVar("T", bound="BreachRequest")


@_attrs_define
class BreachRequest:
    """
    Attributes:
        description (str):
        discovered_at (datetime.datetime):
        affected_count (int):
        categories (list[DataCategory]):
        significant_harm (bool | Unset):  Default: False.
        assessed_at (datetime.datetime | None | Unset):
        pdpc_notified_at (datetime.datetime | None | Unset):
        individuals_notified_at (datetime.datetime | None | Unset):
    """

    description: str
    discovered_at: datetime.datetime
    affected_count: int
    categories: list[DataCategory]
    significant_harm: bool | Unset = False
    assessed_at: datetime.datetime | None | Unset = UNSET
    pdpc_notified_at: datetime.datetime | None | Unset = UNSET
    individuals_notified_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        description = self.description

        discovered_at = self.discovered_at.isoformat()

        affected_count = self.affected_count

        categories = []
        for categories_item_data in self.categories:
            categories_item = categories_item_data.value
            categories.append(categories_item)

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
        field_dict.update(
            {
                "description": description,
                "discoveredAt": discovered_at,
                "affectedCount": affected_count,
                "categories": categories,
            }
        )
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
        description = d.pop("description")

        discovered_at = datetime.datetime.fromisoformat(d.pop("discoveredAt"))

        affected_count = d.pop("affectedCount")

        categories = []
        _categories = d.pop("categories")
        for categories_item_data in _categories:
            categories_item = DataCategory(categories_item_data)

            categories.append(categories_item)

        significant_harm = d.pop("significantHarm", UNSET)

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

        breach_request = cls(
            description=description,
            discovered_at=discovered_at,
            affected_count=affected_count,
            categories=categories,
            significant_harm=significant_harm,
            assessed_at=assessed_at,
            pdpc_notified_at=pdpc_notified_at,
            individuals_notified_at=individuals_notified_at,
        )

        breach_request.additional_properties = d
        return breach_request

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
