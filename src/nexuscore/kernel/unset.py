"""The one "left out" sentinel: a field absent from a request, as distinct from None.

A PATCH leaves a field that is `UNSET` as it is, while `None` clears it. Adapters turn their
framework's own marker (msgspec.UNSET) into this one at the boundary.
"""

from __future__ import annotations

import enum
from typing import Final


class Unset(enum.Enum):
    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = Unset.UNSET

__all__ = ["UNSET", "Unset"]
