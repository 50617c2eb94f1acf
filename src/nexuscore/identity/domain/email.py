"""Identity uses the kernel's email normal form (one account per normalised address)."""

from nexuscore.kernel.email import normalise_email

__all__ = ["normalise_email"]
