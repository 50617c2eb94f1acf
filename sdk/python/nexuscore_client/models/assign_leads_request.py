from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.assign_strategy import AssignStrategy
from ..types import UNSET, Unset

T = TypeVar("T", bound="AssignLeadsRequest")


@_attrs_define
class AssignLeadsRequest:
    """
    Attributes:
        lead_ids (list[UUID]):
        owner_id (None | Unset | UUID):
        strategy (AssignStrategy | None | Unset):
    """

    lead_ids: list[UUID]
    owner_id: None | Unset | UUID = UNSET
    strategy: AssignStrategy | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        lead_ids = []
        for lead_ids_item_data in self.lead_ids:
            lead_ids_item = str(lead_ids_item_data)
            lead_ids.append(lead_ids_item)

        owner_id: None | str | Unset
        if isinstance(self.owner_id, Unset):
            owner_id = UNSET
        elif isinstance(self.owner_id, UUID):
            owner_id = str(self.owner_id)
        else:
            owner_id = self.owner_id

        strategy: None | str | Unset
        if isinstance(self.strategy, Unset):
            strategy = UNSET
        elif isinstance(self.strategy, AssignStrategy):
            strategy = self.strategy.value
        else:
            strategy = self.strategy

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "leadIds": lead_ids,
            }
        )
        if owner_id is not UNSET:
            field_dict["ownerId"] = owner_id
        if strategy is not UNSET:
            field_dict["strategy"] = strategy

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        lead_ids = []
        _lead_ids = d.pop("leadIds")
        for lead_ids_item_data in _lead_ids:
            lead_ids_item = UUID(lead_ids_item_data)

            lead_ids.append(lead_ids_item)

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

        def _parse_strategy(data: object) -> AssignStrategy | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                strategy_type_0 = AssignStrategy(data)

                return strategy_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AssignStrategy | None | Unset, data)

        strategy = _parse_strategy(d.pop("strategy", UNSET))

        assign_leads_request = cls(
            lead_ids=lead_ids,
            owner_id=owner_id,
            strategy=strategy,
        )

        assign_leads_request.additional_properties = d
        return assign_leads_request

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
