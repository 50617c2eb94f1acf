"""Paging types shared by every list endpoint: limit/offset with a total, capped at 100."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from nexuscore.kernel.errors import FieldError, ValidationError

T = TypeVar("T")
MAX_LIMIT = 100
# The largest integer a JavaScript client holds exactly (Number.MAX_SAFE_INTEGER): well below the
# databases' 64-bit limit (past which a query fails), and exact in the OpenAPI document's numbers.
MAX_OFFSET = 2**53 - 1
DEFAULT_LIMIT = 20
# Lists over large sets count their matches exactly up to this many rows past the offset; beyond
# it `total` is a lower bound (`total_is_exact` False). An exact count of 100,000 rows costs ten
# times the page it is shown with, and a person paging a list needs "more than N", not the figure.
EXACT_TOTAL_WINDOW = 1000
# A `q` or `tag` search tests the rows it reads (a pattern, an array): its count stops sooner.
SEARCH_TOTAL_WINDOW = 200


@dataclass(frozen=True)
class PageRequest:
    limit: int = DEFAULT_LIMIT
    offset: int = 0

    def __post_init__(self) -> None:
        errors = []
        if not 1 <= self.limit <= MAX_LIMIT:
            errors.append(FieldError("limit", f"must be between 1 and {MAX_LIMIT}"))
        if not 0 <= self.offset <= MAX_OFFSET:
            errors.append(FieldError("offset", f"must be between 0 and {MAX_OFFSET}"))
        if errors:
            raise ValidationError("Invalid paging parameters.", errors=errors)


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    total: int
    limit: int
    offset: int
    total_is_exact: bool = True  # False: `total` is a lower bound (see EXACT_TOTAL_WINDOW)

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.items) < self.total


def count_cap(page: PageRequest, window: int = EXACT_TOTAL_WINDOW) -> int:
    """Count at most this many matches for a page's total: beyond it the total is a lower bound."""
    return page.offset + max(window, page.limit)


def capped_total(page: PageRequest, counted: int, window: int = EXACT_TOTAL_WINDOW) -> tuple[int, bool]:
    """(total, exact) from a count of at most `count_cap(page, window) + 1` matches."""
    cap = count_cap(page, window)
    return (counted, True) if counted <= cap else (cap, False)
