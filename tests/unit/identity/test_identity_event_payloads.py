"""The stored shape of every identity event, recorded through its use case.

Subscribers and the audit trail read these envelopes (type, subject, organization, actor,
time) and payloads (keys, key order, values), so each one is pinned here exactly as it is
stored. Only the `Harness` below knows how use cases are called; the expectations are the
contract and do not change when the code behind them does.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import pytest

from nexuscore.identity.adapters.crypto.jwt_tokens import JwtAccessTokens
from nexuscore.identity.adapters.memory.security import PlainTestHasher
from nexuscore.identity.adapters.memory.store import IdentityState, InMemoryIdentityUnitOfWork
from nexuscore.identity.application import accounts, mails, passwords, seeding, sessions, staff
from nexuscore.identity.application.services import IdentityConfig, IdentityServices
from nexuscore.identity.domain.errors import InvalidCredentials, InvalidRefreshToken
from nexuscore.identity.domain.model import User
from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.events import EventRecord
from nexuscore.platform.mail import RecordingMailer
from nexuscore.platform.throttle import InMemoryThrottle

pytestmark = pytest.mark.unit

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
EMAIL = "ann.lee@example.sg"
NEW_EMAIL = "ann.tan@example.sg"
PASSWORD = "violet-harbour-lantern"
NEW_PASSWORD = "amber-canyon-whistle"
IP = "203.0.113.7"


class Harness:
    """One identity context on in-memory adapters; the only place that calls use cases."""

    def __init__(self) -> None:
        self.state = IdentityState()
        self.clock = FixedClock(T0)
        self.mailer = RecordingMailer()
        self.services = IdentityServices(
            PlainTestHasher(),
            JwtAccessTokens("unit-test-secret-key-of-enough-length", self.clock),
            InMemoryThrottle(self.clock),
            self.clock,
            self.mailer,
            IdentityConfig(app_base_url="https://app.nexuscore.test"),
        )
        self._seen = 0

    def uow(self) -> InMemoryIdentityUnitOfWork:
        return InMemoryIdentityUnitOfWork(self.state)

    def advance(self) -> datetime:
        self.clock.advance(timedelta(minutes=1))
        return self.clock.now()

    def new_events(self) -> list[EventRecord]:
        """The events committed since the previous call."""
        fresh = self.state.events[self._seen :]
        self._seen = len(self.state.events)
        return fresh

    async def register(self, *, marketing_consent: bool = False, ip: str | None = IP) -> User:
        return await accounts.register(
            self.uow(),
            self.services,
            email=EMAIL,
            password=PASSWORD,
            full_name="Ann Lee",
            marketing_consent=marketing_consent,
            ip=ip,
        )

    async def mailed_token(self, kind: str, user_id: UUID, **kwargs: Any) -> str:
        uow = self.uow()
        send = {
            "verify": mails.send_verification_email,
            "reset": mails.send_password_reset_email,
            "change": mails.send_email_change_email,
        }[kind]
        assert await send(uow, self.services, user_id=user_id, **kwargs)
        await uow.commit()
        (link,) = re.findall(r"https?://\S+", self.mailer.sent[-1].text)
        return str(parse_qs(urlsplit(link).query)["token"][0])

    async def resend_verification(self, user_id: UUID) -> None:
        await accounts.resend_verification(self.uow(), self.services, user_id=user_id)

    async def verify_email(self, token: str) -> None:
        await accounts.verify_email(self.uow(), self.services, token=token)

    async def login(self, email: str = EMAIL, password: str = PASSWORD, ip: str | None = IP) -> sessions.TokenPair:
        client = sessions.ClientInfo(ip=ip, user_agent="pytest")
        return await sessions.login(self.uow(), self.services, email=email, password=password, client=client)

    async def refresh(self, refresh_token: str) -> sessions.TokenPair:
        return await sessions.refresh(self.uow(), self.services, refresh_token=refresh_token)

    async def logout(self, refresh_token: str) -> None:
        await sessions.logout(self.uow(), self.services, refresh_token=refresh_token)

    async def logout_all(self, user_id: UUID) -> None:
        await sessions.logout_all(self.uow(), self.services, user_id=user_id)

    async def revoke_session(self, user_id: UUID, session_id: UUID) -> None:
        await sessions.revoke_session(self.uow(), self.services, user_id=user_id, session_id=session_id)

    async def change_password(self, user_id: UUID, session_id: UUID) -> None:
        await passwords.change_password(
            self.uow(),
            self.services,
            user_id=user_id,
            session_id=session_id,
            current_password=PASSWORD,
            new_password=NEW_PASSWORD,
        )

    async def forgot_password(self, ip: str | None = IP) -> None:
        await passwords.forgot_password(self.uow(), self.services, email=EMAIL, ip=ip)

    async def reset_password(self, token: str) -> None:
        await passwords.reset_password(self.uow(), self.services, token=token, password=NEW_PASSWORD)

    async def update_profile(self, user_id: UUID, **changes: Any) -> None:
        await accounts.update_profile(
            self.uow(), self.services, user_id=user_id, changes=accounts.ProfileChanges(**changes)
        )

    async def request_email_change(self, user_id: UUID) -> None:
        await accounts.request_email_change(
            self.uow(), self.services, user_id=user_id, new_email=NEW_EMAIL, password=PASSWORD
        )

    async def create_staff(self, email: str) -> User:
        user, _ = await staff.create_staff(self.uow(), self.services, email=email, password=PASSWORD)
        return user

    async def ensure_demo_user(self, email: str) -> User:
        user, _ = await seeding.ensure_demo_user(
            self.uow(), self.services, email=email, password=PASSWORD, full_name="Demo User"
        )
        return user


def shape(event: EventRecord) -> tuple[Any, ...]:
    """Everything stored of an event but its random id; the payload as its JSON text (key order counts)."""
    return (
        event.type,
        event.subject,
        event.organization_id,
        event.actor_id,
        event.occurred_at,
        json.dumps(dict(event.payload)),
    )


def expect(
    type_: str, user_id: UUID | None, at: datetime, payload: dict[str, Any], *, actor: Any = "user"
) -> tuple[Any, ...]:
    return (
        type_,
        f"user:{user_id}" if user_id else None,
        None,
        user_id if actor == "user" else actor,
        at,
        json.dumps(payload),
    )


@pytest.fixture
def h() -> Harness:
    return Harness()


async def test_registration_and_verification_events(h: Harness) -> None:
    user = await h.register(marketing_consent=True)
    assert [shape(e) for e in h.new_events()] == [
        expect("user.registered", user.id, T0, {"marketingConsent": True}),
    ]

    at = h.advance()
    await h.resend_verification(user.id)
    assert [shape(e) for e in h.new_events()] == [expect("user.verification_requested", user.id, at, {})]

    token = await h.mailed_token("verify", user.id)
    at = h.advance()
    await h.verify_email(token)
    assert [shape(e) for e in h.new_events()] == [expect("user.email_verified", user.id, at, {})]


async def test_registration_without_marketing_consent_stores_false(h: Harness) -> None:
    user = await h.register(marketing_consent=False, ip=None)
    assert [shape(e) for e in h.new_events()] == [
        expect("user.registered", user.id, T0, {"marketingConsent": False}),
    ]


async def test_sign_in_events(h: Harness) -> None:
    user = await h.register()
    h.new_events()

    at = h.advance()
    with pytest.raises(InvalidCredentials):
        await h.login(password="not-the-password-at-all")
    with pytest.raises(InvalidCredentials):
        await h.login(email="nobody@example.sg")
    with pytest.raises(InvalidCredentials):
        await h.login(email="nobody@example.sg", ip=None)
    with pytest.raises(InvalidCredentials):
        await h.login(email="not an email")
    assert [shape(e) for e in h.new_events()] == [
        expect("user.login_failed", user.id, at, {"reason": "bad_password", "ip": IP}),
        expect("user.login_failed", None, at, {"reason": "unknown_account", "ip": IP}),
        expect("user.login_failed", None, at, {"reason": "unknown_account"}),
        expect("user.login_failed", None, at, {"reason": "unknown_account", "ip": IP}),
    ]

    at = h.advance()
    pair = await h.login()
    without_ip = await h.login(ip=None)
    assert [shape(e) for e in h.new_events()] == [
        expect("user.logged_in", user.id, at, {"sessionId": str(pair.session_id), "ip": IP}),
        expect("user.logged_in", user.id, at, {"sessionId": str(without_ip.session_id)}),
    ]

    at = h.advance()
    rotated = await h.refresh(pair.refresh_token)
    assert h.new_events() == []  # a refresh records nothing (user.token_refreshed is never stored)

    at = h.advance()
    with pytest.raises(InvalidRefreshToken):
        await h.refresh(pair.refresh_token)  # the spent one again: reuse
    assert [shape(e) for e in h.new_events()] == [
        expect("user.refresh_token_reused", user.id, at, {"sessionId": str(pair.session_id)}),
    ]
    with pytest.raises(InvalidRefreshToken):
        await h.refresh(rotated.refresh_token)  # the family is revoked already: no second event
    assert h.new_events() == []

    at = h.advance()
    await h.logout(without_ip.refresh_token)
    await h.logout(without_ip.refresh_token)  # idempotent, records nothing
    assert [shape(e) for e in h.new_events()] == [
        expect("user.logged_out", user.id, at, {"sessionId": str(without_ip.session_id)}),
    ]


async def test_session_revocation_events(h: Harness) -> None:
    user = await h.register()
    first = await h.login()
    await h.login()
    await h.login()
    h.new_events()

    at = h.advance()
    await h.revoke_session(user.id, first.session_id)
    assert [shape(e) for e in h.new_events()] == [
        expect("user.sessions_revoked", user.id, at, {"reason": "revoked_by_user", "sessionId": str(first.session_id)}),
    ]

    at = h.advance()
    await h.logout_all(user.id)
    assert [shape(e) for e in h.new_events()] == [
        expect("user.sessions_revoked", user.id, at, {"reason": "logout_all", "count": 2}),
    ]
    await h.logout_all(user.id)
    assert [shape(e) for e in h.new_events()] == [
        expect("user.sessions_revoked", user.id, at, {"reason": "logout_all", "count": 0}),
    ]


async def test_password_events(h: Harness) -> None:
    user = await h.register()
    keep = await h.login()
    await h.login()
    await h.login()
    h.new_events()

    at = h.advance()
    await h.change_password(user.id, keep.session_id)
    assert [shape(e) for e in h.new_events()] == [
        expect("user.password_changed", user.id, at, {"sessionsRevoked": 2}),
    ]

    at = h.advance()
    await h.forgot_password()
    await h.forgot_password(ip=None)
    assert [shape(e) for e in h.new_events()] == [
        expect("user.password_reset_requested", user.id, at, {"ip": IP}),
        expect("user.password_reset_requested", user.id, at, {}),
    ]

    token = await h.mailed_token("reset", user.id)
    at = h.advance()
    await h.reset_password(token)
    assert [shape(e) for e in h.new_events()] == [
        expect("user.password_reset", user.id, at, {"sessionsRevoked": 1}),
    ]


async def test_profile_and_email_change_events(h: Harness) -> None:
    user = await h.register()
    h.new_events()

    at = h.advance()
    await h.update_profile(user.id, full_name="Ann  Tan", locale="zh-SG", marketing_consent=True)
    await h.update_profile(user.id, marketing_consent=False)
    await h.update_profile(user.id, full_name="Ann Tan")  # unchanged: no event
    assert [shape(e) for e in h.new_events()] == [
        expect("user.profile_updated", user.id, at, {"fields": ["fullName", "locale", "marketingConsent"]}),
        expect("user.profile_updated", user.id, at, {"fields": ["marketingConsent"]}),
    ]

    at = h.advance()
    await h.request_email_change(user.id)
    assert [shape(e) for e in h.new_events()] == [
        expect("user.email_change_requested", user.id, at, {"newEmail": NEW_EMAIL}),
    ]

    token = await h.mailed_token("change", user.id, new_email=NEW_EMAIL)
    at = h.advance()
    await h.verify_email(token)
    assert [shape(e) for e in h.new_events()] == [
        expect("user.email_changed", user.id, at, {"previousEmail": EMAIL}),
    ]


async def test_staff_and_seed_events(h: Harness) -> None:
    made = await h.create_staff("ops@example.sg")
    assert [shape(e) for e in h.new_events()] == [
        expect("user.registered", made.id, T0, {"via": "cli"}, actor=None),
        expect("user.staff_granted", made.id, T0, {"via": "cli"}, actor=None),
    ]

    user = await h.register()
    h.new_events()
    at = h.advance()
    await h.create_staff(EMAIL)
    await h.create_staff(EMAIL)  # staff already: nothing recorded
    assert [shape(e) for e in h.new_events()] == [
        expect("user.staff_granted", user.id, at, {"via": "cli"}, actor=None),
    ]

    at = h.advance()
    demo = await h.ensure_demo_user("demo@example.sg")
    await h.ensure_demo_user("demo@example.sg")  # exists: nothing recorded
    assert [shape(e) for e in h.new_events()] == [
        expect("user.registered", demo.id, at, {"via": "seed"}),
    ]
