"""Parsers of environment values shared by the settings modules: each error names its variable."""

from __future__ import annotations

from collections.abc import Mapping


class SettingsError(ValueError):
    """A configuration value is missing or invalid; the message names the variable."""


def env_int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not an integer") from None
    if not low <= value <= high:
        raise SettingsError(f"{name}={value} must be between {low} and {high}")
    return value


def env_float(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a number") from None
    if not low <= value <= high:  # also refuses nan and inf
        raise SettingsError(f"{name}={raw.strip()} must be between {low:g} and {high:g}")
    return value


def env_optional(env: Mapping[str, str], name: str) -> str | None:
    return env.get(name, "").strip() or None
