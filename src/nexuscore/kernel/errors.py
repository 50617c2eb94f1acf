"""Domain error hierarchy. The HTTP adapter maps each to an RFC 9457 problem with a stable type."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field; `field` is a dotted camelCase path."""

    field: str
    message: str


class DomainError(Exception):
    """Base of every error the core raises on purpose."""

    code: ClassVar[str] = "domain-error"
    default_message: ClassVar[str] = "The request could not be completed."

    def __init__(self, message: str | None = None, *, extra: Mapping[str, Any] | None = None) -> None:
        self.message = message or self.default_message
        self.extra: dict[str, Any] = dict(extra or {})
        super().__init__(self.message)


class NotFound(DomainError):
    code = "not-found"
    default_message = "The resource was not found."


class Conflict(DomainError):
    code = "conflict"
    default_message = "The request conflicts with the current state of the resource."


class PermissionDenied(DomainError):
    code = "permission-denied"
    default_message = "You do not have permission to do this."


class AuthenticationRequired(DomainError):
    code = "authentication-required"
    default_message = "Authentication is required."


class ValidationError(DomainError):
    code = "validation-error"
    default_message = "The input is not valid."

    def __init__(
        self,
        message: str | None = None,
        *,
        errors: Sequence[FieldError] = (),
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message, extra=extra)
        self.errors: tuple[FieldError, ...] = tuple(errors)


class BusinessRuleViolation(DomainError):
    """Well-formed input that a domain rule refuses (e.g. an illegal state transition)."""

    code = "business-rule-violation"
    default_message = "The request breaks a business rule."


class RateLimited(DomainError):
    code = "rate-limited"
    default_message = "Too many requests. Try again later."

    def __init__(self, message: str | None = None, *, retry_after_seconds: int = 1) -> None:
        super().__init__(message, extra={"retryAfter": retry_after_seconds})
        self.retry_after_seconds = retry_after_seconds


class QuotaExceeded(DomainError):
    """A plan limit was reached (HTTP 402-style)."""

    code = "quota-exceeded"
    default_message = "Your plan's limit has been reached."


class DependencyUnavailable(DomainError):
    """A backing service (database, broker, gateway) could not be reached."""

    code = "dependency-unavailable"
    default_message = "A required service is unavailable."
