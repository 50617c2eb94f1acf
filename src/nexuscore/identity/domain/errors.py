"""Identity-specific errors on top of the kernel hierarchy."""

from __future__ import annotations

from nexuscore.kernel.errors import AuthenticationRequired, DomainError


class InvalidToken(DomainError):
    """A verification, reset or change token that is unknown, used or expired (HTTP 400)."""

    code = "invalid-token"
    default_message = "The link is invalid or has expired. Request a new one."


class InvalidCredentials(AuthenticationRequired):
    code = "invalid-credentials"
    default_message = "The email or password is incorrect."


class InvalidRefreshToken(AuthenticationRequired):
    code = "invalid-refresh-token"
    default_message = "The refresh token is invalid, expired or already used. Sign in again."
