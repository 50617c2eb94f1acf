"""The supplier's particulars and the number prefixes, checked at start-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from nexuscore.platform.env_values import SettingsError
from nexuscore.platform.settings import load_settings

PRODUCTION = {
    "ENVIRONMENT": "production",
    "DATABASE_URL": "postgresql+asyncpg://u@db/n",
    "REDIS_URL": "redis://r:6379/0",
    "SECRET_KEY": "s" * 48,
    "STRIPE_SECRET_KEY": "sk_live_x",
    "MAIL_BACKEND": "smtp",
    "SMTP_HOST": "smtp.example.sg",
    "APP_BASE_URL": "https://app.example.sg",
    "SUPPLIER_NAME": "NexusCore Pte. Ltd.",
    "SUPPLIER_ADDRESS": "1 Raffles Place, #20-01 | Singapore 048616",
    "SUPPLIER_UEN": "201912345k",
    "SUPPLIER_GST_REG_NO": "M91234567X",
}


def test_production_reads_the_supplier(tmp_path: Path) -> None:
    s = load_settings({**PRODUCTION, "NEXUSCORE_VAR_DIR": str(tmp_path)}, dotenv=None)
    assert (s.supplier_name, s.supplier_uen, s.supplier_gst_registration_number) == (
        "NexusCore Pte. Ltd.",
        "201912345K",
        "M91234567X",
    )
    assert s.supplier_address_lines == ("1 Raffles Place, #20-01", "Singapore 048616")
    assert s.supplier_postal_code == "048616"
    assert (s.invoice_number_prefix, s.credit_note_number_prefix) == ("INV", "CN")


@pytest.mark.parametrize("missing", ["SUPPLIER_NAME", "SUPPLIER_ADDRESS", "SUPPLIER_UEN", "SUPPLIER_GST_REG_NO"])
def test_production_refuses_to_start_without_a_particular(tmp_path: Path, missing: str) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    with pytest.raises(SettingsError, match=missing):
        load_settings({**env, "NEXUSCORE_VAR_DIR": str(tmp_path)}, dotenv=None)


def test_a_supplier_not_registered_says_so(tmp_path: Path) -> None:
    env = {**PRODUCTION, "SUPPLIER_GST_REG_NO": "none", "NEXUSCORE_VAR_DIR": str(tmp_path)}
    assert load_settings(env, dotenv=None).supplier_gst_registration_number is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SUPPLIER_UEN", "12"),
        ("SUPPLIER_GST_REG_NO", "GST123"),
        ("SUPPLIER_ADDRESS", "1 Raffles Place, no postcode"),
        ("INVOICE_NUMBER_PREFIX", "in v"),
        ("CREDIT_NOTE_NUMBER_PREFIX", "INV"),  # the same prefix as invoices: one series
    ],
)
def test_bad_values_are_refused(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(SettingsError):
        load_settings({name: value, "NEXUSCORE_VAR_DIR": str(tmp_path)}, dotenv=None)


def test_development_defaults_are_plainly_not_a_real_business(tmp_path: Path) -> None:
    s = load_settings({"NEXUSCORE_VAR_DIR": str(tmp_path)}, dotenv=None)
    assert "Development" in s.supplier_name and s.supplier_gst_registration_number == s.supplier_uen
