"""The local gateway's checkout page (development and tests only, never mounted in production).

`GET /dev/checkout/{sessionId}` shows the plan and price with Pay and Cancel buttons. Pay
creates the subscription and its paid invoice at the local gateway and feeds the subscription
snapshot through `sync_subscription`, the path Stripe's events take; both buttons then send
the browser back to the app, as Stripe Checkout does.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from typing import Any
from urllib.parse import urlsplit

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Response
from sqlalchemy.ext.asyncio import AsyncSession

from nexuscore.kernel.errors import NotFound
from nexuscore.subscriptions.adapters.http.dependencies import subscriptions_state
from nexuscore.subscriptions.adapters.sql.unit_of_work import SqlSubscriptionsUnitOfWork
from nexuscore.subscriptions.application.sync import sync_subscription

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


def _buttons(session_id: str, status: str) -> str:
    if status != "open":
        return f"<p>This checkout session is {escape(status)}.</p>"
    sid = escape(session_id)
    return (
        f'<form method="post" enctype="multipart/form-data" action="/dev/checkout/{sid}/pay">{_CONFIRM}'
        '<button class="pay" type="submit">Pay</button></form>'
        f'<form method="post" enctype="multipart/form-data" action="/dev/checkout/{sid}/cancel">{_CONFIRM}'
        '<button class="cancel" type="submit">Cancel</button></form>'
    )


def _gateway(request: Request[Any, Any, Any]) -> Any:
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
    async def pay_dev_checkout(
        self, request: Request[Any, Any, Any], session_id: FromPath[str], db_session: NamedDependency[AsyncSession]
    ) -> Redirect:
        session, snapshot = await _gateway(request).complete_checkout(session_id)
        services = subscriptions_state(request).services
        await sync_subscription(SqlSubscriptionsUnitOfWork(db_session, services.clock), services, snapshot=snapshot)
        return Redirect(session["success_url"], status_code=303)

    @post("/{session_id:str}/cancel", status_code=303)
    async def cancel_dev_checkout(self, request: Request[Any, Any, Any], session_id: FromPath[str]) -> Redirect:
        session = await _gateway(request).expire_checkout(session_id)
        return Redirect(session["cancel_url"], status_code=303)
