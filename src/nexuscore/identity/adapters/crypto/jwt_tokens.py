"""Access tokens: short-lived JWTs, HS256 pinned, with iss/aud/exp/iat/jti/sub and the session id."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import jwt

from nexuscore.identity.ports.security import AccessClaims
from nexuscore.kernel.clock import Clock
from nexuscore.kernel.errors import AuthenticationRequired

ISSUER = "nexuscore"
AUDIENCE = "nexuscore-api"
ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub", "jti", "sid"]
# A signed token is still client input: its times must be real instants (0 .. 9999-12-31).
_LATEST_TIMESTAMP = datetime(9999, 12, 31, tzinfo=UTC).timestamp()
# Verified tokens remembered (their claims, not the verdict on their times); ~1 KB each.
VERIFIED_CACHE_SIZE = 4096


def _timestamp(claims: dict[str, object], name: str) -> float:
    value = claims[name]
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= _LATEST_TIMESTAMP:
        raise AuthenticationRequired("The access token is invalid or expired.")
    return float(value)  # NaN fails the range check above; so do ±inf and 10**20


class JwtAccessTokens:
    def __init__(
        self, secret: str, clock: Clock, *, lifetime_seconds: int = 900, clock_leeway_seconds: int = 5
    ) -> None:
        if len(secret) < 16:
            raise ValueError("the signing secret is too short")
        # Derive a dedicated key so SECRET_KEY can serve other purposes without key reuse.
        self._key = jwt.utils.base64url_encode(hashlib.sha256(b"nexuscore.access-token:" + secret.encode()).digest())
        self._clock = clock
        self.lifetime_seconds = lifetime_seconds
        self._leeway = clock_leeway_seconds
        self._verified: dict[str, dict[str, Any]] = {}  # token -> claims; insertion order = age

    def issue(self, user_id: UUID, session_id: UUID, now: datetime) -> str:
        issued = now.timestamp()
        claims = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": str(user_id),
            "sid": str(session_id),
            "iat": issued,  # fractional seconds: ordering against logout-all must be exact
            "exp": int(issued) + self.lifetime_seconds,
            "jti": secrets.token_urlsafe(12),
        }
        return jwt.encode(claims, self._key, algorithm=ALGORITHM, headers={"typ": "at+jwt"})

    def _verified_claims(self, token: str) -> dict[str, Any]:
        """The token's claims once its signature, algorithm, audience, issuer and required claims
        check out. These depend on the token's bytes alone, so a token seen before (a client
        sends the same one for up to its lifetime) is not verified again: PyJWT's decode is
        ~350 Python calls a request. Times are not cached: `decode` checks them every call."""
        claims = self._verified.get(token)
        if claims is None:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],  # pinned: refuses "none", RS256/HS256 confusion, anything else
                audience=AUDIENCE,
                issuer=ISSUER,
                # Expiry is checked by decode against the injected Clock (tests control time).
                options={"require": REQUIRED_CLAIMS, "verify_exp": False, "verify_iat": False, "verify_nbf": False},
            )
            if len(self._verified) >= VERIFIED_CACHE_SIZE:
                del self._verified[next(iter(self._verified))]  # the oldest entry
            self._verified[token] = claims
        return claims

    def decode(self, token: str) -> AccessClaims:
        try:
            claims = self._verified_claims(token)
            now = self._clock.now().timestamp()
            expires, issued = _timestamp(claims, "exp"), _timestamp(claims, "iat")
            if expires + self._leeway <= now:
                raise AuthenticationRequired("The access token has expired.")
            if issued - self._leeway > now:
                raise AuthenticationRequired("The access token is not valid yet.")
            return AccessClaims(
                user_id=UUID(claims["sub"]),
                session_id=UUID(claims["sid"]),
                issued_at=datetime.fromtimestamp(issued, tz=UTC),
                expires_at=datetime.fromtimestamp(expires, tz=UTC),
                token_id=str(claims["jti"]),
            )
        except (jwt.PyJWTError, ValueError, TypeError, KeyError, OverflowError, OSError) as exc:
            raise AuthenticationRequired("The access token is invalid or expired.") from exc
