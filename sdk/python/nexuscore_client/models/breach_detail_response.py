from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.data_category import DataCategory

if TYPE_CHECKING:
    from ..models.timeline_entry import TimelineEntry


T = TypeVar("T", bound="BreachDetailResponse")


@_attrs_define
class BreachDetailResponse:
    """
    Attributes:
        id (UUID):
        description (str):
        discovered_at (datetime.datetime):
        assessed_at (datetime.datetime | None):
        affected_count (int):
        categories (list[DataCategory]):
        significant_harm (bool):
        notifiable (bool):
        pdpc_deadline (datetime.date | None):
        pdpc_due_at (datetime.datetime | None):
        overdue (bool):
        pdpc_notified_at (datetime.datetime | None):
        individuals_notified_at (datetime.datetime | None):
        created_by (None | UUID):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        timeline (list[TimelineEntry]):
    """

    id: UUID
    description: str
    discovered_at: datetime.datetime
    assessed_at: datetime.datetime | None
    affected_count: int
    categories: list[DataCategory]
    significant_harm: bool
    notifiable: bool
    pdpc_deadline: datetime.date | None
    pdpc_due_at: datetime.datetime | None
    overdue: bool
    pdpc_notified_at: datetime.datetime | None
    individuals_notified_at: datetime.datetime | None
    created_by: None | UUID
    created_at: datetime.datetime
    updated_at: datetime.datetime
    timeline: list[TimelineEntry]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        description = self.description

        discovered_at = self.discovered_at.isoformat()

        assessed_at: None | str
        if isinstance(self.assessed_at, datetime.datetime):
            assessed_at = self.assessed_at.isoformat()
        else:
            assessed_at = self.assessed_at

        affected_count = self.affected_count

        categories = []
        for categories_item_data in self.categories:
            categories_item = categories_item_data.value
            categories.append(categories_item)

        significant_harm = self.significant_harm

        notifiable = self.notifiable

        pdpc_deadline: None | str
        if isinstance(self.pdpc_deadline, datetime.date):
            pdpc_deadline = self.pdpc_deadline.isoformat()
        else:
            pdpc_deadline = self.pdpc_deadline

        pdpc_due_at: None | str
        if isinstance(self.pdpc_due_at, datetime.datetime):
            pdpc_due_at = self.pdpc_due_at.isoformat()
        else:
            pdpc_due_at = self.pdpc_due_at

        overdue = self.overdue

        pdpc_notified_at: None | str
        if isinstance(self.pdpc_notified_at, datetime.datetime):
            pdpc_notified_at = self.pdpc_notified_at.isoformat()
        else:
            pdpc_notified_at = self.pdpc_notified_at

        individuals_notified_at: None | str
        if isinstance(self.individuals_notified_at, datetime.datetime):
            individuals_notified_at = self.individuals_notified_at.isoformat()
        else:
            individuals_notified_at = self.individuals_notified_at

        created_by: None | str
        if isinstance(self.created_by, UUID):
            created_by = str(self.created_by)
        else:
            created_by = self.created_by

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        timeline = []
        for timeline_item_data in self.timeline:
            timeline_item = timeline_item_data.to_dict()
            timeline.append(timeline_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "description": description,
                "discoveredAt": discovered_at,
                "assessedAt": assessed_at,
                "affectedCount": affected_count,
                "categories": categories,
                "significantHarm": significant_harm,
                "notifiable": notifiable,
                "pdpcDeadline": pdpc_deadline,
                "pdpcDueAt": pdpc_due_at,
                "overdue": overdue,
                "pdpcNotifiedAt": pdpc_notified_at,
                "individualsNotifiedAt": individuals_notified_at,
                "createdBy": created_by,
                "createdAt": created_at,
                "updatedAt": updated_at,
                "timeline": timeline,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.timeline_entry import TimelineEntry  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        description = d.pop("description")

        discovered_at = datetime.datetime.fromisoformat(d.pop("discoveredAt"))

        def _parse_assessed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                assessed_at_type_0 = datetime.datetime.fromisoformat(data)

                return assessed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        assessed_at = _parse_assessed_at(d.pop("assessedAt"))

        affected_count = d.pop("affectedCount")

        categories = []
        _categories = d.pop("categories")
        for categories_item_data in _categories:
            categories_item = DataCategory(categories_item_data)

            categories.append(categories_item)

        significant_harm = d.pop("significantHarm")

        notifiable = d.pop("notifiable")

        def _parse_pdpc_deadline(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                pdpc_deadline_type_0 = datetime.date.fromisoformat(data)

                return pdpc_deadline_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        pdpc_deadline = _parse_pdpc_deadline(d.pop("pdpcDeadline"))

        def _parse_pdpc_due_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                pdpc_due_at_type_0 = datetime.datetime.fromisoformat(data)

                return pdpc_due_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        pdpc_due_at = _parse_pdpc_due_at(d.pop("pdpcDueAt"))

        overdue = d.pop("overdue")

        def _parse_pdpc_notified_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                pdpc_notified_at_type_0 = datetime.datetime.fromisoformat(data)

                return pdpc_notified_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        pdpc_notified_at = _parse_pdpc_notified_at(d.pop("pdpcNotifiedAt"))

        def _parse_individuals_notified_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                individuals_notified_at_type_0 = datetime.datetime.fromisoformat(data)

                return individuals_notified_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        individuals_notified_at = _parse_individuals_notified_at(d.pop("individualsNotifiedAt"))

        def _parse_created_by(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_by_type_0 = UUID(data)

                return created_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        created_by = _parse_created_by(d.pop("createdBy"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        timeline = []
        _timeline = d.pop("timeline")
        for timeline_item_data in _timeline:
            timeline_item = TimelineEntry.from_dict(timeline_item_data)

            timeline.append(timeline_item)

        breach_detail_response = cls(
            id=id,
            description=description,
            discovered_at=discovered_at,
            assessed_at=assessed_at,
            affected_count=affected_count,
            categories=categories,
            significant_harm=significant_harm,
            notifiable=notifiable,
            pdpc_deadline=pdpc_deadline,
            pdpc_due_at=pdpc_due_at,
            overdue=overdue,
            pdpc_notified_at=pdpc_notified_at,
            individuals_notified_at=individuals_notified_at,
            created_by=created_by,
            created_at=created_at,
            updated_at=updated_at,
            timeline=timeline,
        )

        breach_detail_response.additional_properties = d
        return breach_detail_response

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
