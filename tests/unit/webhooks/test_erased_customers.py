"""The ingest rule for an erased customer's events: the real values Stripe sends back in
`previous_attributes` are not kept; any other event is left exactly as received."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from nexuscore.kernel.personal_data import masked_email, salted_hash
from nexuscore.webhooks.application.erased_customers import as_stored, without_erased_contact
from nexuscore.webhooks.domain.model import IncomingEvent

SALT = b"salt"
REAL_EMAIL, REAL_NAME = "mei@example.com", "Tan Mei Ling"
MASKED_EMAIL, MASKED_NAME = masked_email(REAL_EMAIL, SALT), salted_hash(REAL_NAME, SALT)


def customer_event(
    obj: dict[str, Any], previous: dict[str, Any] | None, type_: str = "customer.updated"
) -> dict[str, Any]:
    data: dict[str, Any] = {"object": obj}
    if previous is not None:
        data["previous_attributes"] = previous
    return {"id": "evt_1", "object": "event", "type": type_, "created": 1, "data": data}


def erased(**extra: Any) -> dict[str, Any]:
    return {"id": "cus_1", "object": "customer", "email": MASKED_EMAIL, "name": MASKED_NAME, **extra}


def test_the_erasures_own_update_keeps_only_the_masked_values() -> None:
    event = customer_event(erased(), {"email": REAL_EMAIL, "name": REAL_NAME})
    out = without_erased_contact(event)
    assert out is not None
    assert out["data"]["previous_attributes"] == {"email": MASKED_EMAIL, "name": MASKED_NAME}
    assert out["data"]["object"] == event["data"]["object"]
    assert REAL_EMAIL not in json.dumps(out) and REAL_NAME not in json.dumps(out)
    assert REAL_EMAIL in json.dumps(event)  # the input is not changed in place


def test_every_personal_attribute_goes_and_what_the_object_lacks_is_dropped() -> None:
    shipping = {"name": REAL_NAME, "phone": "+6591234567", "address": {"line1": "1 Orchard Rd"}}
    previous = {
        "email": REAL_EMAIL,
        "phone": "+6591234567",
        "address": {"line1": "1 Orchard Rd", "country": "SG"},
        "shipping": shipping,
        "description": f"{REAL_NAME}'s account",
        "metadata": {"contact": REAL_EMAIL},  # not a personal attribute, but names her
        "balance": 500,  # nothing personal: kept
    }
    out = without_erased_contact(customer_event(erased(phone=None, metadata={}), previous))
    assert out is not None
    assert out["data"]["previous_attributes"] == {"email": MASKED_EMAIL, "phone": None, "metadata": {}, "balance": 500}


def test_an_ordinary_update_or_another_event_is_left_as_received() -> None:
    ordinary = customer_event(
        {"id": "cus_1", "object": "customer", "email": "new@example.com"}, {"email": REAL_EMAIL, "name": REAL_NAME}
    )
    assert without_erased_contact(ordinary) is None
    no_previous = customer_event(erased(), None)
    assert without_erased_contact(no_previous) is None
    already_masked = customer_event(erased(), {"email": MASKED_EMAIL})
    assert without_erased_contact(already_masked) is None
    invoice = customer_event(erased(), {"email": REAL_EMAIL}, type_="invoice.updated")
    assert without_erased_contact(invoice) is None


def incoming(data: dict[str, Any], provider: str = "stripe") -> IncomingEvent:
    text = json.dumps(data)
    return IncomingEvent(
        provider=provider,
        event_id="evt_1",
        type=data["type"],
        livemode=False,
        created=datetime(2026, 12, 1, tzinfo=UTC),
        api_version=None,
        payload=text,
        data=data,
    )


def test_the_stored_form_is_the_received_text_unless_something_was_taken_out() -> None:
    ordinary = incoming(customer_event({"id": "cus_1", "email": "a@example.com"}, {"email": REAL_EMAIL}))
    assert as_stored(ordinary) is ordinary
    theirs = incoming(customer_event(erased(), {"email": REAL_EMAIL}))
    stored = as_stored(theirs)
    assert REAL_EMAIL not in stored.payload
    assert json.loads(stored.payload) == stored.data
    assert (stored.event_id, stored.type) == (theirs.event_id, theirs.type)
