"""A small stand-in for what localstripe lacks, in front of it (test-only, its own process).

    python -m tests.integration.subscriptions.stripe_standin --port 8432 --upstream http://127.0.0.1:8431

- Checkout Sessions (`POST /v1/checkout/sessions`), completed by `POST /_standin/checkout/{id}/pay`,
  which gives the customer a test card and creates the subscription at localstripe as Stripe
  Checkout would (with the session's metadata and trial).
- Billing portal sessions (`POST /v1/billing_portal/sessions`).
- Singapore tax ids (`sg_uen`, `sg_gst`: localstripe knows four other types), also in a
  customer retrieved with `expand[]=tax_ids`.
- Idempotency keys, Stripe's way: a repeated key with the same parameters replays the first
  answer, with other parameters is a 400 `idempotency_error`.
- Subscription schedules (`/v1/subscription_schedules`: create `from_subscription`, update
  phases, retrieve, release), in Stripe's object shape; a subscription a schedule manages
  names it in `schedule`. Stripe moves to the next phase at its start date;
  `POST /_standin/subscription_schedules/{id}/advance` is that moment here (the next phase's
  items, proration and metadata applied to the subscription at localstripe).
- Subscription metadata updates (localstripe keeps only the metadata a subscription is created
  with): kept here and merged into every subscription answered, an empty value unsetting a key
  as at Stripe.
- Prices (`/v1/prices`: create, list by `lookup_keys[]`/`active`/`product`, retrieve, update
  of `active`, `metadata`, `nickname` and `lookup_key` only, the amount immutable), kept here
  in Stripe's object shape. A lookup key names one price at a time: taking one that another
  price holds is a 400 unless `transfer_lookup_key=true`, which moves it. localstripe has no
  prices, so each recurring price is also made there as a plan of the same id (at Stripe a
  recurring price is a plan, same id); subscription items name that plan and are answered
  with the price (`items.data[].price`) as Stripe does. An archived price (`active=false`) is
  refused for new checkouts and subscription items, as at Stripe.
- Subscription items and previews name a `price`; localstripe wants the plan's id and
  `prorate` for `proration_behavior`.
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


def _bool(value: str | None) -> bool | None:
    return None if value is None else value.lower() == "true"


def _metadata(pairs: list[tuple[str, str]]) -> dict[str, str]:
    return {k[len("metadata[") : -1]: v for k, v in pairs if k.startswith("metadata[") and k.endswith("]")}


def _price_holding(request: web.Request, key: str) -> dict[str, Any] | None:
    prices: dict[str, dict[str, Any]] = request.app[STATE]["prices"]
    return next((p for p in prices.values() if p["lookup_key"] == key), None)


def _claim_lookup_key(request: web.Request, price_id: str, key: str | None, transfer: bool) -> web.Response | None:
    """Stripe's rule: one price per lookup key; `transfer_lookup_key` takes it from the holder."""
    if not key:
        return None
    if len(key) > 200:
        return _error(400, "invalid_request_error", "lookup_key: at most 200 characters.", "parameter_invalid_string")
    holder = _price_holding(request, key)
    if holder is None or holder["id"] == price_id:
        return None
    if not transfer:
        return _error(
            400, "invalid_request_error", f"A price (`{holder['id']}`) already uses that lookup key.", "parameter"
        )
    holder["lookup_key"] = None
    return None


_PRICE_CREATE = {"product", "currency", "unit_amount", "recurring[interval]", "recurring[interval_count]"}
_PRICE_CREATE |= {"lookup_key", "transfer_lookup_key", "active", "nickname"}
_PRICE_UPDATE = {"active", "lookup_key", "transfer_lookup_key", "nickname"}


def _unknown(pairs: list[tuple[str, str]], allowed: set[str]) -> web.Response | None:
    for key, _ in pairs:
        if key not in allowed and not key.startswith("metadata[") and not key.startswith("expand"):
            name = key.partition("[")[0]
            return _error(400, "invalid_request_error", f"Received unknown parameter: {name}", "parameter_unknown")
    return None


async def price_create(request: web.Request, pairs: list[tuple[str, str]]) -> web.Response:
    refused = _unknown(pairs, _PRICE_CREATE)
    if refused:
        return refused
    product, currency = _field(pairs, "product"), (_field(pairs, "currency") or "").lower()
    amount, interval = _field(pairs, "unit_amount"), _field(pairs, "recurring[interval]")
    if not product or not currency:
        return _error(400, "invalid_request_error", "Missing required param: product or currency.", "parameter_missing")
    if amount is None or not amount.isdigit():
        return _error(400, "invalid_request_error", "unit_amount: a non-negative integer.", "parameter_invalid_integer")
    if interval not in _DAYS:
        # Only recurring prices: what the catalogue sells, and what localstripe can back with a plan.
        return _error(400, "invalid_request_error", "The stand-in makes recurring prices only.", "parameter_missing")
    try:
        await _upstream_get(request, f"/v1/products/{product}")
    except web.HTTPNotFound:
        return _error(400, "invalid_request_error", f"No such product: '{product}'", "resource_missing")
    pid = _id("price")
    key = _field(pairs, "lookup_key") or None
    refused = _claim_lookup_key(request, pid, key, bool(_bool(_field(pairs, "transfer_lookup_key"))))
    if refused:
        return refused
    count = int(_field(pairs, "recurring[interval_count]") or 1)
    metadata = _metadata(pairs)
    backing = [("id", pid), ("product", product), ("amount", amount), ("currency", currency)]
    backing += [("interval", interval), ("interval_count", str(count))]
    backing += [(f"metadata[{k}]", v) for k, v in metadata.items()]
    await _upstream_post(request, "/v1/plans", backing)
    price = {
        "id": pid,
        "object": "price",
        "active": _bool(_field(pairs, "active")) is not False,
        "billing_scheme": "per_unit",
        "created": int(time.time()),
        "currency": currency,
        "livemode": False,
        "lookup_key": key,
        "metadata": metadata,
        "nickname": _field(pairs, "nickname"),
        "product": product,
        "recurring": {
            "interval": interval,
            "interval_count": count,
            "usage_type": "licensed",
            "trial_period_days": None,
            "meter": None,
        },
        "tax_behavior": "unspecified",
        "tiers_mode": None,
        "transform_quantity": None,
        "type": "recurring",
        "unit_amount": int(amount),
        "unit_amount_decimal": amount,
    }
    request.app[STATE]["prices"][pid] = price
    return web.json_response(price)


def _no_price(pid: str) -> web.Response:
    return _error(404, "invalid_request_error", f"No such price: '{pid}'", "resource_missing")


async def price_update(request: web.Request, pid: str, pairs: list[tuple[str, str]]) -> web.Response:
    price: dict[str, Any] | None = request.app[STATE]["prices"].get(pid)
    if price is None:
        return _no_price(pid)
    if request.method == "GET":
        return web.json_response(price)
    refused = _unknown(pairs, _PRICE_UPDATE)
    if refused:
        return refused
    if _field(pairs, "lookup_key") is not None:
        key = _field(pairs, "lookup_key") or None
        refused = _claim_lookup_key(request, pid, key, bool(_bool(_field(pairs, "transfer_lookup_key"))))
        if refused:
            return refused
        price["lookup_key"] = key
    if _field(pairs, "active") is not None:
        price["active"] = bool(_bool(_field(pairs, "active")))
    if _field(pairs, "nickname") is not None:
        price["nickname"] = _field(pairs, "nickname") or None
    merged = {**price["metadata"], **_metadata(pairs)}
    price["metadata"] = {k: v for k, v in merged.items() if v != ""}
    return web.json_response(price)


async def price_list(request: web.Request) -> web.Response:
    query = parse_qsl(request.query_string, keep_blank_values=True)
    keys = {v for k, v in query if k.startswith("lookup_keys[")}
    if len(keys) > 10:
        return _error(400, "invalid_request_error", "lookup_keys: at most 10.", "parameter_invalid_array")
    active, product = _bool(_field(query, "active")), _field(query, "product")
    currency = (_field(query, "currency") or "").lower()
    found = [
        p
        for p in request.app[STATE]["prices"].values()
        if (not keys or p["lookup_key"] in keys)
        and (active is None or p["active"] is active)
        and (not product or p["product"] == product)
        and (not currency or p["currency"] == currency)
    ]
    found.sort(key=lambda p: p["created"], reverse=True)  # Stripe lists newest first
    limit = int(_field(query, "limit") or 10)
    data = found[:limit]
    return web.json_response({"object": "list", "data": data, "has_more": len(found) > limit, "url": "/v1/prices"})


def _inactive_price(request: web.Request, pairs: list[tuple[str, str]]) -> web.Response | None:
    prices: dict[str, dict[str, Any]] = request.app[STATE]["prices"]
    for key, value in pairs:
        if key.endswith("[price]") and value in prices and not prices[value]["active"]:
            return _error(
                400,
                "invalid_request_error",
                "The price specified is inactive. This field only accepts active prices.",
            )
    return None


async def checkout_create(request: web.Request, pairs: list[tuple[str, str]]) -> web.Response:
    refused = _inactive_price(request, pairs)
    if refused:
        return refused
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
    subscription = _completed(request, await _upstream_post(request, "/v1/subscriptions", pairs))
    session.update(status="complete", subscription=subscription["id"])
    return web.json_response({"session": session, "subscription": subscription})


def _nested(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's form encoding (`phases[0][items][0][price]=x`) back to nested objects; a key
    whose children are all indices becomes a list."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        head, _, rest = key.partition("[")
        parts = [head] + [p.rstrip("]") for p in rest.split("[")] if rest else [head]
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value

    def listify(node: Any) -> Any:
        if not isinstance(node, dict):
            return node
        node = {k: listify(v) for k, v in node.items()}
        if node and all(k.isdigit() for k in node):
            return [node[k] for k in sorted(node, key=int)]
        return node

    result: dict[str, Any] = listify(root)
    return result


def _int(value: Any) -> int | None:
    return None if value in (None, "") else int(value)


async def _upstream_get(request: web.Request, path: str) -> dict[str, Any]:
    headers = {"Authorization": request.headers.get("Authorization", "Bearer sk_test_standin")}
    async with ClientSession() as http, http.get(request.app[UPSTREAM] + path, headers=headers) as resp:
        data: dict[str, Any] = await resp.json()
        if resp.status >= 400:
            raise web.HTTPNotFound(text=json.dumps(data), content_type="application/json")
        return data


def _price_of(item: dict[str, Any]) -> str:
    price = item.get("price") or item.get("plan") or {}
    return str(price["id"] if isinstance(price, dict) else price)


def _phase(raw: dict[str, Any], start: int | None, end: int | None) -> dict[str, Any]:
    items = raw.get("items") or []
    return {
        "start_date": start,
        "end_date": end,
        "items": [{"price": i.get("price") or i.get("plan"), "quantity": _int(i.get("quantity")) or 1} for i in items],
        "proration_behavior": raw.get("proration_behavior") or "create_prorations",
        "metadata": raw.get("metadata") or {},
        "trial_end": _int(raw.get("trial_end")),
    }


_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}


async def schedule_create(request: web.Request, pairs: list[tuple[str, str]]) -> web.Response:
    sub_id = _field(pairs, "from_subscription")
    if not sub_id:
        return _error(400, "invalid_request_error", "The stand-in makes schedules from_subscription only.")
    owners: dict[str, str] = request.app[STATE]["schedule_of"]
    if sub_id in owners:
        return _error(
            400,
            "invalid_request_error",
            f"You cannot migrate a subscription that is already attached to a schedule: `{owners[sub_id]}`.",
        )
    sub = await _upstream_get(request, f"/v1/subscriptions/{sub_id}")
    item = sub["items"]["data"][0]
    start = item.get("current_period_start") or sub.get("current_period_start")
    end = item.get("current_period_end") or sub.get("current_period_end")
    phase = {
        "start_date": start,
        "end_date": end,
        "items": [{"price": _price_of(item), "quantity": item.get("quantity") or 1}],
        "proration_behavior": "create_prorations",
        "metadata": {},
        "trial_end": None,
    }
    schedule = {
        "id": _id("sub_sched"),
        "object": "subscription_schedule",
        "customer": sub["customer"],
        "subscription": sub_id,
        "status": "active",
        "end_behavior": "release",
        "phases": [phase],
        "current_phase": {"start_date": start, "end_date": end},
        "created": int(time.time()),
        "canceled_at": None,
        "completed_at": None,
        "released_at": None,
        "released_subscription": None,
        "livemode": False,
        "metadata": {},
    }
    request.app[STATE]["schedules"][schedule["id"]] = schedule
    owners[sub_id] = schedule["id"]
    return web.json_response(schedule)


def _schedule(request: web.Request) -> dict[str, Any] | None:
    found: dict[str, Any] | None = request.app[STATE]["schedules"].get(request.match_info["id"])
    return found


async def schedule_update(request: web.Request, pairs: list[tuple[str, str]]) -> web.Response:
    schedule = _schedule(request)
    if schedule is None:
        return _error(404, "invalid_request_error", "No such subscription_schedule.")
    if request.method == "GET":
        return web.json_response(schedule)
    if schedule["status"] != "active":
        return _error(400, "invalid_request_error", f"The schedule is {schedule['status']}; it cannot be updated.")
    data = _nested(pairs)
    if "phases" in data:
        phases = []
        start = _int(data["phases"][0].get("start_date"))
        if start != schedule["current_phase"]["start_date"]:
            return _error(400, "invalid_request_error", "The current phase's start_date cannot change.", "parameter")
        for raw in data["phases"]:
            end = _int(raw.get("end_date"))
            duration = raw.get("duration")
            if end is None and duration:
                end = start + _DAYS[duration["interval"]] * 86_400 * int(duration.get("interval_count") or 1)
            if end is None or not raw.get("items"):
                return _error(400, "invalid_request_error", "Every phase needs items and an end.", "parameter")
            phases.append(_phase(raw, start, end))
            start = end
        schedule["phases"] = phases
    if data.get("end_behavior"):
        schedule["end_behavior"] = data["end_behavior"]
    return web.json_response(schedule)


async def schedule_release(request: web.Request, pairs: list[tuple[str, str]]) -> web.Response:
    schedule = _schedule(request)
    if schedule is None:
        return _error(404, "invalid_request_error", "No such subscription_schedule.")
    if schedule["status"] not in ("active", "not_started"):
        return _error(400, "invalid_request_error", f"The schedule is {schedule['status']}; it cannot be released.")
    schedule.update(
        status="released",
        released_at=int(time.time()),
        released_subscription=schedule["subscription"],
        subscription=None,
        current_phase=None,
    )
    request.app[STATE]["schedule_of"].pop(schedule["released_subscription"], None)
    return web.json_response(schedule)


async def schedule_advance(request: web.Request) -> web.Response:
    """The next phase's start, as Stripe reaches it: its items (unprorated when the phase says
    so) and metadata applied to the subscription; the last phase ended releases it."""
    schedule = _schedule(request)
    if schedule is None or schedule["status"] != "active":
        return _error(404, "invalid_request_error", "No active subscription_schedule.")
    at = schedule["current_phase"]["start_date"]
    index = next(i for i, p in enumerate(schedule["phases"]) if p["start_date"] == at)
    if index + 1 >= len(schedule["phases"]):
        return _error(400, "invalid_request_error", "The schedule is in its last phase.")
    phase = schedule["phases"][index + 1]
    sub_id = schedule["subscription"]
    sub = await _upstream_get(request, f"/v1/subscriptions/{sub_id}")
    pairs = [("items[0][id]", sub["items"]["data"][0]["id"]), ("items[0][plan]", phase["items"][0]["price"])]
    pairs.append(("prorate", "false" if phase["proration_behavior"] == "none" else "true"))
    _remember_metadata(request, sub_id, [(f"metadata[{k}]", v) for k, v in phase["metadata"].items()])
    updated = await _upstream_post(request, f"/v1/subscriptions/{sub_id}", pairs)
    schedule["current_phase"] = {"start_date": phase["start_date"], "end_date": phase["end_date"]}
    return web.json_response({"schedule": schedule, "subscription": _completed(request, updated)})


def _remember_metadata(request: web.Request, sub_id: str, pairs: list[tuple[str, str]]) -> None:
    overlay: dict[str, str] = request.app[STATE]["sub_metadata"].setdefault(sub_id, {})
    for key, value in pairs:
        if key.startswith("metadata[") and key.endswith("]"):
            overlay[key[len("metadata[") : -1]] = value


def _completed(request: web.Request, obj: dict[str, Any]) -> dict[str, Any]:
    """What localstripe leaves out of a subscription: the schedule managing it, its metadata
    as updated since its creation, and its items' prices."""
    obj["schedule"] = request.app[STATE]["schedule_of"].get(obj["id"])
    overlay = request.app[STATE]["sub_metadata"].get(obj["id"], {})
    merged = {**(obj.get("metadata") or {}), **overlay}
    obj["metadata"] = {k: v for k, v in merged.items() if v != ""}
    prices = request.app[STATE]["prices"]
    for item in (obj.get("items") or {}).get("data") or []:
        plan = item.get("plan") or {}
        if isinstance(plan, dict) and plan.get("id") in prices:
            item["price"] = prices[plan["id"]]
    return obj


def _subscription_answer(request: web.Request, status: int, answer: bytes, pairs: list[tuple[str, str]]) -> bytes:
    if status >= 400 or not request.path.startswith("/v1/subscriptions"):
        return answer
    data = json.loads(answer)
    if data.get("object") == "subscription" and request.method == "POST":
        _remember_metadata(request, data["id"], pairs)
    objects = data.get("data") if data.get("object") == "list" else [data]
    for obj in objects or []:
        if isinstance(obj, dict) and obj.get("object") == "subscription":
            _completed(request, obj)
    return json.dumps(data).encode()


def _customer_answer(request: web.Request, status: int, answer: bytes) -> bytes:
    expand = [v for k, v in parse_qsl(request.query_string) if k.startswith("expand")]
    if status >= 400 or not request.path.startswith("/v1/customers/") or "tax_ids" not in expand:
        return answer
    data = json.loads(answer)
    found = request.app[STATE]["tax_ids"].get(data.get("id"), [])
    data["tax_ids"] = {"object": "list", "data": found, "has_more": False}
    return json.dumps(data).encode()


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
    elif path == "/v1/subscription_schedules" and request.method == "POST":
        response = await schedule_create(request, pairs)
    elif path.startswith("/v1/subscription_schedules/") and path.endswith("/release"):
        response = await schedule_release(request, pairs)
    elif path.startswith("/v1/subscription_schedules/"):
        response = await schedule_update(request, pairs)
    elif path == "/v1/prices" and request.method == "POST":
        response = await price_create(request, pairs)
    elif path == "/v1/prices" and request.method == "GET":
        response = await price_list(request)
    elif path.startswith("/v1/prices/") and request.method in ("GET", "POST"):
        response = await price_update(request, path.removeprefix("/v1/prices/"), pairs)
    elif (
        request.method == "POST"
        and path.startswith("/v1/subscriptions")
        and (inactive := _inactive_price(request, pairs))
    ):
        response = inactive
    else:
        translated = urlencode(_translate(path, pairs)).encode() if request.method == "POST" else body
        status, answer = await _forward(request, translated)
        if status == 200 and request.method == "GET" and path.startswith("/v1/balance_transactions/"):
            answer = _settled_in_sgd(request, answer)
        answer = _subscription_answer(request, status, answer, pairs)
        answer = _customer_answer(request, status, answer)
        response = web.Response(body=answer, status=status, content_type="application/json")
    if scoped and request.method == "POST" and response.status < 500:
        assert isinstance(response.body, bytes)
        replays[scoped] = (pairs, response.status, response.body)
    return response


def make_app(upstream: str) -> web.Application:
    app = web.Application()
    app[UPSTREAM] = upstream.rstrip("/")
    app[STATE] = {
        "sessions": {},
        "tax_ids": {},
        "idempotency": {},
        "schedules": {},
        "schedule_of": {},
        "sub_metadata": {},
        "exchange_rates": {},
        "prices": {},
    }
    app.router.add_post("/_standin/checkout/{id}/pay", checkout_pay)
    app.router.add_post("/_standin/exchange_rates", exchange_rates)
    app.router.add_post("/_standin/subscription_schedules/{id}/advance", schedule_advance)
    app.router.add_route("*", "/v1/subscription_schedules/{id}/release", handle)
    app.router.add_route("*", "/v1/subscription_schedules/{id}", handle)
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
