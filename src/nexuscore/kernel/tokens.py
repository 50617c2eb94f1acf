"""Opaque secrets (refresh, verification, reset and invitation tokens): random, handed out
once, stored only as a digest."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass


@dataclass(frozen=True)
class OpaqueToken:
    raw: str  # goes to the client or into a mailed link, never into storage or logs
    digest: str  # what storage keeps


def digest_token(raw: str) -> str:
    # A fast hash is right here: the token is 256 random bits, so there is nothing to brute-force.
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def new_opaque_token() -> OpaqueToken:
    raw = secrets.token_urlsafe(32)
    return OpaqueToken(raw=raw, digest=digest_token(raw))
