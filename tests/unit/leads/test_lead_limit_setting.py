"""LEADS_DEFAULT_LIMIT: parsed and checked like every setting, and fed to DefaultLeadEntitlements."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

import pytest

from nexuscore.leads.adapters.entitlements import DefaultLeadEntitlements
from nexuscore.platform.settings import DEFAULT_LEADS_LIMIT, SettingsError, load_settings

pytestmark = pytest.mark.unit


def _load(tmp_path: Path, **env: str) -> int:
    return load_settings({"NEXUSCORE_VAR_DIR": str(tmp_path / "var"), **env}, dotenv=None).leads_default_limit


def test_the_default_limit_and_an_override(tmp_path: Path) -> None:
    assert _load(tmp_path) == DEFAULT_LEADS_LIMIT == 100_000
    assert _load(tmp_path, LEADS_DEFAULT_LIMIT=" ") == DEFAULT_LEADS_LIMIT  # blank means unset
    assert _load(tmp_path, LEADS_DEFAULT_LIMIT="250") == 250


@pytest.mark.parametrize("raw", ["0", "-1", "lots", "1.5", "100000001"])
def test_bad_limits_stop_start_up_naming_the_variable(tmp_path: Path, raw: str) -> None:
    with pytest.raises(SettingsError, match="LEADS_DEFAULT_LIMIT"):
        _load(tmp_path, LEADS_DEFAULT_LIMIT=raw)


async def test_default_entitlements_give_every_organisation_the_same_limit() -> None:
    assert await DefaultLeadEntitlements(3).lead_limit(uuid4()) == 3
    assert await DefaultLeadEntitlements(None).lead_limit(uuid4()) is None
