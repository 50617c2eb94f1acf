"""End-to-end fixtures: the real app on PostgreSQL, the outbox relay running in
process, mails written as .eml files that the tests read like a user reads their inbox."""

from __future__ import annotations

import asyncio
import email
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from nexuscore.bootstrap.app import create_app
from nexuscore.platform.settings import Settings
from tests.conftest import make_settings

PASSWORD = "correct horse battery staple"
# Mail subscribers send inside their dispatch transaction, so the token in a mail commits a
# moment after the mail lands (never the other way round: no mail is lost). A user clicks
# seconds later; a test reads the inbox at once, so it takes mails this old only.
SETTLED_MAIL_SECONDS = 0.25


@dataclass
class Inbox:
    directory: Path

    def messages(self, *, settled: bool = False) -> list[EmailMessage]:
        found = []
        now = time.time()
        for path in sorted(self.directory.glob("*.eml")) if self.directory.exists() else []:
            if settled and now - path.stat().st_mtime < SETTLED_MAIL_SECONDS:
                continue
            msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            assert isinstance(msg, EmailMessage)
            found.append(msg)
        return found

    async def wait_for(self, to: str, subject: str, *, count: int = 1, timeout: float = 15.0) -> EmailMessage:
        """The `count`-th mail to `to` whose subject contains `subject` (the relay is asynchronous)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            matching = [m for m in self.messages(settled=True) if m["To"] == to and subject in str(m["Subject"])]
            if len(matching) >= count:
                return matching[count - 1]
            if asyncio.get_running_loop().time() > deadline:
                pytest.fail(
                    f"no mail #{count} to {to} about {subject!r}; have {[str(m['Subject']) for m in self.messages()]}"
                )
            await asyncio.sleep(0.05)

    def count(self, to: str, subject: str) -> int:
        return len([m for m in self.messages() if m["To"] == to and subject in str(m["Subject"])])


def link_token(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    found = re.search(r"[?&]token=([A-Za-z0-9_\-]+)", body.get_content())
    assert found, "the mail carries no link with a token"
    return found.group(1)


@pytest.fixture
def identity_settings(app_postgres_url: str, tmp_path: Path) -> Settings:
    return make_settings(
        tmp_path,
        DATABASE_URL=app_postgres_url,  # the non-owner role: row-level security is on
        OUTBOX_RELAY_IN_PROCESS="true",
        OUTBOX_POLL_SECONDS="0.05",
        MAIL_BACKEND="file",
        APP_BASE_URL="https://app.example.sg",
    )


@pytest.fixture
def inbox(identity_settings: Settings) -> Inbox:
    return Inbox(identity_settings.mail_dir)


@pytest.fixture
async def client(identity_settings: Settings) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(create_app(identity_settings)) as c:
        yield c


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def register(
    client: AsyncTestClient[Litestar], email_: str, password: str = PASSWORD, name: str = "Ann Tan", **extra: Any
) -> Any:
    return await client.post(
        "/api/v1/auth/register", json={"email": email_, "password": password, "fullName": name, **extra}
    )


async def login(client: AsyncTestClient[Litestar], email_: str, password: str = PASSWORD, **kw: Any) -> Any:
    return await client.post("/api/v1/auth/login", json={"email": email_, "password": password}, **kw)


async def signed_in(client: AsyncTestClient[Litestar], email_: str, password: str = PASSWORD) -> dict[str, Any]:
    response = await login(client, email_, password)
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return tokens


async def verified_user(
    client: AsyncTestClient[Litestar], inbox: Inbox, email_: str, *, verify: bool = True
) -> dict[str, str]:
    """A signed-in account (verified through the mailed link unless told not to): {"id", "Authorization"}."""
    response = await register(client, email_, name=email_.split("@")[0].title())
    assert response.status_code == 201, response.text
    if verify:
        token = link_token(await inbox.wait_for(email_, "Verify your email"))
        assert (await client.post("/api/v1/auth/verify-email", json={"token": token})).status_code == 200
    tokens = await signed_in(client, email_)
    return {"id": response.json()["id"], **bearer(tokens["accessToken"])}


def auth(user: dict[str, str]) -> dict[str, str]:
    return {"Authorization": user["Authorization"]}


async def join_org(
    client: AsyncTestClient[Litestar], inbox: Inbox, org_id: str, admin: dict[str, str], email_: str, role: str
) -> dict[str, str]:
    """A new verified user who joins the organisation through a mailed invitation."""
    user = await verified_user(client, inbox, email_)
    invited = await client.post(
        f"/api/v1/orgs/{org_id}/invitations", json={"email": email_, "role": role}, headers=auth(admin)
    )
    assert invited.status_code == 201, invited.text
    token = link_token(await inbox.wait_for(email_, "Join"))
    accepted = await client.post("/api/v1/invitations/accept", json={"token": token}, headers=auth(user))
    assert accepted.status_code == 200, accepted.text
    return user


Request = tuple[str, str, dict[str, Any]]  # method, path, httpx keyword arguments


async def concurrently(client: AsyncTestClient[Litestar], requests: list[Request]) -> list[httpx.Response]:
    """Send the requests at once, really interleaved on the app's own event loop.

    The test client hands the app one request at a time, so `asyncio.gather` over it does not
    race anything. Here the requests go through httpx's ASGI transport inside the loop that
    runs the app (the client's portal), from a worker thread so the test's loop stays free.
    """
    app = client.app

    async def burst() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=str(client.base_url)) as raw:
            return list(await asyncio.gather(*(raw.request(m, url, **kw) for m, url, kw in requests)))

    return await anyio.to_thread.run_sync(client.blocking_portal.call, burst)
