"""The erasure proof on PostgreSQL: a subject seeded everywhere (account, sessions, memberships,
invitations, an email change, leads in two tenants with activities, events, and billing: she is
one tenant's billing contact, on its issued invoice, credit note and a draft), erased through
every provider (her account deletion, and each tenant's deletion request about her lead),
then every text and JSON column of every table, event payloads included, is scanned for her
email, phone and name: only the retained invoice fields may still name her."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import JSON, String, Text, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.billing.adapters.sql.tables import CreditNoteRow, InvoiceRow
from nexuscore.bootstrap.models import metadata
from nexuscore.bootstrap.runtime import Runtime
from nexuscore.kernel.personal_data import masked_email
from nexuscore.platform.settings import Settings
from nexuscore.privacy.adapters.http.state import PRIVACY_STATE_KEY, PrivacyHttpState
from tests.e2e.billing.conftest import PROFILE, make_staff
from tests.e2e.conftest import PASSWORD, Inbox, auth, link_token, register, signed_in, verified_user
from tests.e2e.privacy.conftest import Client, lead, org, settled, system_read

pytestmark = pytest.mark.e2e

EMAIL, NEW_EMAIL, PHONE, NAME = "zelda@quokka.sg", "zelda.new@quokka.sg", "+6598765432", "Zelda Quokka"
NEEDLES = (EMAIL, NEW_EMAIL, PHONE, "98765432", NAME)
INVOICES = "/api/v1/admin/invoices"
# What a document of record keeps although it names her (billing's provider says why): the
# payment's reference and the issued credit note's reason. Nothing else may remain.
RETAINED = {f"billing_invoice.payment_reference:{NAME}": 1, f"billing_credit_note.reason:{NAME}": 1}


async def _billing(client: Client, identity_settings: Settings, inbox: Inbox, org_id: str, owner: Any) -> list[UUID]:
    """She is the organisation's billing contact: an invoice issued to it (notes naming her, paid
    with her PayNow reference, credited with a reason naming her) and a draft naming her."""
    staff = await verified_user(client, inbox, "staff@nexuscore.sg")
    await make_staff(identity_settings, staff["id"])
    profile = {**PROFILE, "legalName": "Teh Tarik Pte Ltd", "billingEmail": EMAIL}
    saved = await client.put(f"/api/v1/orgs/{org_id}/billing-profile", json=profile, headers=auth(owner))
    assert saved.status_code == 200, saved.text
    line = {"description": "Licence", "quantity": "1", "unitAmount": 100_000, "taxCategory": "SR"}
    body = {"organizationId": org_id, "currency": "SGD", "lines": [line], "notes": f"Attn {NAME}, {PHONE}"}
    created = await client.post(INVOICES, json=body, headers=auth(staff))
    assert created.status_code == 201, created.text
    iid = created.json()["id"]
    final = await client.post(f"{INVOICES}/{iid}/finalize", headers=auth(staff))
    assert final.status_code == 200, final.text
    paid = await client.post(
        f"{INVOICES}/{iid}/mark-paid",
        json={"paidAt": final.json()["createdAt"], "method": "paynow", "reference": f"PAYNOW {NAME.upper()}"},
        headers=auth(staff),
    )
    assert paid.status_code == 200, paid.text
    credited = await client.post(
        f"{INVOICES}/{iid}/credit-notes",
        json={"amount": 10_000, "taxCategory": "SR", "reason": f"{NAME} left the second seat"},
        headers=auth(staff),
    )
    assert credited.status_code == 201, credited.text
    draft = {**body, "lines": [{**line, "description": f"Onboarding for {NAME}"}], "notes": f"send to {EMAIL}"}
    drafted = await client.post(INVOICES, json=draft, headers=auth(staff))
    assert drafted.status_code == 201, drafted.text
    return [UUID(iid), UUID(drafted.json()["id"]), UUID(credited.json()["id"])]


async def _scan(session: AsyncSession) -> dict[str, int]:
    """table.column -> rows whose text contains a needle (case-insensitive)."""
    found: dict[str, int] = {}
    for table in metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, String | Text | JSON) and "JSON" not in type(column.type).__name__.upper():
                continue
            text = cast(column, Text)
            for needle in NEEDLES:
                n = await session.scalar(select(func.count()).select_from(table).where(text.ilike(f"%{needle}%")))
                if n:
                    found[f"{table.name}.{column.name}:{needle}"] = n
    return found


async def test_after_erasure_no_table_and_no_event_names_the_subject(
    client: Client, inbox: Inbox, runtime: Runtime, identity_settings: Settings
) -> None:
    owner = await verified_user(client, inbox, "owner@kopi.sg")
    kopi = await org(client, owner, "Kopi Tiam Pte Ltd")
    other = await verified_user(client, inbox, "owner@teh.sg")
    teh = await org(client, other, "Teh Tarik Pte Ltd")

    # Her account: sessions, a membership from an invitation, a pending email change.
    assert (await register(client, EMAIL, name=NAME)).status_code == 201
    verify = link_token(await inbox.wait_for(EMAIL, "Verify your email"))
    assert (await client.post("/api/v1/auth/verify-email", json={"token": verify})).status_code == 200
    invited = await client.post(
        f"/api/v1/orgs/{teh}/invitations", json={"email": EMAIL, "role": "member"}, headers=auth(other)
    )
    assert invited.status_code == 201, invited.text
    tokens = await signed_in(client, EMAIL)
    me = {"Authorization": f"Bearer {tokens['accessToken']}"}
    joined = await client.post(
        "/api/v1/invitations/accept", json={"token": link_token(await inbox.wait_for(EMAIL, "Join"))}, headers=me
    )
    assert joined.status_code == 200, joined.text
    change = await client.post("/api/v1/me/email", json={"newEmail": NEW_EMAIL, "password": PASSWORD}, headers=me)
    assert change.status_code in (202, 204), change.text
    # She is a lead in both tenants, with notes naming her.
    for org_id, admin in ((kopi, owner), (teh, other)):
        found = await lead(client, org_id, admin, firstName="Zelda", lastName="Quokka", email=EMAIL, phone=PHONE)
        note = await client.post(
            f"/api/v1/orgs/{org_id}/leads/{found['id']}/activities",
            json={"kind": "call", "body": f"Called {NAME} on {PHONE}, follow up at {EMAIL}"},
            headers=auth(admin),
        )
        assert note.status_code == 201, note.text
        edit = await client.patch(
            f"/api/v1/orgs/{org_id}/leads/{found['id']}", json={"jobTitle": "Director"}, headers=auth(admin)
        )
        assert edit.status_code == 200, edit.text
    issued, draft, credit_note = await _billing(client, identity_settings, inbox, teh, other)
    before = await system_read(client, runtime, _scan)
    assert any(k.startswith("leads_lead.email") for k in before) and any(k.startswith("identity_user") for k in before)
    assert any(k.startswith("leads_activity.body") for k in before)
    assert f"events_domain_event.payload:{NEW_EMAIL}" in before  # the email change's event
    assert f"identity_action_token.new_email:{NEW_EMAIL}" in before
    assert {
        f"billing_invoice.customer:{EMAIL}",
        f"billing_invoice.notes:{NAME}",
        f"billing_invoice.lines:{NAME}",
    } <= set(before)
    assert f"billing_credit_note.customer:{EMAIL}" in before and before.items() >= RETAINED.items()

    # Erasure: her account, then each tenant's deletion request about her lead.
    deleted = await client.request("DELETE", "/api/v1/me", json={"password": PASSWORD}, headers=me)
    assert deleted.status_code == 202, deleted.text
    for org_id, admin in ((kopi, owner), (teh, other)):
        base = f"/api/v1/orgs/{org_id}/privacy/requests"
        made = await client.post(
            base, json={"kind": "deletion", "subject": {"email": EMAIL}, "receivedVia": "email"}, headers=auth(admin)
        )
        assert made.status_code == 201, made.text
        await client.post(f"{base}/{made.json()['id']}/approve", headers=auth(admin))
        done = await settled(client, f"{base}/{made.json()['id']}", auth(admin))
        assert done["status"] == "complete", done

    after = await system_read(client, runtime, _scan)
    assert after == RETAINED, after

    async def billing_rows(session: AsyncSession) -> tuple[list[InvoiceRow], CreditNoteRow | None]:
        rows = list(await session.scalars(select(InvoiceRow).where(InvoiceRow.id.in_([issued, draft]))))
        note = await session.get(CreditNoteRow, credit_note)
        session.expunge_all()
        return sorted(rows, key=lambda r: r.id != issued), note

    (invoice, drafted), note = await system_read(client, runtime, billing_rows)
    privacy: PrivacyHttpState = runtime.module("privacy").state[PRIVACY_STATE_KEY]
    hashed = masked_email(EMAIL, privacy.services.erasure_salt)
    # Masked as specified: the contact hashed, the notes gone; the tax invoice's particulars kept.
    assert invoice.customer is not None and invoice.customer["email"] == hashed
    assert invoice.customer["name"] == "Teh Tarik Pte Ltd" and invoice.customer["addressLines"]
    assert invoice.number and invoice.notes == "[erased]"
    assert drafted.notes == "[erased]" and drafted.lines[0]["description"] == "[erased]"
    assert note is not None and note.customer["email"] == hashed

    async def what_remains(session: AsyncSession) -> Any:
        from nexuscore.events.adapters.sql.tables import DomainEventRow

        types = await session.scalars(select(DomainEventRow.type).where(DomainEventRow.type.like("privacy.%")))
        return sorted(set(types))

    # The audit trail keeps that it happened (no values): erasures and completions.
    assert {"privacy.subject_erased", "privacy.completed", "privacy.approved"} <= set(
        await system_read(client, runtime, what_remains)
    )
