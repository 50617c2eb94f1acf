"""Base msgspec structs for the JSON API: camelCase on the wire, unknown fields refused on input.

Refusing unknown request fields is the guard against mass assignment: a body carrying
`organizationId`, `role` or `isStaff` where the struct does not declare it gets a 422.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Generic, Self, TypeVar

import msgspec
from litestar.params import QueryParameter

from nexuscore.kernel.paging import MAX_LIMIT, MAX_OFFSET, Page

T = TypeVar("T")
S = TypeVar("S")


class RequestBody(msgspec.Struct, rename="camel", forbid_unknown_fields=True, kw_only=True):
    """Base of every request body."""


class ResponseBody(msgspec.Struct, rename="camel", kw_only=True):
    """Base of every response body."""


class PageResponse(ResponseBody, Generic[T]):
    """One page of a list: every paginated endpoint answers this shape (subclass it per item
    type, `class LeadPage(PageResponse[LeadResponse])`, so the document names each page, and
    re-declare `items: list[LeadResponse]` in it: the document cannot see through the type
    variable, and tests/unit/platform/test_openapi_document.py fails on a page of bare objects)."""

    items: list[T]
    total: int
    limit: int
    offset: int
    has_more: bool

    @classmethod
    def of(cls, page: Page[S], item: Callable[[S], T]) -> Self:
        return cls(
            items=[item(i) for i in page.items],
            total=page.total,
            limit=page.limit,
            offset=page.offset,
            has_more=page.has_more,
        )


# The paging query parameters of every list (`limit: Limit = DEFAULT_LIMIT, offset: Offset = 0`).
Limit = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT, description="Items per page")]
Offset = Annotated[int, QueryParameter(ge=0, le=MAX_OFFSET, description="Items to skip")]
