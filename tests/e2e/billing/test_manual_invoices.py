"""Staff's manual invoices and the organisation's documents over HTTP, one user story each."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.e2e.billing.conftest import org_with_profile
from tests.e2e.conftest import Inbox, auth, join_org
from tests.support.pint_sg import assert_valid

Client = AsyncTestClient[Litestar]
ADMIN = "/api/v1/admin/invoices"
LINES = [
    {"description": "Implementation, phase 1", "quantity": "2.5", "unitAmount": 120_000, "taxCategory": "SR"},
    {"description": "Training day", "quantity": "1", "unitAmount": 80_000, "taxCategory": "ES33"},
]


def quarter_of(day: str) -> str:
    year, month = int(day[:4]), int(day[5:7])
    return f"{year}Q{(month - 1) // 3 + 1}"


async def test_staff_drafts_finalises_sends_and_is_paid(client: Client, inbox: Inbox, staff: dict[str, str]) -> None:
    acme = await org_with_profile(client, inbox, "acme")
    created = await client.post(
        ADMIN, json={"organizationId": acme.id, "currency": "SGD", "lines": LINES, "dueDays": 30}, headers=auth(staff)
    )
    assert created.status_code == 201, created.text
    draft = created.json()
    assert (draft["status"], draft["number"], draft["totalExcludingGst"]) == ("draft", None, 380_000)
    iid = draft["id"]

    patched = await client.patch(f"{ADMIN}/{iid}", json={"notes": "PO 7781"}, headers=auth(staff))
    assert patched.status_code == 200 and patched.json()["notes"] == "PO 7781"

    final = await client.post(f"{ADMIN}/{iid}/finalize", headers=auth(staff))
    assert final.status_code == 200, final.text
    invoice = final.json()
    year = invoice["issueDate"][:4]
    assert invoice["number"] == f"INV-{year}-000001" and invoice["status"] == "open"
    assert invoice["title"] == "Tax Invoice"
    assert (invoice["totalExcludingGst"], invoice["gstAmount"], invoice["totalIncludingGst"]) == (
        380_000,
        27_000,
        407_000,
    )
    assert [(b["taxCategory"], b["taxableAmount"], b["taxAmount"]) for b in invoice["breakdown"]] == [
        ("SR", 300_000, 27_000),
        ("ES33", 80_000, 0),
    ]
    assert invoice["customer"]["name"] == "Acme Pte. Ltd." and invoice["supplier"]["gstRegistrationNumber"]

    again = await client.patch(f"{ADMIN}/{iid}", json={"notes": "late"}, headers=auth(staff))
    assert again.status_code == 409 and again.json()["type"].endswith("/invoice-not-draft")
    assert (await client.post(f"{ADMIN}/{iid}/finalize", headers=auth(staff))).status_code == 409

    sent = await client.post(f"{ADMIN}/{iid}/send", headers=auth(staff))
    assert sent.status_code == 200 and sent.json()["sentAt"]
    mail = await inbox.wait_for("accounts@acme.sg", invoice["number"])
    (attachment,) = [part for part in mail.iter_attachments()]
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"{invoice['number']}.pdf"
    assert attachment.get_content().startswith(b"%PDF")

    paid = await client.post(
        f"{ADMIN}/{iid}/mark-paid",
        json={"paidAt": invoice["createdAt"], "method": "paynow", "reference": "PN-55"},
        headers=auth(staff),
    )
    assert paid.status_code == 200, paid.text
    assert (paid.json()["status"], paid.json()["paymentMethod"]) == ("paid", "paynow")
    assert (await client.post(f"{ADMIN}/{iid}/void", json={"reason": "x"}, headers=auth(staff))).status_code == 409

    note = await client.post(
        f"{ADMIN}/{iid}/credit-notes",
        json={"amount": 100_000, "taxCategory": "SR", "reason": "Phase 1 shortened"},
        headers=auth(staff),
    )
    assert note.status_code == 201, note.text
    cn = note.json()
    assert (cn["number"], cn["originalInvoiceNumber"], cn["gstAmount"]) == (
        f"CN-{year}-000001",
        invoice["number"],
        9_000,
    )
    too_much = await client.post(
        f"{ADMIN}/{iid}/credit-notes",
        json={"lines": [{"description": "More", "unitAmount": 200_001, "taxCategory": "SR"}], "reason": "r"},
        headers=auth(staff),
    )
    assert too_much.status_code == 409 and too_much.json()["remaining"]["SR"] == 200_000

    second = await client.post(ADMIN, json={"organizationId": acme.id, "lines": LINES[:1]}, headers=auth(staff))
    sid = second.json()["id"]
    await client.post(f"{ADMIN}/{sid}/finalize", headers=auth(staff))
    voided = await client.post(f"{ADMIN}/{sid}/void", json={"reason": "Issued twice"}, headers=auth(staff))
    assert voided.status_code == 200 and voided.json()["number"] == f"INV-{year}-000002"

    listed = await client.get(ADMIN, params={"status": "void", "organizationId": acme.id}, headers=auth(staff))
    assert [i["id"] for i in listed.json()["items"]] == [sid]
    dated = await client.get(
        ADMIN, params={"from": invoice["issueDate"], "to": invoice["issueDate"]}, headers=auth(staff)
    )
    assert {i["id"] for i in dated.json()["items"]} == {iid, sid}
    assert (await client.get(ADMIN, params={"status": "nope"}, headers=auth(staff))).status_code == 422

    report = await client.get(
        "/api/v1/admin/gst-report", params={"period": quarter_of(invoice["issueDate"])}, headers=auth(staff)
    )
    assert report.status_code == 200, report.text
    boxes = {b["box"]: b for b in report.json()["boxes"]}
    assert (boxes[1]["amount"], boxes[3]["amount"], boxes[4]["amount"], boxes[6]["amount"]) == (
        200_000,
        80_000,
        280_000,
        18_000,
    )
    assert {d["number"] for d in boxes[6]["documents"]} == {invoice["number"], cn["number"]}
    assert [d["number"] for d in report.json()["voidInvoices"]] == [f"INV-{year}-000002"]


async def test_the_organisation_reads_its_own_documents_and_nobody_elses(
    client: Client, inbox: Inbox, staff: dict[str, str]
) -> None:
    acme = await org_with_profile(client, inbox, "acme")
    other = await org_with_profile(client, inbox, "other")
    viewer = await join_org(client, inbox, acme.id, acme.owner, "viewer@acme.sg", "viewer")
    draft = (await client.post(ADMIN, json={"organizationId": acme.id, "lines": LINES}, headers=auth(staff))).json()
    hidden_draft = (
        await client.post(ADMIN, json={"organizationId": acme.id, "lines": LINES}, headers=auth(staff))
    ).json()
    invoice = (await client.post(f"{ADMIN}/{draft['id']}/finalize", headers=auth(staff))).json()
    note = (
        await client.post(
            f"{ADMIN}/{invoice['id']}/credit-notes",
            json={"amount": 500, "taxCategory": "ES33", "reason": "Typo"},
            headers=auth(staff),
        )
    ).json()
    base = f"/api/v1/orgs/{acme.id}"

    listed = await client.get(f"{base}/invoices", headers=auth(acme.member))
    assert listed.status_code == 200 and [i["id"] for i in listed.json()["items"]] == [invoice["id"]]
    assert (await client.get(f"{base}/invoices/{hidden_draft['id']}", headers=auth(acme.member))).status_code == 404
    detail = await client.get(f"{base}/invoices/{invoice['id']}", headers=auth(acme.member))
    assert detail.status_code == 200 and detail.json()["number"] == invoice["number"]
    # The gateway-tax check is staff's business: on their view, not on the tenant's.
    assert invoice["taxMismatch"] is False and "taxMismatch" not in detail.json()

    pdf = await client.get(f"{base}/invoices/{invoice['id']}/pdf", headers=auth(acme.member))
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    xml = await client.get(f"{base}/invoices/{invoice['id']}/einvoice", headers=auth(acme.member))
    assert xml.status_code == 200 and xml.headers["content-type"].startswith("application/xml")
    assert_valid(xml.content)
    assert invoice["number"].encode() in xml.content

    notes = await client.get(f"{base}/credit-notes", headers=auth(acme.member))
    assert [n["id"] for n in notes.json()["items"]] == [note["id"]]
    cn_xml = await client.get(f"{base}/credit-notes/{note['id']}/einvoice", headers=auth(acme.member))
    assert cn_xml.status_code == 200
    assert_valid(cn_xml.content)
    cn_pdf = await client.get(f"{base}/credit-notes/{note['id']}/pdf", headers=auth(acme.member))
    assert cn_pdf.status_code == 200 and cn_pdf.content.startswith(b"%PDF")

    assert (await client.get(f"{base}/invoices", headers=auth(viewer))).status_code == 403
    # Another organisation's member: this organisation is not theirs (404), and its ids are not
    # found through their own organisation either.
    assert (await client.get(f"{base}/invoices/{invoice['id']}", headers=auth(other.member))).status_code == 404
    theirs = f"/api/v1/orgs/{other.id}"
    for path in (
        f"{theirs}/invoices/{invoice['id']}",
        f"{theirs}/invoices/{invoice['id']}/pdf",
        f"{theirs}/invoices/{invoice['id']}/einvoice",
        f"{theirs}/credit-notes/{note['id']}",
        f"{theirs}/credit-notes/{note['id']}/pdf",
    ):
        assert (await client.get(path, headers=auth(other.member))).status_code == 404, path
    assert (await client.get(f"{theirs}/invoices", headers=auth(other.member))).json()["items"] == []


async def test_members_cannot_use_staff_routes_and_mass_assignment_is_refused(
    client: Client, inbox: Inbox, staff: dict[str, str]
) -> None:
    acme = await org_with_profile(client, inbox, "acme")
    body: dict[str, Any] = {"organizationId": acme.id, "lines": LINES}
    for user in (acme.member, acme.owner):
        assert (await client.post(ADMIN, json=body, headers=auth(user))).status_code == 403
        assert (await client.get(ADMIN, headers=auth(user))).status_code == 403
        assert (
            await client.get("/api/v1/admin/gst-report", params={"period": "2026Q3"}, headers=auth(user))
        ).status_code == 403
    assert (await client.post(ADMIN, json=body)).status_code == 401

    for extra in ({"status": "paid"}, {"number": "INV-2026-999999"}, {"taxMismatch": True}):
        refused = await client.post(ADMIN, json={**body, **extra}, headers=auth(staff))
        assert refused.status_code == 422, refused.text
    draft = (await client.post(ADMIN, json=body, headers=auth(staff))).json()
    for extra in ({"organizationId": acme.id}, {"status": "paid"}, {"source": "stripe"}):
        refused = await client.patch(f"{ADMIN}/{draft['id']}", json=extra, headers=auth(staff))
        assert refused.status_code == 422, refused.text
    # Mark-paid is not a back door to a paid draft.
    paid = await client.post(
        f"{ADMIN}/{draft['id']}/mark-paid", json={"paidAt": draft["createdAt"], "method": "paynow"}, headers=auth(staff)
    )
    assert paid.status_code == 409
    assert (await client.get(f"{ADMIN}/{draft['id']}", headers=auth(staff))).json()["status"] == "draft"


async def test_tax_rules_refused_with_a_422(client: Client, inbox: Inbox, staff: dict[str, str]) -> None:
    acme = await org_with_profile(client, inbox, "acme")
    zero = {"organizationId": acme.id, "lines": [{"description": "Support", "unitAmount": 100, "taxCategory": "ZR"}]}
    refused = await client.post(ADMIN, json=zero, headers=auth(staff))
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "lines.0.taxCategory"
    ng = {**zero, "lines": [{"description": "x", "unitAmount": 100, "taxCategory": "NG"}]}
    assert (await client.post(ADMIN, json=ng, headers=auth(staff))).status_code == 422

    overseas = await org_with_profile(
        client, inbox, "abroad", address={"lines": ["1 George St"], "postalCode": "2000", "country": "AU"},
        uen=None, gstRegistrationNumber=None, overseasEvidence={"country": "AU", "establishedBy": "billing_address"},
    )  # fmt: skip
    usd = {
        "organizationId": overseas.id,
        "currency": "USD",
        "lines": [{"description": "Remote support", "unitAmount": 50_000, "taxCategory": "ZR"}],
    }
    draft = await client.post(ADMIN, json=usd, headers=auth(staff))
    assert draft.status_code == 201, draft.text
    no_rate = await client.post(f"{ADMIN}/{draft.json()['id']}/finalize", headers=auth(staff))
    assert no_rate.status_code == 422 and no_rate.json()["errors"][0]["field"] == "exchangeRate"
    await client.patch(f"{ADMIN}/{draft.json()['id']}", json={"exchangeRate": "1.3400"}, headers=auth(staff))
    final = await client.post(f"{ADMIN}/{draft.json()['id']}/finalize", headers=auth(staff))
    assert final.status_code == 200, final.text
    assert final.json()["sgdTotals"] == {
        "exchangeRate": "1.3400",
        "totalExcludingGst": 67_000,
        "gstAmount": 0,
        "totalIncludingGst": 67_000,
    }
    unknown = await client.get(f"{ADMIN}/01900000-0000-7000-8000-000000000000", headers=auth(staff))
    assert unknown.status_code == 404
    no_period = await client.get("/api/v1/admin/gst-report", headers=auth(staff))
    assert no_period.status_code == 422
