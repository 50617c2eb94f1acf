"""Base msgspec structs for the JSON API: camelCase on the wire, unknown fields refused on input.

Refusing unknown request fields is the guard against mass assignment: a body carrying
`organizationId`, `role` or `isStaff` where the struct does not declare it gets a 422.
"""

from __future__ import annotations

import msgspec


class RequestBody(msgspec.Struct, rename="camel", forbid_unknown_fields=True, kw_only=True):
    """Base of every request body."""


class ResponseBody(msgspec.Struct, rename="camel", kw_only=True):
    """Base of every response body."""


class PageMeta(ResponseBody):
    total: int
    limit: int
    offset: int
    has_more: bool
