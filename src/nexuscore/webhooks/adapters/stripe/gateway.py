"""The gateway port on Stripe's REST API (or a stand-in at `base_url`), with httpx."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from typing import Any

import httpx

from nexuscore.webhooks.ports.targets import GatewayEvent

DEFAULT_BASE_URL = "https://api.stripe.com"


class StripeHttpGateway:
    def __init__(self, *, api_key: str, base_url: str | None = None, timeout: float = 10.0) -> None:
        self._api_key = api_key
        self._base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self._timeout = timeout

    def _client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=self._base_url,
            auth=(self._api_key, ""),
            timeout=self._timeout,
            transport=httpx.AsyncHTTPTransport(retries=2),
        )

    async def _get(self, path: str, params: Mapping[str, str] | None = None) -> httpx.Response:
        async with self._client() as client:
            response = await client.get(path, params=params)
        response.raise_for_status()
        return response

    async def fetch_subscription(self, subscription_id: str) -> Mapping[str, Any]:
        data: Mapping[str, Any] = (await self._get(f"/v1/subscriptions/{subscription_id}")).json()
        return data

    async def fetch_customer(self, customer_id: str) -> Mapping[str, Any]:
        data: Mapping[str, Any] = (await self._get(f"/v1/customers/{customer_id}")).json()
        return data

    async def list_events(self, *, since: datetime) -> AsyncIterator[GatewayEvent]:
        params = {"limit": "100", "created[gte]": str(int(since.timestamp()))}
        while True:
            page = (await self._get("/v1/events", params)).json()
            items = page.get("data") or []
            for item in items:
                # Re-serialised here: listed events have no raw delivery body to keep.
                yield GatewayEvent(payload=json.dumps(item, separators=(",", ":")), data=item)
            if not page.get("has_more") or not items:
                return
            params = {**params, "starting_after": str(items[-1]["id"])}
