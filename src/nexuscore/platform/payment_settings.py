"""Settings of the payment gateway (Stripe), its webhooks and the metrics endpoint."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nexuscore.platform.env_values import SettingsError, env_float, env_int, env_optional


def payment_settings(env: Mapping[str, str], environment: str) -> dict[str, Any]:
    """The `Settings` fields of payments, by name."""
    stripe_secret_key = env.get("STRIPE_SECRET_KEY", "").strip() or None
    stripe_api_base = env.get("STRIPE_API_BASE", "").strip().rstrip("/") or None
    if stripe_api_base and not stripe_api_base.startswith(("http://", "https://")):
        raise SettingsError(f"STRIPE_API_BASE={stripe_api_base!r} must be an http(s) URL")
    if environment == "production" and stripe_secret_key is None:
        raise SettingsError(
            "STRIPE_SECRET_KEY is required in production (the local payment gateway is for development)"
        )
    if environment == "production" and stripe_api_base:
        raise SettingsError("STRIPE_API_BASE is for tests: production talks to Stripe itself")
    billing_grace_days = env_int(env, "BILLING_GRACE_DAYS", 7, 0, 90)
    return {
        "stripe_secret_key": stripe_secret_key,
        "stripe_api_base": stripe_api_base,
        "billing_grace_days": billing_grace_days,
        **_webhook_settings(env),
    }


def _webhook_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """The inbox: endpoint secrets (rotation), retry schedule, and the metrics endpoint's guard."""
    secrets_ = tuple(s.strip() for s in env.get("STRIPE_WEBHOOK_SECRETS", "").split(",") if s.strip())
    for secret in secrets_:
        if len(secret) < 16:
            raise SettingsError("each STRIPE_WEBHOOK_SECRETS entry must be at least 16 characters")
    metrics_port = env_int(env, "METRICS_PORT", 0, 0, 65535)
    token = env_optional(env, "METRICS_TOKEN")
    if token is not None and len(token) < 16:
        raise SettingsError("METRICS_TOKEN must be at least 16 characters")
    return {
        "stripe_webhook_secrets": secrets_,
        "webhook_max_attempts": env_int(env, "WEBHOOK_MAX_ATTEMPTS", 8, 1, 100),
        "webhook_retry_base_seconds": env_float(env, "WEBHOOK_RETRY_BASE_SECONDS", 900.0, 0.0, 86_400.0),
        "webhook_retry_cap_seconds": env_float(env, "WEBHOOK_RETRY_CAP_SECONDS", 43_200.0, 0.0, 7 * 86_400.0),
        "webhook_stuck_after_seconds": env_int(env, "WEBHOOK_STUCK_AFTER_SECONDS", 600, 1, 86_400),
        "metrics_token": token,
        "metrics_port": metrics_port or None,
    }
