"""The local gateway's checkout and portal pages (development and tests only, never mounted in
production).

`GET /dev/checkout/{sessionId}` shows the plan and price with a test card to choose and Pay
and Cancel buttons. Pay creates the subscription and its first invoice at the local gateway,
whose events reach the webhook inbox like Stripe's (processed by the worker); both buttons
send the browser back to the app, as Stripe Checkout does. `GET /dev/portal/{sessionId}` is
the customer portal's one control here: the card future charges use (a declining card makes
the next renewal fail: `past_due`; a good one pays the open invoice at the next tick).
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from typing import Any
from urllib.parse import urlsplit

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Response

from nexuscore.kernel.errors import NotFound
from nexuscore.subscriptions.adapters.gateways.local import GOOD_CARD, TEST_CARDS, LocalPaymentGateway
from nexuscore.subscriptions.adapters.http.dependencies import subscriptions_state

_STYLE = """
body { font-family: system-ui, sans-serif; background: #f6f7f9;
       display: flex; justify-content: center; padding: 4rem 1rem; }
main { background: #fff; border-radius: 12px; box-shadow: 0 2px 12px #0002; padding: 2rem; width: 24rem; }
.banner { background: #fff4d6; color: #7a5a00; border-radius: 6px; padding: .5rem .75rem; font-size: .85rem; }
.price { font-size: 2rem; font-weight: 600; margin: .25rem 0; }
.muted { color: #667; font-size: .9rem; }
form { display: inline; }
button { font-size: 1rem; padding: .6rem 1.4rem; border-radius: 6px; border: 0; cursor: pointer;
         margin-right: .5rem; }
.pay { background: #3355ff; color: #fff; } .cancel { background: #e6e8ee; color: #223; }
"""
# The API's policy refuses inline styles; this page allows exactly its own (by hash) and form
# posts to itself and to the app it returns to.
_STYLE_HASH = base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode()

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>NexusCore test checkout</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{style}</style></head>
<body><main>
<p class="banner">Local test gateway: no card is charged.</p>
<h1>{plan}</h1>
<p class="price">S${amount} <span class="muted">/ {interval}</span></p>
<p class="muted">GST-exclusive. {trial}</p>
<p class="muted">Session {session_id} &middot; {status}</p>
{buttons}
</main></body></html>
"""


# The API takes JSON or multipart bodies only (415 otherwise), so the forms post multipart.
_CONFIRM = '<input type="hidden" name="confirm" value="yes">'


def _cards(selected: str) -> str:
    options = "".join(
        f'<option value="{escape(k)}"{" selected" if k == selected else ""}>{escape(v)}</option>'
        for k, v in TEST_CARDS.items()
    )
    return f'<p><label>Test card <select name="card">{options}</select></label></p>'


def _buttons(session_id: str, status: str) -> str:
    if status != "open":
        return f"<p>This checkout session is {escape(status)}.</p>"
    sid = escape(session_id)
    return (
        f'<form method="post" enctype="multipart/form-data" action="/dev/checkout/{sid}/pay">{_CONFIRM}'
        f'{_cards(GOOD_CARD)}<button class="pay" type="submit">Pay</button></form>'
        f'<form method="post" enctype="multipart/form-data" action="/dev/checkout/{sid}/cancel">{_CONFIRM}'
        '<button class="cancel" type="submit">Cancel</button></form>'
    )


def _gateway(request: Request[Any, Any, Any]) -> LocalPaymentGateway:
    gateway = subscriptions_state(request).local_gateway
    if gateway is None:
        raise NotFound("The local gateway is not in use.")
    return gateway


class DevCheckoutController(Controller):
    path = "/dev/checkout"
    include_in_schema = False

    @get("/{session_id:str}", media_type="text/html")
    async def show_dev_checkout(self, request: Request[Any, Any, Any], session_id: FromPath[str]) -> Response[str]:
        session = await _gateway(request).checkout_session(session_id)
        price = session["line_items"][0]
        trial = session["subscription_data"].get("trial_period_days")
        page = _PAGE.format(
            plan=escape(price["lookup_key"].rpartition("_")[0].title()),
            amount=f"{price['unit_amount'] / 100:,.2f}",
            interval=escape(price["recurring"]["interval"]),
            trial=f"{int(trial)}-day free trial, then billed each {escape(price['recurring']['interval'])}."
            if trial
            else "",
            session_id=escape(session_id),
            status=escape(session["status"]),
            buttons=_buttons(session_id, session["status"]),
            style=_STYLE,
        )
        back = {f"{u.scheme}://{u.netloc}" for u in map(urlsplit, (session["success_url"], session["cancel_url"]))}
        policy = (
            f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; "
            f"form-action 'self' {' '.join(sorted(back))}; frame-ancestors 'none'"
        )
        return Response(
            page, media_type="text/html", headers={"Cache-Control": "no-store", "Content-Security-Policy": policy}
        )

    @post("/{session_id:str}/pay", status_code=303)
    async def pay_dev_checkout(self, request: Request[Any, Any, Any], session_id: FromPath[str]) -> Redirect:
        form = await request.form()
        session, _ = await _gateway(request).complete_checkout(session_id, card=str(form.get("card") or GOOD_CARD))
        return Redirect(session["success_url"], status_code=303)

    @post("/{session_id:str}/cancel", status_code=303)
    async def cancel_dev_checkout(self, request: Request[Any, Any, Any], session_id: FromPath[str]) -> Redirect:
        session = await _gateway(request).expire_checkout(session_id)
        return Redirect(session["cancel_url"], status_code=303)


_PORTAL = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>NexusCore test billing portal</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{style}</style></head>
<body><main>
<p class="banner">Local test gateway: no card is charged.</p>
<h1>Billing portal</h1>
<p class="muted">Customer {customer} &middot; card {card}</p>
<form method="post" enctype="multipart/form-data" action="/dev/portal/{session_id}/card">{confirm}{cards}
<button class="pay" type="submit">Use this card</button></form>
<form method="get" action="{back}"><button class="cancel" type="submit">Back</button></form>
</main></body></html>
"""


class DevPortalController(Controller):
    path = "/dev/portal"
    include_in_schema = False

    @get("/{session_id:str}", media_type="text/html")
    async def show_dev_portal(self, request: Request[Any, Any, Any], session_id: FromPath[str]) -> Response[str]:
        gateway = _gateway(request)
        portal = await gateway.portal_session(session_id)
        customer = await gateway.store.get(portal["customer"]) or {}
        card = (customer.get("invoice_settings") or {}).get("default_payment_method") or GOOD_CARD
        back = urlsplit(portal["return_url"])
        page = _PORTAL.format(
            style=_STYLE,
            customer=escape(portal["customer"]),
            card=escape(TEST_CARDS.get(card, card)),
            session_id=escape(session_id),
            confirm=_CONFIRM,
            cards=_cards(card),
            back=escape(portal["return_url"]),
        )
        policy = (
            f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; "
            f"form-action 'self' {back.scheme}://{back.netloc}; frame-ancestors 'none'"
        )
        return Response(
            page, media_type="text/html", headers={"Cache-Control": "no-store", "Content-Security-Policy": policy}
        )

    @post("/{session_id:str}/card", status_code=303)
    async def set_dev_portal_card(self, request: Request[Any, Any, Any], session_id: FromPath[str]) -> Redirect:
        gateway = _gateway(request)
        portal = await gateway.portal_session(session_id)
        form = await request.form()
        await gateway.set_card(portal["customer"], str(form.get("card") or GOOD_CARD))
        return Redirect(f"/dev/portal/{session_id}", status_code=303)
