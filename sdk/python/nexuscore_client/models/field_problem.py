from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.field_problem_source_type_1 import FieldProblemSourceType1
from ..models.field_problem_source_type_2_type_1 import FieldProblemSourceType2Type1
from ..models.field_problem_source_type_3_type_1 import FieldProblemSourceType3Type1
from ..types import UNSET, Unset

T = TypeVar("T", bound="FieldProblem")


@_attrs_define
class FieldProblem:
    """
    Attributes:
        field (str): As the client spells it: `email`, `address.street`, `scoreMin`
        message (str):
        source (FieldProblemSourceType1 | FieldProblemSourceType2Type1 | FieldProblemSourceType3Type1 | None | Unset):
    """

    field: str
    message: str
    source: FieldProblemSourceType1 | FieldProblemSourceType2Type1 | FieldProblemSourceType3Type1 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        field = self.field

        message = self.message

        source: None | str | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        elif isinstance(self.source, FieldProblemSourceType1):
            source = self.source.value
        elif isinstance(self.source, FieldProblemSourceType2Type1):
            source = self.source.value
        elif isinstance(self.source, FieldProblemSourceType3Type1):
            source = self.source.value
        else:
            source = self.source

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "field": field,
                "message": message,
            }
        )
        if source is not UNSET:
            field_dict["source"] = source

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        field = d.pop("field")

        message = d.pop("message")

        def _parse_source(
            data: object,
        ) -> FieldProblemSourceType1 | FieldProblemSourceType2Type1 | FieldProblemSourceType3Type1 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                source_type_1 = FieldProblemSourceType1(data)

                return source_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                source_type_2_type_1 = FieldProblemSourceType2Type1(data)

                return source_type_2_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                source_type_3_type_1 = FieldProblemSourceType3Type1(data)

                return source_type_3_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                FieldProblemSourceType1 | FieldProblemSourceType2Type1 | FieldProblemSourceType3Type1 | None | Unset,
                data,
            )

        source = _parse_source(d.pop("source", UNSET))

        field_problem = cls(
            field=field,
            message=message,
            source=source,
        )

        field_problem.additional_properties = d
        return field_problem

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
