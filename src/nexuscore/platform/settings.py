"""Typed settings from environment variables and an optional `.env`, checked at start-up."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Environment = Literal["development", "test", "production"]
LogFormat = Literal["console", "json"]
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/nexuscore.db"
VAR_DIR = Path("var")


class SettingsError(ValueError):
    """A configuration value is missing or invalid; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    environment: Environment = "development"
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    secret_key: str = ""
    log_level: str = "INFO"
    log_format: LogFormat = "console"
    cors_origins: tuple[str, ...] = ()
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = 1_048_576
    outbox_relay_in_process: bool = True
    outbox_poll_seconds: float = 0.5
    task_result_ttl_seconds: int = 3600
    var_dir: Path = field(default=VAR_DIR)

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def uses_redis(self) -> bool:
        return bool(self.redis_url)


def read_dotenv(path: Path) -> dict[str, str]:
    """Parse KEY=VALUE lines; comments, blank lines and `export ` prefixes are allowed."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[7:].lstrip()
        if "=" not in line:
            raise SettingsError(f"{path}:{number}: expected KEY=VALUE")
        key, value = line.split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def _choice(env: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = env.get(name, "").strip() or default  # blank means unset, as for every other variable
    normalised = value.upper() if name == "LOG_LEVEL" else value.lower()
    if normalised not in allowed:
        raise SettingsError(f"{name}={value!r} is not one of: {', '.join(allowed)}")
    return normalised


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
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


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name}={raw!r} is not a boolean (true/false)")


def _database_url(env: Mapping[str, str]) -> str:
    url = env.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL
    if url.startswith(("postgres://", "postgresql://")):
        # Accept the common libpq spelling and pin the async driver.
        url = "postgresql+asyncpg://" + url.split("://", 1)[1]
    if not url.startswith(("postgresql+asyncpg://", "sqlite+aiosqlite://")):
        raise SettingsError(
            f"DATABASE_URL must be postgresql+asyncpg://... or sqlite+aiosqlite://..., got {url.split('://')[0]!r}"
        )
    return url


def _redis_url(env: Mapping[str, str]) -> str | None:
    url = env.get("REDIS_URL", "").strip()
    if not url:
        return None
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError("REDIS_URL must start with redis://, rediss:// or unix://")
    return url


def _secret_key(env: Mapping[str, str], environment: str, var_dir: Path) -> str:
    key = env.get("SECRET_KEY", "").strip()
    if environment == "production":
        if len(key) < 32:
            raise SettingsError("SECRET_KEY is required in production and must be at least 32 characters")
        return key
    if key:
        if len(key) < 16:
            raise SettingsError("SECRET_KEY must be at least 16 characters")
        return key
    # Development and tests: generate once and keep it so tokens survive restarts.
    path = var_dir / "secret_key"
    if path.is_file():
        stored = path.read_text().strip()
        if len(stored) >= 16:  # an empty or truncated file (e.g. a crash mid-write) is regenerated
            return stored
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # Created 0600 from the start: never readable by others, not even between write and chmod.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    path.chmod(0o600)  # also tightens a pre-existing file that had looser permissions
    return key


def load_settings(environ: Mapping[str, str] | None = None, *, dotenv: Path | None = Path(".env")) -> Settings:
    """Build Settings from the process environment over `.env`; raise SettingsError on bad values."""
    env: dict[str, str] = read_dotenv(dotenv) if dotenv is not None else {}
    env.update(os.environ if environ is None else environ)

    environment = _choice(env, "ENVIRONMENT", ("development", "test", "production"), "development")
    var_dir = Path(env.get("NEXUSCORE_VAR_DIR", "").strip() or VAR_DIR)
    database_url = _database_url(env)
    redis_url = _redis_url(env)
    cors = tuple(o.strip() for o in env.get("CORS_ORIGINS", "").split(",") if o.strip())
    for origin in cors:
        if origin != "*" and not origin.startswith(("http://", "https://")):
            raise SettingsError(f"CORS_ORIGINS entry {origin!r} must be an http(s) origin or *")

    if environment == "production":
        if "*" in cors:
            raise SettingsError("CORS_ORIGINS=* is refused in production; list the allowed origins")
        if database_url.startswith("sqlite"):
            raise SettingsError("DATABASE_URL must point at PostgreSQL in production (SQLite is for development)")
        if redis_url is None:
            raise SettingsError("REDIS_URL is required in production (in-process broker and stores lose work)")

    return Settings(
        environment=environment,  # type: ignore[arg-type]
        database_url=database_url,
        redis_url=redis_url,
        secret_key=_secret_key(env, environment, var_dir),
        log_level=_choice(env, "LOG_LEVEL", LOG_LEVELS, "INFO"),
        log_format=_choice(  # type: ignore[arg-type]
            env, "LOG_FORMAT", ("console", "json"), "json" if environment == "production" else "console"
        ),
        cors_origins=cors,
        host=env.get("HOST", "").strip() or "127.0.0.1",
        port=_int(env, "PORT", 8000, 1, 65535),
        max_body_bytes=_int(env, "MAX_BODY_BYTES", 1_048_576, 1024, 100 * 1_048_576),
        outbox_relay_in_process=_bool(env, "OUTBOX_RELAY_IN_PROCESS", redis_url is None),
        task_result_ttl_seconds=_int(env, "TASK_RESULT_TTL_SECONDS", 3600, 1, 30 * 86400),
        var_dir=var_dir,
    )
