"""Typed settings from environment variables and an optional `.env`, checked at start-up."""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from nexuscore.kernel.mail import parse_mailbox
from nexuscore.platform.billing_settings import DEV_SUPPLIER_NAME, DEV_SUPPLIER_UEN, billing_settings
from nexuscore.platform.env_values import SettingsError, env_float, env_int, env_optional
from nexuscore.platform.payment_settings import payment_settings

Environment = Literal["development", "test", "production"]
LogFormat = Literal["console", "json"]
MailBackend = Literal["file", "smtp", "console"]
SmtpSecurity = Literal["none", "starttls", "tls"]
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/nexuscore.db"
VAR_DIR = Path("var")
DEFAULT_MAIL_FROM = "NexusCore <no-reply@nexuscore.localhost>"
DEFAULT_APP_BASE_URL = "http://localhost:3000"
DEFAULT_LEADS_LIMIT = 100_000


@dataclass(frozen=True)
class Settings:
    environment: Environment = "development"
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    secret_key: str = ""
    log_level: str = "INFO"
    log_format: LogFormat = "console"
    cors_origins: tuple[str, ...] = ()
    trusted_proxies: tuple[str, ...] = ()  # peers whose X-Forwarded-For is believed (none by default)
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = 1_048_576
    outbox_relay_in_process: bool = True
    outbox_poll_seconds: float = 0.5
    outbox_redeliver_seconds: float = 60.0  # published, no dispatch recorded this long: sent again
    task_result_ttl_seconds: int = 3600
    access_token_ttl_seconds: int = 900
    refresh_token_ttl_days: int = 30
    mail_backend: MailBackend = "file"
    mail_from: str = DEFAULT_MAIL_FROM
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_security: SmtpSecurity = "starttls"
    smtp_timeout_seconds: float = 10.0
    app_base_url: str = DEFAULT_APP_BASE_URL
    leads_default_limit: int = DEFAULT_LEADS_LIMIT
    max_organizations_per_user: int = 20
    # Payments: Stripe when a secret key is set, else the local development gateway.
    stripe_secret_key: str | None = field(default=None, repr=False)
    stripe_api_base: str | None = None  # a stand-in of the Stripe API (tests); None: Stripe itself
    billing_grace_days: int = 7
    api_base_url: str = "http://127.0.0.1:8000"  # where this API is reached (local checkout links)
    var_dir: Path = field(default=VAR_DIR)
    # Webhook inbox (issue 12).
    stripe_webhook_secrets: tuple[str, ...] = field(default=(), repr=False)
    webhook_max_attempts: int = 8
    webhook_retry_base_seconds: float = 900.0
    webhook_retry_cap_seconds: float = 43_200.0
    webhook_stuck_after_seconds: int = 600
    metrics_token: str | None = field(default=None, repr=False)
    metrics_port: int | None = None
    # Billing (issue 13): the supplier on every invoice, and the number series' prefixes.
    supplier_name: str = DEV_SUPPLIER_NAME
    supplier_address_lines: tuple[str, ...] = ("1 Example Street, #01-01", "Singapore 000001")
    supplier_postal_code: str = "000001"
    supplier_uen: str = DEV_SUPPLIER_UEN
    supplier_gst_registration_number: str | None = DEV_SUPPLIER_UEN  # None: not GST-registered
    invoice_number_prefix: str = "INV"
    credit_note_number_prefix: str = "CN"

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def uses_redis(self) -> bool:
        return bool(self.redis_url)

    @property
    def mail_dir(self) -> Path:
        """Where MAIL_BACKEND=file writes `.eml` files."""
        return self.var_dir / "mail"


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


def _mail_from(env: Mapping[str, str]) -> str:
    value = env.get("MAIL_FROM", "").strip() or DEFAULT_MAIL_FROM
    try:
        parse_mailbox(value)
    except (TypeError, ValueError):
        raise SettingsError(
            f"MAIL_FROM={value!r} must be one sender address, like `NexusCore <no-reply@example.sg>`"
        ) from None
    return value


def _trusted_proxies(env: Mapping[str, str]) -> tuple[str, ...]:
    """TRUSTED_PROXIES: comma-separated IP addresses or networks (CIDR); empty trusts no peer."""
    found = []
    for entry in (e.strip() for e in env.get("TRUSTED_PROXIES", "").split(",")):
        if not entry:
            continue
        try:
            found.append(str(ipaddress.ip_network(entry, strict=False)))
        except ValueError:
            raise SettingsError(f"TRUSTED_PROXIES entry {entry!r} must be an IP address or network (CIDR)") from None
    return tuple(found)


def _origin(url: str) -> str:
    """`scheme://host[:port]` of an http(s) URL (what a browser sends as `Origin`)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


def _app_base_url(env: Mapping[str, str]) -> str:
    value = env.get("APP_BASE_URL", "").strip() or DEFAULT_APP_BASE_URL
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 -- raises ValueError on a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"APP_BASE_URL={value!r} must be an http(s) URL like https://app.example.sg")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise SettingsError(f"APP_BASE_URL={value!r} must not carry credentials, a query or a fragment")
    return value.rstrip("/")  # links are built as base + "/path"


@dataclass(frozen=True)
class _Smtp:
    host: str | None
    port: int
    username: str | None
    password: str | None
    security: SmtpSecurity
    timeout_seconds: float


def _smtp(env: Mapping[str, str], backend: str) -> _Smtp:
    security = _choice(env, "SMTP_SECURITY", ("none", "starttls", "tls"), "starttls")
    host = env_optional(env, "SMTP_HOST")
    if backend == "smtp" and host is None:
        raise SettingsError("SMTP_HOST is required when MAIL_BACKEND=smtp")
    username = env_optional(env, "SMTP_USERNAME")
    raw_password = env.get("SMTP_PASSWORD", "")
    # Blank means unset, as everywhere; otherwise verbatim, since spaces may belong to a password.
    password = raw_password if raw_password.strip() else None
    if password is not None and username is None:
        raise SettingsError("SMTP_USERNAME is required when SMTP_PASSWORD is set")
    if username is not None and password is None:
        raise SettingsError("SMTP_PASSWORD is required when SMTP_USERNAME is set")
    return _Smtp(
        host=host,
        # Implicit TLS listens on 465 (RFC 8314); submission with STARTTLS, or plain, on 587.
        port=env_int(env, "SMTP_PORT", 465 if security == "tls" else 587, 1, 65535),
        username=username,
        password=password,
        security=security,  # type: ignore[arg-type]
        timeout_seconds=env_float(env, "SMTP_TIMEOUT_SECONDS", 10.0, 1.0, 120.0),
    )


def _check_production_mail(backend: str, smtp: _Smtp, app_base_url: str) -> None:
    if backend != "smtp":
        raise SettingsError(
            f"MAIL_BACKEND={backend} is refused in production (mail would never reach anyone); "
            "set MAIL_BACKEND=smtp and SMTP_HOST"
        )
    if smtp.password is not None and smtp.security == "none":
        raise SettingsError("SMTP_SECURITY=none is refused in production with SMTP_PASSWORD set (sent in clear text)")
    if not app_base_url.startswith("https://"):
        raise SettingsError(f"APP_BASE_URL must be https:// in production, got {app_base_url!r}")


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

    # Every value is parsed before the secret key, so a refused configuration writes nothing.
    log_level = _choice(env, "LOG_LEVEL", LOG_LEVELS, "INFO")
    log_format = _choice(env, "LOG_FORMAT", ("console", "json"), "json" if environment == "production" else "console")
    host = env.get("HOST", "").strip() or "127.0.0.1"
    port = env_int(env, "PORT", 8000, 1, 65535)
    max_body_bytes = env_int(env, "MAX_BODY_BYTES", 1_048_576, 1024, 100 * 1_048_576)
    outbox_relay_in_process = _bool(env, "OUTBOX_RELAY_IN_PROCESS", redis_url is None)
    outbox_poll_seconds = env_float(env, "OUTBOX_POLL_SECONDS", 0.5, 0.01, 60.0)
    outbox_redeliver_seconds = env_float(env, "OUTBOX_REDELIVER_SECONDS", 60.0, 1.0, 86400.0)
    task_result_ttl_seconds = env_int(env, "TASK_RESULT_TTL_SECONDS", 3600, 1, 30 * 86400)
    access_token_ttl_seconds = env_int(env, "ACCESS_TOKEN_TTL_SECONDS", 900, 60, 3600)
    refresh_token_ttl_days = env_int(env, "REFRESH_TOKEN_TTL_DAYS", 30, 1, 365)
    mail_backend = _choice(env, "MAIL_BACKEND", ("file", "smtp", "console"), "file")
    mail_from = _mail_from(env)
    smtp = _smtp(env, mail_backend)
    app_base_url = _app_base_url(env)
    trusted_proxies = _trusted_proxies(env)
    if environment == "development" and not cors:
        # A local frontend works out of the box; production (and tests) list their origins.
        cors = (_origin(app_base_url),)
    leads_default_limit = env_int(env, "LEADS_DEFAULT_LIMIT", DEFAULT_LEADS_LIMIT, 1, 100_000_000)
    max_organizations_per_user = env_int(env, "MAX_ORGANIZATIONS_PER_USER", 20, 1, 100_000)
    api_base_url = (env.get("API_BASE_URL", "").strip() or f"http://{host}:{port}").rstrip("/")

    # Production: only checks SECRET_KEY and writes nothing. Elsewhere: may create var/secret_key.
    secret_key = _secret_key(env, environment, var_dir)
    if environment == "production":
        _check_production_mail(mail_backend, smtp, app_base_url)

    return Settings(
        environment=environment,  # type: ignore[arg-type]
        database_url=database_url,
        redis_url=redis_url,
        secret_key=secret_key,
        log_level=log_level,
        log_format=log_format,  # type: ignore[arg-type]
        cors_origins=cors,
        trusted_proxies=trusted_proxies,
        host=host,
        port=port,
        max_body_bytes=max_body_bytes,
        outbox_relay_in_process=outbox_relay_in_process,
        outbox_poll_seconds=outbox_poll_seconds,
        outbox_redeliver_seconds=outbox_redeliver_seconds,
        task_result_ttl_seconds=task_result_ttl_seconds,
        access_token_ttl_seconds=access_token_ttl_seconds,
        refresh_token_ttl_days=refresh_token_ttl_days,
        mail_backend=mail_backend,  # type: ignore[arg-type]
        mail_from=mail_from,
        smtp_host=smtp.host,
        smtp_port=smtp.port,
        smtp_username=smtp.username,
        smtp_password=smtp.password,
        smtp_security=smtp.security,
        smtp_timeout_seconds=smtp.timeout_seconds,
        app_base_url=app_base_url,
        leads_default_limit=leads_default_limit,
        max_organizations_per_user=max_organizations_per_user,
        api_base_url=api_base_url,
        var_dir=var_dir,
        **payment_settings(env, environment),
        **billing_settings(env, environment),
    )


__all__ = ["Settings", "SettingsError", "load_settings"]
