"""What the inbox must not store of a customer erased at the gateway.

Erasing a user subject masks their contact on the Stripe customer (`customers.update`); the
`customer.updated` Stripe sends back for that update names the real values in
`data.previous_attributes`. Stored as received, it would bring back the email the webhooks
provider's erasure step already masked when it arrives after that step ran. So at ingest, a
`customer.*` event whose object's email is masked (`kernel.personal_data.is_masked`) keeps no
previous personal value: each is replaced by the object's (masked) value, or dropped when the
object has none. Whose the previous value was cannot be told here, so every personal one goes;
the object (the customer as it now is) stays whole.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from nexuscore.kernel.personal_data import is_masked, mentions
from nexuscore.webhooks.application.stripe_objects import STRIPE
from nexuscore.webhooks.domain.model import IncomingEvent

# A Stripe customer's attributes that hold a person's contact or identity (shipping nests a
# name, phone and address; description and the invoice settings' footer are free text).
PERSONAL_CUSTOMER_ATTRIBUTES = frozenset(
    {"email", "name", "phone", "address", "shipping", "description", "individual_name", "invoice_settings"}
)
_NAMING_KEYS = ("email", "name", "phone", "individual_name")


def _is_erased_customer(obj: Any) -> bool:
    email = obj.get("email") if isinstance(obj, Mapping) else None
    return isinstance(email, str) and is_masked(email)


def without_erased_contact(data: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The event with the real values of an erased customer taken out of its
    `previous_attributes`, or None when there is nothing to take out (the event is stored as
    received). Besides the personal attributes, any other previous attribute naming one of
    the real values taken out (the old email in metadata, say) goes too: the webhooks
    provider treats any string naming the subject as theirs."""
    event_type, body = data.get("type"), data.get("data")
    if not isinstance(event_type, str) or not event_type.startswith("customer.") or not isinstance(body, Mapping):
        return None
    obj, previous = body.get("object"), body.get("previous_attributes")
    if not _is_erased_customer(obj) or not isinstance(previous, Mapping) or not previous:
        return None
    assert isinstance(obj, Mapping)
    real = [v for k in _NAMING_KEYS if isinstance(v := previous.get(k), str) and v and not is_masked(v)]
    kept: dict[str, Any] = {}
    for key, value in previous.items():
        if key in PERSONAL_CUSTOMER_ATTRIBUTES or (real and mentions(value, real)):
            if key in obj:
                kept[key] = obj[key]
        else:
            kept[key] = value
    if kept == previous:
        return None
    return {**data, "data": {**body, "previous_attributes": kept}}


def as_stored(incoming: IncomingEvent) -> IncomingEvent:
    """The delivery as the inbox stores it: as received, unless it is a Stripe event about an
    erased customer naming real values (then re-serialised without them)."""
    redacted = without_erased_contact(incoming.data) if incoming.provider == STRIPE else None
    if redacted is None:
        return incoming
    return replace(incoming, payload=json.dumps(redacted, separators=(",", ":")), data=redacted)
