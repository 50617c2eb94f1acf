"""A small stand-in for what localstripe lacks, in front of it (test-only, its own process).

    python -m tests.integration.subscriptions.stripe_standin --port 8432 --upstream http://127.0.0.1:8431

- Checkout Sessions (`POST /v1/checkout/sessions`), completed by `POST /_standin/checkout/{id}/pay`,
  which gives the customer a test card and creates the subscription at localstripe as Stripe
  Checkout would (with the session's metadata and trial).
- Billing portal sessions (`POST /v1/billing_portal/sessions`).
- Singapore tax ids (`sg_uen`, `sg_gst`: localstripe knows four other types).
- Idempotency keys, Stripe's way: a repeated key with the same parameters replays the first
  answer, with other parameters is a 400 `idempotency_error`.
- Prices: subscription items and previews name a `price`; localstripe wants the plan's id
  (a Stripe plan id is a price id) and `prorate` for `proration_behavior`.
- Settlement in SGD: localstripe's balance transactions keep the charge's currency at rate 1.0;
  after `POST /_standin/exchange_rates` (`{"usd": "1.3412"}`, SGD per unit) a balance
  transaction of a charge in that currency reads as Stripe's would for an SGD account:
  `currency` sgd, `exchange_rate` the rate, `amount` converted.
Everything else is forwarded to localstripe unchanged.
"""

from __future__ import annotations

import argparse
import json
import secrets
import time
from typing import Any
from urllib.parse import parse_qsl, urlencode

from aiohttp import ClientSession, web

UPSTREAM = web.AppKey("upstream", str)
STATE = web.AppKey("state", dict)


def _id(prefix: str) -> str:
    return f"{prefix}_test_{secrets.token_hex(8)}"


def _form(body: bytes) -> list[tuple[str, str]]:
    return parse_qsl(body.decode(), keep_blank_values=True)


def _field(pairs: list[tuple[str, str]], key: str) -> str | None:
    return next((v for k, v in pairs if k == key), None)


def _error(status: int, kind: str, message: str, code: str | None = None) -> web.Response:
    body = {"error": {"type": kind, "message": message, **({"code": code} if code else {})}}
    return web.json_response(body, status=status)


async def _forward(request: web.Request, body: bytes, path: str | None = None) -> tuple[int, bytes]:
    url = request.app[UPSTREAM] + (path or request.path_qs)
    headers = {
        k: v for k, v in request.headers.items() if k.lower() in ("authorization", "content-type", "stripe-version")
    }
    async with ClientSession() as http, http.request(request.method, url, data=body, headers=headers) as resp:
        return resp.status, await resp.read()


async def _upstream_post(request: web.Request, path: str, pairs: list[tuple[str, str]]) -> dict[str, Any]:
    url = request.app[UPSTREAM] + path
    headers = {
        "Authorization": request.headers.get("Authorization", "Bearer sk_test_standin"),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    async with ClientSession() as http, http.post(url, data=urlencode(pairs), headers=headers) as resp:
        data: dict[str, Any] = await resp.json()
        if resp.status >= 400:
            raise web.HTTPBadRequest(text=json.dumps(data), content_type="application/json")
        return data


async def exchange_rates(request: web.Request) -> web.Response:
    rates: dict[str, str] = request.app[STATE]["exchange_rates"]
    rates.update({k.lower(): str(v) for k, v in (await request.json()).items()})
    return web.json_response(rates)


def _settled_in_sgd(request: web.Request, answer: bytes) -> bytes:
    txn = json.loads(answer)
    rate = request.app[STATE]["exchange_rates"].get(str(txn.get("currency", "")).lower())
    if rate is None:
        return answer
    converted = round(float(txn["amount"]) * float(rate))
    txn.update(currency="sgd", exchange_rate=float(rate), amount=converted, net=converted - int(txn.get("fee") or 0))
    return json.dumps(txn).encode()


def _translate(path: str, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out = []
    for key, value in pairs:
        if key.endswith("[price]") and ("/v1/subscriptions" in path or "create_preview" in path):
            key = key[: -len("[price]")] + "[plan]"
        if key == "proration_behavior":
            key, value = "prorate", "false" if value == "none" else "true"
        out.append((key, value))
    return out


async def checkout_create(request: web.Request, pairs: list[tuple[str, str]]) -> web.Response:
    sid = _id("cs")
    session = {
        "id": sid,
        "object": "checkout.session",
        "mode": _field(pairs, "mode"),
        "status": "open",
        "customer": _field(pairs, "customer"),
        "client_reference_id": _field(pairs, "client_reference_id"),
        "url": f"http://{request.host}/_standin/checkout/{sid}",
        "success_url": _field(pairs, "success_url"),
        "cancel_url": _field(pairs, "cancel_url"),
        "price": _field(pairs, "line_items[0][price]"),
        "metadata": {
            k[len("subscription_data[metadata][") : -1]: v
            for k, v in pairs
            if k.startswith("subscription_data[metadata][")
        },
        "trial_period_days": _field(pairs, "subscription_data[trial_period_days]"),
        "subscription": None,
        "created": int(time.time()),
    }
    request.app[STATE]["sessions"][sid] = session
    return web.json_response(session)


async def checkout_pay(request: web.Request) -> web.Response:
    session = request.app[STATE]["sessions"].get(request.match_info["id"])
    if session is None or session["status"] != "open":
        return _error(404, "invalid_request_error", "No open session.")
    customer = session["customer"]
    card = [
        ("card[number]", "4242424242424242"),
        ("card[exp_month]", "12"),
        ("card[exp_year]", "2040"),
        ("card[cvc]", "123"),
    ]
    token = await _upstream_post(request, "/v1/tokens", card)
    await _upstream_post(request, f"/v1/customers/{customer}/sources", [("source", token["id"])])
    pairs = [("customer", customer), ("items[0][plan]", session["price"])]
    pairs += [(f"metadata[{k}]", v) for k, v in session["metadata"].items()]
    if session["trial_period_days"]:
        pairs.append(("trial_period_days", session["trial_period_days"]))
    subscription = await _upstream_post(request, "/v1/subscriptions", pairs)
    session.update(status="complete", subscription=subscription["id"])
    return web.json_response({"session": session, "subscription": subscription})


async def portal_create(request: web.Request, pairs: list[tuple[str, str]]) -> web.Response:
    pid = _id("bps")
    url = f"http://{request.host}/_standin/portal/{pid}"
    return web.json_response(
        {"id": pid, "object": "billing_portal.session", "customer": _field(pairs, "customer"), "url": url}
    )


async def tax_ids(request: web.Request, pairs: list[tuple[str, str]]) -> web.Response:
    store: dict[str, list[dict[str, Any]]] = request.app[STATE]["tax_ids"]
    customer = request.match_info["customer"]
    found = store.setdefault(customer, [])
    if request.method == "GET":
        return web.json_response({"object": "list", "data": found, "has_more": False, "url": request.path})
    if request.method == "DELETE":
        tax_id = request.match_info.get("tax_id")
        store[customer] = [t for t in found if t["id"] != tax_id]
        return web.json_response({"id": tax_id, "object": "tax_id", "deleted": True})
    kind, value = _field(pairs, "type"), _field(pairs, "value")
    if kind not in ("sg_uen", "sg_gst") or not value:
        return _error(400, "invalid_request_error", "Invalid tax id.", "tax_id_invalid")
    tax = {"id": _id("txi"), "object": "tax_id", "customer": customer, "type": kind, "value": value}
    found.append(tax)
    return web.json_response(tax)


async def handle(request: web.Request) -> web.StreamResponse:
    body = await request.read()
    pairs = _form(body)
    key = request.headers.get("Idempotency-Key")
    replays: dict[str, tuple[list[tuple[str, str]], int, bytes]] = request.app[STATE]["idempotency"]
    scoped = f"{request.method} {key}" if key else None
    if scoped and scoped in replays:
        seen, status, answer = replays[scoped]
        if sorted(seen) != sorted(pairs):
            return _error(
                400, "idempotency_error", "Keys for idempotent requests can only be used with the same parameters."
            )
        return web.Response(
            body=answer, status=status, content_type="application/json", headers={"Idempotent-Replayed": "true"}
        )
    path = request.path
    response: web.Response
    if path == "/v1/checkout/sessions" and request.method == "POST":
        response = await checkout_create(request, pairs)
    elif path == "/v1/billing_portal/sessions" and request.method == "POST":
        response = await portal_create(request, pairs)
    elif path.startswith("/v1/customers/") and "/tax_ids" in path:
        response = await tax_ids(request, pairs)
    else:
        translated = urlencode(_translate(path, pairs)).encode() if request.method == "POST" else body
        status, answer = await _forward(request, translated)
        if status == 200 and request.method == "GET" and path.startswith("/v1/balance_transactions/"):
            answer = _settled_in_sgd(request, answer)
        response = web.Response(body=answer, status=status, content_type="application/json")
    if scoped and request.method == "POST" and response.status < 500:
        assert isinstance(response.body, bytes)
        replays[scoped] = (pairs, response.status, response.body)
    return response


def make_app(upstream: str) -> web.Application:
    app = web.Application()
    app[UPSTREAM] = upstream.rstrip("/")
    app[STATE] = {"sessions": {}, "tax_ids": {}, "idempotency": {}, "exchange_rates": {}}
    app.router.add_post("/_standin/checkout/{id}/pay", checkout_pay)
    app.router.add_post("/_standin/exchange_rates", exchange_rates)
    app.router.add_route("*", "/v1/customers/{customer}/tax_ids/{tax_id}", handle)
    app.router.add_route("*", "/v1/customers/{customer}/tax_ids", handle)
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--upstream", required=True)
    args = parser.parse_args()
    web.run_app(make_app(args.upstream), host="127.0.0.1", port=args.port, print=None)
