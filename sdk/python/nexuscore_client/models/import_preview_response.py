from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.duplicate_response import DuplicateResponse
    from ..models.row_error_response import RowErrorResponse


T = TypeVar("T", bound="ImportPreviewResponse")


@_attrs_define
class ImportPreviewResponse:
    """
    Attributes:
        dry_run (bool):
        total_rows (int):
        valid_rows (int): Rows without errors, duplicates included
        new_rows (int): Rows a real import would create now
        error_rows (int):
        duplicate_rows (int):
        errors (list[RowErrorResponse]): The first 1000 problems
        duplicates (list[DuplicateResponse]): The first 1000 duplicates
        columns (list[str]): Recognised columns, as field names
        ignored_columns (list[str]): Columns the import does not read
        lead_limit (int | None):
        active_leads (int):
        over_limit (bool): A real import would be refused (402) by the lead limit
    """

    dry_run: bool
    total_rows: int
    valid_rows: int
    new_rows: int
    error_rows: int
    duplicate_rows: int
    errors: list[RowErrorResponse]
    duplicates: list[DuplicateResponse]
    columns: list[str]
    ignored_columns: list[str]
    lead_limit: int | None
    active_leads: int
    over_limit: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dry_run = self.dry_run

        total_rows = self.total_rows

        valid_rows = self.valid_rows

        new_rows = self.new_rows

        error_rows = self.error_rows

        duplicate_rows = self.duplicate_rows

        errors = []
        for errors_item_data in self.errors:
            errors_item = errors_item_data.to_dict()
            errors.append(errors_item)

        duplicates = []
        for duplicates_item_data in self.duplicates:
            duplicates_item = duplicates_item_data.to_dict()
            duplicates.append(duplicates_item)

        columns = self.columns

        ignored_columns = self.ignored_columns

        lead_limit: int | None
        lead_limit = self.lead_limit

        active_leads = self.active_leads

        over_limit = self.over_limit

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dryRun": dry_run,
                "totalRows": total_rows,
                "validRows": valid_rows,
                "newRows": new_rows,
                "errorRows": error_rows,
                "duplicateRows": duplicate_rows,
                "errors": errors,
                "duplicates": duplicates,
                "columns": columns,
                "ignoredColumns": ignored_columns,
                "leadLimit": lead_limit,
                "activeLeads": active_leads,
                "overLimit": over_limit,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.duplicate_response import DuplicateResponse  # noqa: PLC0415
        from ..models.row_error_response import RowErrorResponse  # noqa: PLC0415

        d = dict(src_dict)
        dry_run = d.pop("dryRun")

        total_rows = d.pop("totalRows")

        valid_rows = d.pop("validRows")

        new_rows = d.pop("newRows")

        error_rows = d.pop("errorRows")

        duplicate_rows = d.pop("duplicateRows")

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

        columns = cast(list[str], d.pop("columns"))

        ignored_columns = cast(list[str], d.pop("ignoredColumns"))

        def _parse_lead_limit(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        lead_limit = _parse_lead_limit(d.pop("leadLimit"))

        active_leads = d.pop("activeLeads")

        over_limit = d.pop("overLimit")

        import_preview_response = cls(
            dry_run=dry_run,
            total_rows=total_rows,
            valid_rows=valid_rows,
            new_rows=new_rows,
            error_rows=error_rows,
            duplicate_rows=duplicate_rows,
            errors=errors,
            duplicates=duplicates,
            columns=columns,
            ignored_columns=ignored_columns,
            lead_limit=lead_limit,
            active_leads=active_leads,
            over_limit=over_limit,
        )

        import_preview_response.additional_properties = d
        return import_preview_response

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
