"""The personal data map is complete: a column whose name looks personal is claimed by a
provider (or listed here as not personal, with the reason). A new table with an `email`
column and no provider fails this test."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from nexuscore.bootstrap.models import metadata
from nexuscore.bootstrap.runtime import build_runtime
from nexuscore.kernel.personal_data import Masking
from nexuscore.privacy.adapters.http.state import PRIVACY_STATE_KEY, PrivacyHttpState
from nexuscore.privacy.application.data_map import claimed_columns, data_map
from tests.conftest import make_settings

PERSONAL_LOOKING = re.compile(
    r"(^|_)(e?mail|email|phone|mobile|name|names|first_name|last_name|full_name|address|address_lines|postal_code|"
    r"ip|user_agent|csv_text|body|response_body|notes|birth|nric|dob)($|_)"
)
# Columns whose names look personal but hold nothing about a person.
NOT_PERSONAL = {
    ("subscriptions_plan", "name"): "a plan's name in the catalogue",
    # Not unclaimed by oversight: a replayed POST's cached answer may quote personal data, and
    # it lives 24 hours (platform.idempotency purges it); the platform holds no provider.
    ("platform_idempotency_key", "response_body"): "cached for 24 hours, then purged",
}


@cache
def _map() -> PrivacyHttpState:
    runtime = build_runtime(make_settings(Path("/tmp/nexuscore-privacy-data-map")))
    state: PrivacyHttpState = runtime.module("privacy").state[PRIVACY_STATE_KEY]
    return state


def test_every_personal_looking_column_is_claimed_by_a_provider() -> None:
    claimed = claimed_columns(_map().data_map)
    unclaimed = sorted(
        f"{table.name}.{column.name}"
        for table in metadata.sorted_tables
        for column in table.columns
        if PERSONAL_LOOKING.search(column.name)
        and (table.name, column.name) not in claimed
        and (table.name, column.name) not in NOT_PERSONAL
    )
    assert unclaimed == [], f"personal-looking columns no PersonalDataProvider claims: {unclaimed}"


def test_every_claimed_column_exists_and_retained_ones_say_why() -> None:
    columns = {(t.name, c.name) for t in metadata.sorted_tables for c in t.columns}
    entries = data_map(_map().data_map)
    assert {e.provider for e in entries} >= {
        "identity",
        "organizations",
        "leads",
        "subscriptions",
        "billing",
        "webhooks",
        "events",
        "privacy",
    }
    for entry in entries:
        assert (entry.field.table, entry.field.column) in columns, entry
        if entry.field.masking is Masking.RETAIN:
            assert entry.field.retain_reason


def test_the_check_catches_a_new_unclaimed_email_column() -> None:
    """The pattern and the claim set, on a column nobody claims."""
    assert PERSONAL_LOOKING.search("contact_email") and PERSONAL_LOOKING.search("email")
    assert PERSONAL_LOOKING.search("phone") and PERSONAL_LOOKING.search("full_name")
    assert ("billing_invoice", "customer_email") not in claimed_columns(_map().data_map)
    assert not PERSONAL_LOOKING.search("gateway_customer_id")
