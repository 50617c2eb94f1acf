"""Email addresses: one normal form so `Ann@Example.SG ` and `ann@example.sg` are one account
(shared by identity, invitations, leads and privacy requests)."""

from __future__ import annotations

import re
import unicodedata

from nexuscore.kernel.errors import FieldError, ValidationError

_LOCAL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def normalise_email(raw: str, *, field: str = "email") -> str:
    """NFKC, trimmed, lower-cased; shape-checked loosely (the verification mail is the real test)."""
    value = unicodedata.normalize("NFKC", raw or "").strip().lower()
    local, at, domain = value.rpartition("@")
    problem = None
    if not at or not local or not domain:
        problem = "must be an email address like name@example.sg"
    elif len(value) > 254 or len(local) > 64:
        problem = "is too long"
    elif not _LOCAL.match(local) or local.startswith(".") or local.endswith(".") or ".." in local:
        problem = "has characters an email address cannot have"
    else:
        try:
            ascii_domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            ascii_domain = ""
        labels = ascii_domain.split(".")
        if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
            problem = "has an invalid domain"
    if problem:
        raise ValidationError("Invalid email address.", errors=[FieldError(field, problem)])
    return value
