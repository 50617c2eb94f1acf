from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.import_status import ImportStatus

if TYPE_CHECKING:
    from ..models.duplicate_response import DuplicateResponse
    from ..models.import_counts import ImportCounts
    from ..models.row_error_response import RowErrorResponse


T = TypeVar("T", bound="LeadImportResponse")


@_attrs_define
class LeadImportResponse:
    """
    Attributes:
        id (UUID):
        status (ImportStatus):
        filename (str):
        total_rows (int):
        processed_rows (int):
        counts (ImportCounts):
        errors (list[RowErrorResponse]): The first 1000 problems, by row
        duplicates (list[DuplicateResponse]): The first 1000 duplicates, by row
        created_by (UUID):
        created_at (datetime.datetime):
        started_at (datetime.datetime | None):
        finished_at (datetime.datetime | None):
        failure (None | str):
    """

    id: UUID
    status: ImportStatus
    filename: str
    total_rows: int
    processed_rows: int
    counts: ImportCounts
    errors: list[RowErrorResponse]
    duplicates: list[DuplicateResponse]
    created_by: UUID
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    failure: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        status = self.status.value

        filename = self.filename

        total_rows = self.total_rows

        processed_rows = self.processed_rows

        counts = self.counts.to_dict()

        errors = []
        for errors_item_data in self.errors:
            errors_item = errors_item_data.to_dict()
            errors.append(errors_item)

        duplicates = []
        for duplicates_item_data in self.duplicates:
            duplicates_item = duplicates_item_data.to_dict()
            duplicates.append(duplicates_item)

        created_by = str(self.created_by)

        created_at = self.created_at.isoformat()

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        failure: None | str
        failure = self.failure

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
                "filename": filename,
                "totalRows": total_rows,
                "processedRows": processed_rows,
                "counts": counts,
                "errors": errors,
                "duplicates": duplicates,
                "createdBy": created_by,
                "createdAt": created_at,
                "startedAt": started_at,
                "finishedAt": finished_at,
                "failure": failure,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.duplicate_response import DuplicateResponse  # noqa: PLC0415
        from ..models.import_counts import ImportCounts  # noqa: PLC0415
        from ..models.row_error_response import RowErrorResponse  # noqa: PLC0415

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        status = ImportStatus(d.pop("status"))

        filename = d.pop("filename")

        total_rows = d.pop("totalRows")

        processed_rows = d.pop("processedRows")

        counts = ImportCounts.from_dict(d.pop("counts"))

        errors = []
        _errors = d.pop("errors")
        for errors_item_data in _errors:
            errors_item = RowErrorResponse.from_dict(errors_item_data)

            errors.append(errors_item)

        duplicates = []
        _duplicates = d.pop("duplicates")
        for duplicates_item_data in _duplicates:
            duplicates_item = DuplicateResponse.from_dict(duplicates_item_data)

            duplicates.append(duplicates_item)

        created_by = UUID(d.pop("createdBy"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("startedAt"))

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finishedAt"))

        def _parse_failure(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        failure = _parse_failure(d.pop("failure"))

        lead_import_response = cls(
            id=id,
            status=status,
            filename=filename,
            total_rows=total_rows,
            processed_rows=processed_rows,
            counts=counts,
            errors=errors,
            duplicates=duplicates,
            created_by=created_by,
            created_at=created_at,
            started_at=started_at,
            finished_at=finished_at,
            failure=failure,
        )

        lead_import_response.additional_properties = d
        return lead_import_response

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
