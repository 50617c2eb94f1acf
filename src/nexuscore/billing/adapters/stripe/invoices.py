"""Stripe's `invoice` and `credit_note` objects read into billing's gateway documents.

Tolerant of the documented shape across API versions: `subscription` (older) or
`parent.subscription_details.subscription` (2025+); the organisation from the invoice's
metadata, `subscription_details.metadata` or `parent.subscription_details.metadata`; lines'
`amount` excluding tax with `quantity`, `description` and `period`; `tax` or the sum of
`total_taxes` / `total_tax_amounts`; `status_transitions.finalized_at` / `paid_at` /
`voided_at`; the charge as `charge` (older) or the payment intent's `latest_charge`, plain ids
or expanded objects. Anything else in the object is ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from nexuscore.billing.ports.gateway import (
    GatewayCreditNote,
    GatewayInvoice,
    GatewayInvoiceLine,
    UnreadableGatewayDocument,
)

STRIPE = "stripe"
ORG_METADATA_KEY = "organization_id"
MAX_LINES = 100


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _id(value: Any) -> str | None:
    """A plain id, or the id of an expanded object."""
    if isinstance(value, Mapping):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _time(value: Any) -> datetime | None:
    seconds = _int(value)
    return datetime.fromtimestamp(seconds, UTC) if seconds is not None and 0 <= seconds < 2**40 else None


def _organization(*metadata: Any) -> UUID | None:
    for found in metadata:
        raw = _map(found).get(ORG_METADATA_KEY)
        if isinstance(raw, str):
            try:
                return UUID(raw)
            except ValueError:
                continue
    return None


def _tax(obj: Mapping[str, Any]) -> int | None:
    tax = _int(obj.get("tax"))
    if tax is not None:
        return tax
    for key in ("total_taxes", "total_tax_amounts"):
        amounts = obj.get(key)
        if isinstance(amounts, list) and amounts:
            return sum(_int(_map(a).get("amount")) or 0 for a in amounts)
    return None


def _lines(obj: Mapping[str, Any]) -> tuple[GatewayInvoiceLine, ...]:
    data = _map(obj.get("lines")).get("data")
    if not isinstance(data, list) or len(data) > MAX_LINES:
        raise UnreadableGatewayDocument("the invoice's lines are missing or too many")
    lines = []
    for raw in data:
        line = _map(raw)
        amount = _int(line.get("amount"))
        if amount is None or amount < 0:
            raise UnreadableGatewayDocument("an invoice line has no amount")
        quantity = _int(line.get("quantity"))
        description = line.get("description")
        if not isinstance(description, str) or not description.strip():
            plan = _map(line.get("plan")) or _map(line.get("price"))
            nickname = plan.get("nickname") or plan.get("id")
            description = f"Subscription {nickname}" if isinstance(nickname, str) else "Subscription"
        period = _map(line.get("period"))
        lines.append(
            GatewayInvoiceLine(
                description=description.strip()[:500],
                quantity=quantity if quantity is not None and quantity > 0 else 1,
                amount=amount,
                period_start=_time(period.get("start")),
                period_end=_time(period.get("end")),
            )
        )
    return tuple(lines)


def _currency(obj: Mapping[str, Any]) -> str:
    currency = obj.get("currency")
    if not isinstance(currency, str) or len(currency) != 3 or not currency.isascii() or not currency.isalpha():
        raise UnreadableGatewayDocument("the document has no ISO currency")
    return currency.upper()


def stripe_invoice(obj: Mapping[str, Any]) -> GatewayInvoice:
    if obj.get("object", "invoice") != "invoice":
        raise UnreadableGatewayDocument("not an invoice object")
    invoice_id, customer_id = _id(obj.get("id")), _id(obj.get("customer"))
    if invoice_id is None or customer_id is None:
        raise UnreadableGatewayDocument("the invoice names no id or no customer")
    total, created = _int(obj.get("total")), _time(obj.get("created"))
    if total is None or created is None:
        raise UnreadableGatewayDocument("the invoice has no total or no creation time")
    status = obj.get("status")
    parent = _map(_map(obj.get("parent")).get("subscription_details"))
    details = _map(obj.get("subscription_details"))
    transitions = _map(obj.get("status_transitions"))
    payment_intent = _map(obj.get("payment_intent"))
    charge = _id(obj.get("charge")) or _id(payment_intent.get("latest_charge"))
    return GatewayInvoice(
        provider=STRIPE,
        invoice_id=invoice_id,
        customer_id=customer_id,
        status=status if isinstance(status, str) else "draft",
        currency=_currency(obj),
        lines=_lines(obj),
        total=total,
        created=created,
        tax=_tax(obj),
        total_excluding_tax=_int(obj.get("total_excluding_tax")),
        subscription_id=_id(obj.get("subscription")) or _id(parent.get("subscription")),
        organization_id=_organization(
            obj.get("metadata"),
            details.get("metadata"),
            parent.get("metadata"),
            _map(obj.get("customer")).get("metadata"),
        ),
        finalized_at=_time(transitions.get("finalized_at")),
        paid_at=_time(transitions.get("paid_at")),
        voided_at=_time(transitions.get("voided_at")),
        charge_id=charge,
    )


def stripe_credit_note(obj: Mapping[str, Any]) -> GatewayCreditNote:
    if obj.get("object", "credit_note") != "credit_note":
        raise UnreadableGatewayDocument("not a credit note object")
    note_id, invoice_id, created = _id(obj.get("id")), _id(obj.get("invoice")), _time(obj.get("created"))
    if note_id is None or invoice_id is None or created is None:
        raise UnreadableGatewayDocument("the credit note names no id, invoice or creation time")
    amount = next(
        (
            v
            for v in (_int(obj.get(k)) for k in ("subtotal_excluding_tax", "total_excluding_tax", "subtotal"))
            if v is not None
        ),
        None,
    )
    if amount is None:
        lines = _map(obj.get("lines")).get("data")
        amounts = [_int(_map(line).get("amount")) for line in lines] if isinstance(lines, list) else []
        if not amounts or any(a is None for a in amounts):
            raise UnreadableGatewayDocument("the credit note has no amount before tax")
        amount = sum(a for a in amounts if a is not None)
    if amount <= 0:
        raise UnreadableGatewayDocument("the credit note credits nothing")
    memo, reason = obj.get("memo"), obj.get("reason")
    text = next((t.strip() for t in (memo, reason) if isinstance(t, str) and t.strip()), "credited at the gateway")
    return GatewayCreditNote(
        provider=STRIPE,
        credit_note_id=note_id,
        invoice_id=invoice_id,
        currency=_currency(obj),
        amount_excluding_tax=amount,
        reason=text.replace("_", " ")[:500],
        created=created,
    )


def stripe_organization(customer: Mapping[str, Any]) -> UUID | None:
    return _organization(customer.get("metadata"))
