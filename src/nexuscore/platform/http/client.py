"""The client's address as throttles, the session list and the audit trail use it."""

from __future__ import annotations

import ipaddress
from typing import Any

from litestar import Request

MAX_IP_LENGTH = 64  # an IPv6 address with a zone is at most ~60 characters


def client_ip(request: Request[Any, Any, Any]) -> str | None:
    """The peer's address in canonical form, or None when it is not an IP address: behind
    proxy headers the "host" is whatever the client put in X-Forwarded-For, and junk must not
    reach the session list, the audit trail or a throttle key."""
    host = request.client.host if request.client else None
    if not host or len(host) > MAX_IP_LENGTH:
        return None
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None
