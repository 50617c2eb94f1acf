"""Password rules: 10-128 characters, not a common password, not built from the email."""

from __future__ import annotations

import gzip
import unicodedata
from functools import cache
from importlib import resources

from nexuscore.kernel.errors import FieldError, ValidationError

MIN_LENGTH = 10
MAX_LENGTH = 128


@cache
def common_passwords() -> frozenset[str]:
    """The packaged list of the 30,000 most common passwords, lower-cased."""
    raw = resources.files(__package__).joinpath("common_passwords.txt.gz").read_bytes()
    lines = gzip.decompress(raw).decode("utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def password_problems(password: str, email: str | None = None) -> list[str]:
    problems = []
    length = len(password)
    if length < MIN_LENGTH:
        problems.append(f"must be at least {MIN_LENGTH} characters")
    if length > MAX_LENGTH:
        problems.append(f"must be at most {MAX_LENGTH} characters")
    folded = unicodedata.normalize("NFKC", password).casefold()
    if folded in common_passwords():
        problems.append("is too common; choose something less guessable")
    if email:
        local = email.split("@", 1)[0].casefold()
        if len(local) >= 3 and local in folded:
            problems.append("must not contain your email address")
    return problems


def check_password(password: str, email: str | None = None, *, field: str = "password") -> None:
    problems = password_problems(password, email)
    if problems:
        raise ValidationError("The password does not meet the rules.", errors=[FieldError(field, p) for p in problems])
