"""The contract's free-text helpers: `scrub` keeps an address an address, `mentions` finds what a
stored document says of the subject, and the webhook inbox's payloads are masked with them."""

from __future__ import annotations

import json
from uuid import uuid4

from nexuscore.kernel.personal_data import SubjectKind, SubjectQuery, masked_email, mentions, salted_hash, scrub
from nexuscore.webhooks.adapters.sql.personal_data import scrub_payload

SALT = b"salt"
EMAIL, NAME = "zelda@quokka.sg", "Zelda Quokka"
ZELDA = SubjectQuery(SubjectKind.USER, user_id=uuid4(), emails=(EMAIL,), names=(NAME,))


def test_scrub_gives_the_subjects_address_the_shape_of_one_and_hashes_other_text() -> None:
    value = {"email": "Zelda@Quokka.SG", "name": f"{NAME} (finance)", "other": "accounts@teh.sg", "n": 3}
    out, n = scrub(value, ZELDA.needles, SALT, emails=ZELDA.emails)
    assert n == 2
    assert out == {
        "email": masked_email(EMAIL, SALT),
        "name": salted_hash(f"{NAME} (finance)", SALT),
        "other": "accounts@teh.sg",
        "n": 3,
    }
    # Without `emails` it hashes as before (the events store's use).
    assert scrub(value, ZELDA.needles, SALT)[0]["email"] == salted_hash("Zelda@Quokka.SG", SALT)


def test_mentions_lists_each_string_naming_the_subject_once() -> None:
    doc = {"a": [f"to {EMAIL}", {"b": f"to {EMAIL}"}], "c": "nothing", "d": ("ZELDA QUOKKA",)}
    assert mentions(doc, ZELDA.needles) == [f"to {EMAIL}", "ZELDA QUOKKA"]
    assert mentions(doc, ()) == []


def test_an_inbox_payload_is_masked_and_still_parses() -> None:
    event = {"id": "evt_1", "type": "customer.updated", "data": {"object": {"id": "cus_1", "email": EMAIL}}}
    masked = json.loads(scrub_payload(json.dumps(event), ZELDA, SALT))
    assert masked["data"]["object"] == {"id": "cus_1", "email": masked_email(EMAIL, SALT)}
    assert (masked["id"], masked["type"]) == ("evt_1", "customer.updated")
    assert scrub_payload("not json " + EMAIL, ZELDA, SALT) == salted_hash("not json " + EMAIL, SALT)
