"""Settings: typed values from an explicit environ over an optional .env, checked at start-up."""

from __future__ import annotations

import dataclasses
import os
import stat
from pathlib import Path

import pytest

from nexuscore.platform.settings import (
    DEFAULT_DATABASE_URL,
    Settings,
    SettingsError,
    load_settings,
    read_dotenv,
)

pytestmark = pytest.mark.unit

PG_URL = "postgresql+asyncpg://app:secret@db.internal:5432/nexuscore"
PROD_SECRET = "p" * 32


@pytest.fixture
def var_dir(tmp_path: Path) -> Path:
    return tmp_path / "var"


@pytest.fixture
def load(var_dir: Path):  # type: ignore[no-untyped-def]
    """load_settings with no .env and a private var dir, so nothing touches the real machine."""

    def _load(environ: dict[str, str] | None = None, *, dotenv: Path | None = None) -> Settings:
        env = {"NEXUSCORE_VAR_DIR": str(var_dir), **(environ or {})}
        return load_settings(env, dotenv=dotenv)

    return _load


@pytest.fixture
def prod_env() -> dict[str, str]:
    """A complete, valid production configuration; tests break one value at a time."""
    return {
        "ENVIRONMENT": "production",
        "DATABASE_URL": PG_URL,
        "REDIS_URL": "redis://cache.internal:6379/0",
        "SECRET_KEY": PROD_SECRET,
        "CORS_ORIGINS": "https://app.example.sg",
        "MAIL_BACKEND": "smtp",
        "SMTP_HOST": "smtp.example.sg",
        "SMTP_USERNAME": "nexuscore",
        "SMTP_PASSWORD": "smtp-password",
        "APP_BASE_URL": "https://app.example.sg",
        "STRIPE_SECRET_KEY": "sk_live_example",
        "SUPPLIER_NAME": "NexusCore Pte. Ltd.",
        "SUPPLIER_ADDRESS": "1 Raffles Place | Singapore 048616",
        "SUPPLIER_UEN": "201912345K",
        "SUPPLIER_GST_REG_NO": "201912345K",
    }


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --------------------------------------------------------------------------- defaults


class TestDefaults:
    def test_nothing_configured(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.chdir(tmp_path)  # the default var dir is relative: keep it inside tmp_path
        settings = load_settings({}, dotenv=None)

        assert settings.environment == "development"
        assert not settings.is_production
        assert settings.database_url == DEFAULT_DATABASE_URL
        assert settings.database_url.startswith("sqlite+aiosqlite://")
        assert settings.redis_url is None
        assert not settings.uses_redis
        assert settings.outbox_relay_in_process is True
        assert settings.port == 8000
        assert settings.host == "127.0.0.1"
        assert settings.log_level == "INFO"
        assert settings.log_format == "console"
        assert settings.cors_origins == ("http://localhost:3000",)  # APP_BASE_URL's origin in development
        assert settings.max_body_bytes == 1_048_576
        assert settings.task_result_ttl_seconds == 3600
        assert settings.var_dir == Path("var")
        assert len(settings.secret_key) >= 32
        assert settings.outbox_poll_seconds == 0.5
        assert settings.access_token_ttl_seconds == 900
        assert settings.refresh_token_ttl_days == 30
        assert settings.mail_backend == "file"
        assert settings.mail_from == "NexusCore <no-reply@nexuscore.localhost>"
        assert settings.mail_dir == Path("var") / "mail"
        assert settings.smtp_host is None
        assert settings.smtp_port == 587
        assert settings.smtp_username is None
        assert settings.smtp_password is None
        assert settings.smtp_security == "starttls"
        assert settings.smtp_timeout_seconds == 10.0
        assert settings.app_base_url == "http://localhost:3000"
        assert (tmp_path / "var" / "secret_key").read_text() == settings.secret_key

    def test_settings_are_immutable(self, load) -> None:  # type: ignore[no-untyped-def]
        settings = load()
        with pytest.raises(dataclasses.FrozenInstanceError):
            settings.port = 1  # type: ignore[misc]

    def test_var_dir_comes_from_nexuscore_var_dir(self, load, var_dir: Path) -> None:  # type: ignore[no-untyped-def]
        assert load().var_dir == var_dir

    @pytest.mark.parametrize(
        "name",
        [
            "ENVIRONMENT",
            "LOG_LEVEL",
            "LOG_FORMAT",
            "PORT",
            "HOST",
            "DATABASE_URL",
            "REDIS_URL",
            "OUTBOX_RELAY_IN_PROCESS",
            "MAX_BODY_BYTES",
            "TASK_RESULT_TTL_SECONDS",
            "CORS_ORIGINS",
            "OUTBOX_POLL_SECONDS",
            "ACCESS_TOKEN_TTL_SECONDS",
            "REFRESH_TOKEN_TTL_DAYS",
            "MAIL_BACKEND",
            "MAIL_FROM",
            "SMTP_HOST",
            "SMTP_PORT",
            "SMTP_USERNAME",
            "SMTP_PASSWORD",
            "SMTP_SECURITY",
            "SMTP_TIMEOUT_SECONDS",
            "APP_BASE_URL",
        ],
    )
    def test_blank_values_mean_default(self, load, name: str) -> None:  # type: ignore[no-untyped-def]
        # `KEY=` in a .env template or `${KEY:-}` in compose must not crash start-up.
        assert load({name: "  "}) == load()

    def test_redis_turns_the_in_process_relay_off_by_default(self, load) -> None:  # type: ignore[no-untyped-def]
        settings = load({"REDIS_URL": "redis://localhost:6379/0"})
        assert settings.uses_redis
        assert settings.redis_url == "redis://localhost:6379/0"
        assert settings.outbox_relay_in_process is False

    def test_mail_dir_follows_the_var_dir(self, load, var_dir: Path) -> None:  # type: ignore[no-untyped-def]
        assert load().mail_dir == var_dir / "mail"

    def test_smtp_password_is_not_in_the_repr(self, load) -> None:  # type: ignore[no-untyped-def]
        settings = load({"SMTP_USERNAME": "u", "SMTP_PASSWORD": "hunter2-smtp"})
        assert settings.smtp_password == "hunter2-smtp"
        assert "hunter2-smtp" not in repr(settings)


# --------------------------------------------------------------------------- valid values


class TestValidValues:
    def test_everything_set(self, load) -> None:  # type: ignore[no-untyped-def]
        settings = load(
            {
                "ENVIRONMENT": "Test",
                "DATABASE_URL": PG_URL,
                "REDIS_URL": "rediss://cache:6380/1",
                "SECRET_KEY": "0123456789abcdef",
                "LOG_LEVEL": "debug",
                "LOG_FORMAT": "JSON",
                "CORS_ORIGINS": " https://app.example.sg, http://localhost:5173 ,,",
                "HOST": "0.0.0.0",
                "PORT": " 8080 ",
                "MAX_BODY_BYTES": "2048",
                "OUTBOX_RELAY_IN_PROCESS": "yes",
                "TASK_RESULT_TTL_SECONDS": "60",
            }
        )
        assert settings.environment == "test"
        assert settings.database_url == PG_URL
        assert settings.redis_url == "rediss://cache:6380/1"
        assert settings.secret_key == "0123456789abcdef"
        assert settings.log_level == "DEBUG"
        assert settings.log_format == "json"
        assert settings.cors_origins == ("https://app.example.sg", "http://localhost:5173")
        assert settings.host == "0.0.0.0"
        assert settings.port == 8080
        assert settings.max_body_bytes == 2048
        assert settings.outbox_relay_in_process is True
        assert settings.task_result_ttl_seconds == 60

    def test_mail_and_token_values(self, load) -> None:  # type: ignore[no-untyped-def]
        settings = load(
            {
                "MAIL_BACKEND": " SMTP ",
                "MAIL_FROM": " Acme Pte Ltd <billing@acme.example.sg> ",
                "SMTP_HOST": " mail.example.sg ",
                "SMTP_PORT": "2525",
                "SMTP_USERNAME": " mailer ",
                "SMTP_PASSWORD": " pass word ",
                "SMTP_SECURITY": "None",
                "SMTP_TIMEOUT_SECONDS": "2.5",
                "APP_BASE_URL": "https://app.example.sg/portal/",
                "OUTBOX_POLL_SECONDS": "0.25",
                "ACCESS_TOKEN_TTL_SECONDS": "300",
                "REFRESH_TOKEN_TTL_DAYS": "7",
            }
        )
        assert settings.mail_backend == "smtp"
        assert settings.mail_from == "Acme Pte Ltd <billing@acme.example.sg>"
        assert settings.smtp_host == "mail.example.sg"
        assert settings.smtp_port == 2525
        assert settings.smtp_username == "mailer"
        assert settings.smtp_password == " pass word "  # a password is taken verbatim
        assert settings.smtp_security == "none"
        assert settings.smtp_timeout_seconds == 2.5
        assert settings.app_base_url == "https://app.example.sg/portal"  # trailing slash dropped
        assert settings.outbox_poll_seconds == 0.25
        assert settings.access_token_ttl_seconds == 300
        assert settings.refresh_token_ttl_days == 7

    @pytest.mark.parametrize("backend", ["file", "console", "smtp"])
    def test_mail_backends(self, load, backend: str) -> None:  # type: ignore[no-untyped-def]
        assert load({"MAIL_BACKEND": backend, "SMTP_HOST": "localhost"}).mail_backend == backend

    @pytest.mark.parametrize("value", ["no-reply@nexuscore.sg", "<no-reply@nexuscore.sg>", '"Nexus, Core" <a@b.sg>'])
    def test_mail_from_forms(self, load, value: str) -> None:  # type: ignore[no-untyped-def]
        assert load({"MAIL_FROM": value}).mail_from == value

    @pytest.mark.parametrize(("security", "port"), [("none", 587), ("starttls", 587), ("tls", 465)])
    def test_smtp_port_default_follows_security(self, load, security: str, port: int) -> None:  # type: ignore[no-untyped-def]
        assert load({"SMTP_SECURITY": security}).smtp_port == port

    def test_explicit_smtp_port_wins_over_the_tls_default(self, load) -> None:  # type: ignore[no-untyped-def]
        assert load({"SMTP_SECURITY": "tls", "SMTP_PORT": "2465"}).smtp_port == 2465

    @pytest.mark.parametrize(
        ("name", "value", "attribute", "expected"),
        [
            ("SMTP_PORT", "1", "smtp_port", 1),
            ("SMTP_PORT", "65535", "smtp_port", 65535),
            ("SMTP_TIMEOUT_SECONDS", "1", "smtp_timeout_seconds", 1.0),
            ("SMTP_TIMEOUT_SECONDS", "120", "smtp_timeout_seconds", 120.0),
            ("OUTBOX_POLL_SECONDS", "0.01", "outbox_poll_seconds", 0.01),
            ("OUTBOX_POLL_SECONDS", "60", "outbox_poll_seconds", 60.0),
            ("ACCESS_TOKEN_TTL_SECONDS", "60", "access_token_ttl_seconds", 60),
            ("ACCESS_TOKEN_TTL_SECONDS", "3600", "access_token_ttl_seconds", 3600),
            ("REFRESH_TOKEN_TTL_DAYS", "1", "refresh_token_ttl_days", 1),
            ("REFRESH_TOKEN_TTL_DAYS", "365", "refresh_token_ttl_days", 365),
        ],
    )
    def test_bounds_are_inclusive(self, load, name: str, value: str, attribute: str, expected: float) -> None:  # type: ignore[no-untyped-def]
        assert getattr(load({name: value}), attribute) == expected

    @pytest.mark.parametrize("url", ["http://localhost:3000", "https://app.example.sg", "http://127.0.0.1:5173/app"])
    def test_app_base_urls(self, load, url: str) -> None:  # type: ignore[no-untyped-def]
        assert load({"APP_BASE_URL": url}).app_base_url == url

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("1", True),
            ("true", True),
            ("TRUE", True),
            ("yes", True),
            ("On", True),
            ("0", False),
            ("false", False),
            ("No", False),
            ("off", False),
            (" false ", False),
        ],
    )
    def test_booleans(self, load, raw: str, expected: bool) -> None:  # type: ignore[no-untyped-def]
        assert load({"OUTBOX_RELAY_IN_PROCESS": raw}).outbox_relay_in_process is expected

    @pytest.mark.parametrize("port", ["1", "65535"])
    def test_port_bounds_accepted(self, load, port: str) -> None:  # type: ignore[no-untyped-def]
        assert load({"PORT": port}).port == int(port)

    @pytest.mark.parametrize("level", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", "warning"])
    def test_log_levels(self, load, level: str) -> None:  # type: ignore[no-untyped-def]
        assert load({"LOG_LEVEL": level}).log_level == level.upper()

    @pytest.mark.parametrize("url", ["redis://localhost", "rediss://user:pw@cache:6380/2", "unix:///run/redis.sock"])
    def test_redis_schemes(self, load, url: str) -> None:  # type: ignore[no-untyped-def]
        assert load({"REDIS_URL": url}).redis_url == url

    def test_cors_star_is_allowed_outside_production(self, load) -> None:  # type: ignore[no-untyped-def]
        assert load({"CORS_ORIGINS": "*"}).cors_origins == ("*",)

    @pytest.mark.parametrize(
        ("given", "expected"),
        [
            ("postgres://u:p@h:5432/db", "postgresql+asyncpg://u:p@h:5432/db"),
            ("postgresql://u:p@h:5432/db?sslmode=require", "postgresql+asyncpg://u:p@h:5432/db?sslmode=require"),
            ("  postgres://u@h/db  ", "postgresql+asyncpg://u@h/db"),
            (PG_URL, PG_URL),
            ("sqlite+aiosqlite:///tmp/x.db", "sqlite+aiosqlite:///tmp/x.db"),
        ],
    )
    def test_database_url_is_pinned_to_async_drivers(self, load, given: str, expected: str) -> None:  # type: ignore[no-untyped-def]
        assert load({"DATABASE_URL": given}).database_url == expected


# --------------------------------------------------------------------------- invalid values


class TestInvalidValues:
    @pytest.mark.parametrize(
        ("name", "value"),
        [
            ("PORT", "abc"),
            ("PORT", "80.5"),
            ("PORT", "70000"),
            ("PORT", "0"),
            ("PORT", "-1"),
            ("LOG_LEVEL", "LOUD"),
            ("LOG_FORMAT", "xml"),
            ("ENVIRONMENT", "staging"),
            ("ENVIRONMENT", "prod"),
            ("DATABASE_URL", "mysql://u:p@localhost/db"),
            ("DATABASE_URL", "sqlite:///sync-driver.db"),
            ("DATABASE_URL", "postgresql+psycopg://u@h/db"),
            ("REDIS_URL", "http://localhost:6379"),
            ("REDIS_URL", "localhost:6379"),
            ("CORS_ORIGINS", "ftp://x"),
            ("CORS_ORIGINS", "https://ok.example.sg,ftp://x"),
            ("CORS_ORIGINS", "example.sg"),
            ("OUTBOX_RELAY_IN_PROCESS", "maybe"),
            ("MAX_BODY_BYTES", "10"),
            ("MAX_BODY_BYTES", "lots"),
            ("TASK_RESULT_TTL_SECONDS", "0"),
            ("SECRET_KEY", "too-short"),
            ("MAIL_BACKEND", "sendmail"),
            ("MAIL_BACKEND", "ses"),
            ("MAIL_FROM", "no-reply"),
            ("MAIL_FROM", "NexusCore"),
            ("MAIL_FROM", "@nexuscore.sg"),
            ("MAIL_FROM", "no-reply@"),
            ("MAIL_FROM", "a@b.sg, c@d.sg"),
            ("SMTP_PORT", "0"),
            ("SMTP_PORT", "65536"),
            ("SMTP_PORT", "smtp"),
            ("SMTP_SECURITY", "ssl"),
            ("SMTP_SECURITY", "starttls-if-possible"),
            ("SMTP_TIMEOUT_SECONDS", "0.5"),
            ("SMTP_TIMEOUT_SECONDS", "121"),
            ("SMTP_TIMEOUT_SECONDS", "ten"),
            ("SMTP_TIMEOUT_SECONDS", "nan"),
            ("APP_BASE_URL", "localhost:3000"),
            ("APP_BASE_URL", "ftp://app.example.sg"),
            ("APP_BASE_URL", "https://"),
            ("APP_BASE_URL", "https://app.example.sg/?next=x"),
            ("APP_BASE_URL", "https://app.example.sg/#top"),
            ("APP_BASE_URL", "https://user:pw@app.example.sg"),
            ("APP_BASE_URL", "http://[::1"),
            ("APP_BASE_URL", "http://localhost:port"),
            ("OUTBOX_POLL_SECONDS", "0"),
            ("OUTBOX_POLL_SECONDS", "0.001"),
            ("OUTBOX_POLL_SECONDS", "61"),
            ("OUTBOX_POLL_SECONDS", "inf"),
            ("OUTBOX_POLL_SECONDS", "soon"),
            ("ACCESS_TOKEN_TTL_SECONDS", "59"),
            ("ACCESS_TOKEN_TTL_SECONDS", "3601"),
            ("ACCESS_TOKEN_TTL_SECONDS", "15m"),
            ("REFRESH_TOKEN_TTL_DAYS", "0"),
            ("REFRESH_TOKEN_TTL_DAYS", "366"),
            ("REFRESH_TOKEN_TTL_DAYS", "1.5"),
        ],
    )
    def test_bad_value_names_the_variable(self, load, name: str, value: str) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(SettingsError) as caught:
            load({name: value})
        assert name in str(caught.value)

    def test_settings_error_is_a_value_error(self) -> None:
        assert issubclass(SettingsError, ValueError)

    def test_bad_value_message_shows_the_value(self, load) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(SettingsError, match="staging"):
            load({"ENVIRONMENT": "staging"})
        with pytest.raises(SettingsError, match="mysql"):
            load({"DATABASE_URL": "mysql://u:p@localhost/db"})

    def test_database_error_does_not_leak_the_password(self, load) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(SettingsError) as caught:
            load({"DATABASE_URL": "mysql://app:hunter2@localhost/db"})
        assert "hunter2" not in str(caught.value)

    @pytest.mark.parametrize(
        "env",
        [
            {"DATABASE_URL": "mysql://x"},
            {"LOG_LEVEL": "LOUD"},
            {"MAIL_BACKEND": "smtp"},
            {"APP_BASE_URL": "ftp://x"},
            {"REFRESH_TOKEN_TTL_DAYS": "0"},
        ],
    )
    def test_refused_settings_do_not_write_a_secret(self, load, var_dir: Path, env: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(SettingsError):
            load(env)
        assert not (var_dir / "secret_key").exists()

    def test_smtp_backend_needs_a_host(self, load) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(SettingsError, match="SMTP_HOST is required when MAIL_BACKEND=smtp"):
            load({"MAIL_BACKEND": "smtp"})

    def test_smtp_host_alone_does_not_choose_smtp(self, load) -> None:  # type: ignore[no-untyped-def]
        assert load({"SMTP_HOST": "mail.example.sg"}).mail_backend == "file"

    @pytest.mark.parametrize(
        ("env", "named"),
        [({"SMTP_PASSWORD": "secret"}, "SMTP_USERNAME"), ({"SMTP_USERNAME": "mailer"}, "SMTP_PASSWORD")],
    )
    def test_smtp_credentials_come_in_pairs(self, load, env: dict[str, str], named: str) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(SettingsError, match=named):
            load(env)

    def test_smtp_password_is_not_echoed_in_errors(self, load) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(SettingsError) as caught:
            load({"SMTP_PASSWORD": "hunter2-smtp"})
        assert "hunter2-smtp" not in str(caught.value)


# --------------------------------------------------------------------------- production


class TestProduction:
    def test_complete_production_configuration(self, load, prod_env: dict[str, str], var_dir: Path) -> None:  # type: ignore[no-untyped-def]
        settings = load(prod_env)
        assert settings.is_production
        assert settings.secret_key == PROD_SECRET
        assert settings.log_format == "json"  # machine-readable logs by default
        assert settings.uses_redis
        assert settings.outbox_relay_in_process is False
        assert not (var_dir / "secret_key").exists()  # production never invents a key

    def test_console_logs_can_still_be_chosen(self, load, prod_env: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
        assert load({**prod_env, "LOG_FORMAT": "console"}).log_format == "console"

    def test_postgres_alias_is_accepted(self, load, prod_env: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
        settings = load({**prod_env, "DATABASE_URL": "postgres://app:pw@db/nexus"})
        assert settings.database_url == "postgresql+asyncpg://app:pw@db/nexus"

    @pytest.mark.parametrize(
        ("change", "name"),
        [
            ({"SECRET_KEY": None}, "SECRET_KEY"),
            ({"SECRET_KEY": ""}, "SECRET_KEY"),
            ({"SECRET_KEY": "s" * 31}, "SECRET_KEY"),
            ({"SECRET_KEY": "   " + "s" * 30 + "   "}, "SECRET_KEY"),
            ({"DATABASE_URL": None}, "DATABASE_URL"),
            ({"DATABASE_URL": "sqlite+aiosqlite:///prod.db"}, "DATABASE_URL"),
            ({"REDIS_URL": None}, "REDIS_URL"),
            ({"REDIS_URL": ""}, "REDIS_URL"),
            ({"CORS_ORIGINS": "*"}, "CORS_ORIGINS"),
            ({"CORS_ORIGINS": "https://app.example.sg,*"}, "CORS_ORIGINS"),
            ({"MAIL_BACKEND": None}, "MAIL_BACKEND"),  # the development default, file, is refused
            ({"MAIL_BACKEND": "file"}, "MAIL_BACKEND"),
            ({"MAIL_BACKEND": "console"}, "MAIL_BACKEND"),
            ({"SMTP_HOST": None}, "SMTP_HOST"),
            ({"SMTP_SECURITY": "none"}, "SMTP_SECURITY"),  # with a password: clear-text login
            ({"APP_BASE_URL": None}, "APP_BASE_URL"),  # the default is http://localhost:3000
            ({"APP_BASE_URL": "http://app.example.sg"}, "APP_BASE_URL"),
            ({"MAIL_FROM": "nobody"}, "MAIL_FROM"),
        ],
    )
    def test_unsafe_production_configuration_is_refused(  # type: ignore[no-untyped-def]
        self, load, prod_env: dict[str, str], change: dict[str, str | None], name: str, var_dir: Path
    ) -> None:
        env = dict(prod_env)
        for key, value in change.items():
            if value is None:
                env.pop(key)
            else:
                env[key] = value
        with pytest.raises(SettingsError) as caught:
            load(env)
        assert name in str(caught.value)
        assert not (var_dir / "secret_key").exists()

    def test_production_mail_settings(self, load, prod_env: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
        settings = load(prod_env)
        assert settings.mail_backend == "smtp"
        assert settings.smtp_host == "smtp.example.sg"
        assert settings.smtp_security == "starttls"
        assert settings.app_base_url == "https://app.example.sg"

    def test_plain_smtp_without_credentials_is_allowed(self, load, prod_env: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
        # A relay on the pod's own network (a sidecar MTA) needs neither TLS nor a login.
        env = {**prod_env, "SMTP_SECURITY": "none", "SMTP_HOST": "localhost", "SMTP_PORT": "25"}
        del env["SMTP_USERNAME"], env["SMTP_PASSWORD"]
        settings = load(env)
        assert (settings.smtp_security, settings.smtp_username, settings.smtp_port) == ("none", None, 25)

    def test_a_missing_secret_key_is_reported_before_mail_settings(self, load, prod_env: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
        # The operator fixes the most fundamental problem first (the CLI tests rely on it too).
        env = {k: v for k, v in prod_env.items() if k not in ("SECRET_KEY", "MAIL_BACKEND", "APP_BASE_URL")}
        with pytest.raises(SettingsError, match="SECRET_KEY"):
            load(env)

    def test_secret_key_of_exactly_32_characters_is_enough(self, load, prod_env: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
        assert load({**prod_env, "SECRET_KEY": "k" * 32}).secret_key == "k" * 32

    def test_a_development_key_file_is_not_used_in_production(  # type: ignore[no-untyped-def]
        self, load, prod_env: dict[str, str], var_dir: Path
    ) -> None:
        load()  # development: writes var/secret_key
        assert (var_dir / "secret_key").is_file()
        env = dict(prod_env)
        env.pop("SECRET_KEY")
        with pytest.raises(SettingsError, match="SECRET_KEY"):
            load(env)


# --------------------------------------------------------------------------- .env files


DOTENV = """\
# NexusCore local configuration
   # an indented comment

export PORT=9000
LOG_LEVEL = debug
DATABASE_URL="postgres://u:p@localhost/nexus"
REDIS_URL='redis://localhost:6379/0'
export   HOST=0.0.0.0
EMPTY=
EQUALS=a=b=c
MISMATCHED="abc'
HASH="#not-a-comment"
SPACED="  keep inner spaces  "
"""


class TestDotenv:
    def test_read_dotenv_parses_lines(self, tmp_path: Path) -> None:
        path = tmp_path / ".env"
        path.write_text(DOTENV)
        assert read_dotenv(path) == {
            "PORT": "9000",
            "LOG_LEVEL": "debug",
            "DATABASE_URL": "postgres://u:p@localhost/nexus",
            "REDIS_URL": "redis://localhost:6379/0",
            "HOST": "0.0.0.0",
            "EMPTY": "",
            "EQUALS": "a=b=c",
            "MISMATCHED": "\"abc'",
            "HASH": "#not-a-comment",
            "SPACED": "  keep inner spaces  ",
        }

    def test_missing_file_is_empty(self, tmp_path: Path) -> None:
        assert read_dotenv(tmp_path / "absent.env") == {}

    def test_directory_is_not_a_dotenv(self, tmp_path: Path) -> None:
        assert read_dotenv(tmp_path) == {}

    def test_load_settings_reads_the_file(self, load, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        path = tmp_path / ".env"
        path.write_text(DOTENV)
        settings = load({}, dotenv=path)
        assert settings.port == 9000
        assert settings.log_level == "DEBUG"
        assert settings.database_url == "postgresql+asyncpg://u:p@localhost/nexus"
        assert settings.redis_url == "redis://localhost:6379/0"
        assert settings.host == "0.0.0.0"

    def test_process_environment_overrides_the_file(self, load, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        path = tmp_path / ".env"
        path.write_text("PORT=9000\nLOG_LEVEL=debug\n")
        settings = load({"PORT": "7000"}, dotenv=path)
        assert settings.port == 7000  # from the environment
        assert settings.log_level == "DEBUG"  # from the file

    def test_bad_value_in_the_file_names_the_variable(self, load, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        path = tmp_path / ".env"
        path.write_text("PORT=abc\n")
        with pytest.raises(SettingsError, match="PORT"):
            load({}, dotenv=path)
        # ...unless the process environment supplies a good value.
        assert load({"PORT": "8001"}, dotenv=path).port == 8001

    def test_malformed_line_reports_file_and_line(self, load, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        path = tmp_path / ".env"
        path.write_text("# ok\nPORT=9000\nTHIS LINE HAS NO EQUALS SIGN\n")
        with pytest.raises(SettingsError) as caught:
            read_dotenv(path)
        assert f"{path}:3" in str(caught.value)
        assert "KEY=VALUE" in str(caught.value)
        with pytest.raises(SettingsError, match=":3:"):
            load({}, dotenv=path)

    def test_missing_dotenv_file_is_ignored(self, load, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        assert load({}, dotenv=tmp_path / "absent.env").port == 8000

    def test_dotenv_none_ignores_the_working_directory_file(  # type: ignore[no-untyped-def]
        self, load, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        Path(".env").write_text("PORT=abc\n")
        assert load({}, dotenv=None).port == 8000

    def test_default_dotenv_is_the_working_directory_file(  # type: ignore[no-untyped-def]
        self, var_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        Path(".env").write_text("PORT=9100\n")
        assert load_settings({"NEXUSCORE_VAR_DIR": str(var_dir)}).port == 9100


# --------------------------------------------------------------------------- development secret key


class TestDevelopmentSecretKey:
    def test_generated_once_and_reused(self, load, var_dir: Path) -> None:  # type: ignore[no-untyped-def]
        assert not var_dir.exists()
        first = load()
        key_file = var_dir / "secret_key"
        assert key_file.is_file()
        assert key_file.read_text() == first.secret_key
        assert len(first.secret_key) >= 32
        second = load()
        assert second.secret_key == first.secret_key

    def test_file_is_private(self, load, var_dir: Path) -> None:  # type: ignore[no-untyped-def]
        load()
        assert _mode(var_dir / "secret_key") == 0o600

    def test_file_is_private_from_creation(  # type: ignore[no-untyped-def]
        self, load, var_dir: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # With a permissive umask and no chmod afterwards, the key must still never be
        # readable by others (no window between writing and tightening).
        monkeypatch.setattr(Path, "chmod", lambda self, mode, **kwargs: None)
        old_umask = os.umask(0)
        try:
            load()
        finally:
            os.umask(old_umask)
        assert _mode(var_dir / "secret_key") & 0o077 == 0

    def test_nested_var_dir_is_created(self, tmp_path: Path) -> None:
        nested = tmp_path / "a" / "b" / "var"
        settings = load_settings({"NEXUSCORE_VAR_DIR": str(nested)}, dotenv=None)
        assert (nested / "secret_key").read_text() == settings.secret_key

    def test_each_var_dir_has_its_own_key(self, tmp_path: Path) -> None:
        one = load_settings({"NEXUSCORE_VAR_DIR": str(tmp_path / "one")}, dotenv=None)
        two = load_settings({"NEXUSCORE_VAR_DIR": str(tmp_path / "two")}, dotenv=None)
        assert one.secret_key != two.secret_key

    def test_test_environment_also_generates(self, load, var_dir: Path) -> None:  # type: ignore[no-untyped-def]
        settings = load({"ENVIRONMENT": "test"})
        assert (var_dir / "secret_key").read_text() == settings.secret_key

    def test_explicit_key_wins_and_writes_nothing(self, load, var_dir: Path) -> None:  # type: ignore[no-untyped-def]
        settings = load({"SECRET_KEY": "  a-development-key-123  "})
        assert settings.secret_key == "a-development-key-123"
        assert not (var_dir / "secret_key").exists()

    def test_existing_key_file_is_read(self, load, var_dir: Path) -> None:  # type: ignore[no-untyped-def]
        var_dir.mkdir()
        (var_dir / "secret_key").write_text("an-existing-development-key\n")
        assert load().secret_key == "an-existing-development-key"

    @pytest.mark.parametrize("content", ["", "\n", "   ", "short"])
    def test_empty_or_truncated_key_file_is_regenerated(  # type: ignore[no-untyped-def]
        self, load, var_dir: Path, content: str
    ) -> None:
        var_dir.mkdir()
        key_file = var_dir / "secret_key"
        key_file.write_text(content)
        key_file.chmod(0o644)
        settings = load()
        assert len(settings.secret_key) >= 32
        assert key_file.read_text() == settings.secret_key
        assert _mode(key_file) == 0o600
        assert load().secret_key == settings.secret_key
