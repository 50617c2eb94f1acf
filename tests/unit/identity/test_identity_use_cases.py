"""Identity use cases against the project's in-memory adapters, real JWTs and a FixedClock."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import pytest

from nexuscore.identity.adapters.crypto.jwt_tokens import JwtAccessTokens
from nexuscore.identity.adapters.memory.security import PlainTestHasher
from nexuscore.identity.adapters.memory.store import IdentityState, InMemoryIdentityUnitOfWork
from nexuscore.identity.application import accounts, mails, passwords, sessions, staff
from nexuscore.identity.application.services import IdentityConfig, IdentityServices
from nexuscore.identity.domain.errors import InvalidCredentials, InvalidRefreshToken, InvalidToken
from nexuscore.identity.domain.events import (
    UserEmailChanged,
    UserEmailChangeRequested,
    UserEmailVerified,
    UserLoggedIn,
    UserLoggedOut,
    UserLoginFailed,
    UserPasswordChanged,
    UserPasswordReset,
    UserPasswordResetRequested,
    UserRefreshTokenReused,
    UserRegistered,
    UserSessionsRevoked,
    UserStaffGranted,
)
from nexuscore.identity.domain.model import ActionPurpose, User
from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.errors import AuthenticationRequired, Conflict, RateLimited, ValidationError
from nexuscore.kernel.events import EventRecord
from nexuscore.kernel.mail import EmailMessage
from nexuscore.kernel.tokens import digest_token
from nexuscore.platform.mail import RecordingMailer
from nexuscore.platform.throttle import InMemoryThrottle

pytestmark = pytest.mark.unit

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SECRET = "unit-test-secret-key-of-enough-length"
EMAIL = "ann.lee@example.sg"
PASSWORD = "violet-harbour-lantern"
NEW_PASSWORD = "amber-canyon-whistle"
CLIENT = sessions.ClientInfo(ip="203.0.113.7", user_agent="pytest")


@dataclass
class World:
    """One identity context: committed state, adapters, and every secret the flows handed out."""

    state: IdentityState = field(default_factory=IdentityState)
    clock: FixedClock = field(default_factory=lambda: FixedClock(T0))
    hasher: PlainTestHasher = field(default_factory=PlainTestHasher)
    mailer: RecordingMailer = field(default_factory=RecordingMailer)
    config: IdentityConfig = field(default_factory=IdentityConfig)
    secrets: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.throttle = InMemoryThrottle(self.clock)
        self.tokens = JwtAccessTokens(SECRET, self.clock)
        self.services = IdentityServices(self.hasher, self.tokens, self.throttle, self.clock, self.mailer, self.config)

    def uow(self) -> InMemoryIdentityUnitOfWork:
        return InMemoryIdentityUnitOfWork(self.state)

    def with_hasher(self, hasher: PlainTestHasher) -> IdentityServices:
        return replace(self.services, hasher=hasher)

    def advance(self, **delta: float) -> None:
        self.clock.advance(timedelta(**delta))

    def user(self, email: str = EMAIL) -> User:
        return next(u for u in self.state.users.values() if u.email == email)

    def events(self, event_type: str | None = None) -> list[EventRecord]:
        return [e for e in self.state.events if event_type is None or e.type == event_type]

    # -- flows, recording the secrets they hand out

    async def register(self, email: str = EMAIL, password: str = PASSWORD, *, ip: str | None = "198.51.100.1") -> User:
        self.secrets.add(password)
        user = await accounts.register(
            self.uow(), self.services, email=email, password=password, full_name="Ann Lee", ip=ip
        )
        self.secrets.add(self.state.users[user.id].password_hash)
        return user

    async def login(
        self,
        email: str = EMAIL,
        password: str = PASSWORD,
        *,
        services: IdentityServices | None = None,
        client: sessions.ClientInfo = CLIENT,
    ) -> sessions.TokenPair:
        self.secrets.add(password)
        pair = await sessions.login(
            self.uow(), services or self.services, email=email, password=password, client=client
        )
        self._pair(pair)
        return pair

    async def refresh(self, refresh_token: str) -> sessions.TokenPair:
        pair = await sessions.refresh(self.uow(), self.services, refresh_token=refresh_token)
        self._pair(pair)
        return pair

    async def authenticate(self, access_token: str) -> Any:
        return await sessions.authenticate(self.uow(), self.services, access_token=access_token)

    def _pair(self, pair: sessions.TokenPair) -> None:
        self.secrets |= {pair.access_token, pair.refresh_token, digest_token(pair.refresh_token)}

    async def mail_token(self, send: Any, **kwargs: Any) -> str:
        """Run a mail use case as its subscriber does (then commit); return the mailed token."""
        uow = self.uow()
        assert await send(uow, self.services, **kwargs) is True
        await uow.commit()
        token = link_token(self.mailer.sent[-1])
        self.secrets |= {token, digest_token(token)}
        return token


def link_token(message: EmailMessage) -> str:
    links = re.findall(r"https?://\S+", message.text)
    assert len(links) == 1, message.text
    (token,) = parse_qs(urlsplit(links[0]).query)["token"]
    return str(token)


@pytest.fixture
def world() -> World:
    return World()


async def registered(world: World, email: str = EMAIL) -> User:
    return await world.register(email)


# --------------------------------------------------------------------------- register


async def test_register_stores_a_normalised_user_and_records_an_event_without_secrets(world: World) -> None:
    user = await world.register("  Ann.Lee@Example.SG ")
    stored = world.state.users[user.id]
    assert stored.email == EMAIL
    assert stored.full_name == "Ann Lee"
    assert not stored.email_verified
    assert stored.password_hash != PASSWORD
    assert await world.hasher.verify(stored.password_hash, PASSWORD)

    (event,) = world.events()
    assert event.type == UserRegistered.name
    assert event.subject == f"user:{user.id}"
    assert event.actor_id == user.id
    assert event.occurred_at == T0
    assert dict(event.payload) == {"marketingConsent": False}
    dumped = json.dumps(dict(event.payload), default=str)
    assert PASSWORD not in dumped
    assert stored.password_hash not in dumped


async def test_register_duplicate_email_is_a_conflict_whatever_the_case(world: World) -> None:
    await world.register()
    with pytest.raises(Conflict):
        await world.register("ANN.LEE@example.sg", "another-good-passphrase")
    assert len(world.state.users) == 1
    assert len(world.events(UserRegistered.name)) == 1


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", "must be at least 10 characters"),
        ("qwertyuiop", "is too common; choose something less guessable"),
        ("x-ann.lee-1234", "must not contain your email address"),
    ],
)
async def test_register_refuses_a_weak_password_and_stores_nothing(world: World, password: str, problem: str) -> None:
    with pytest.raises(ValidationError) as info:
        await world.register(password=password)
    assert [(e.field, e.message) for e in info.value.errors] == [("password", problem)]
    assert world.state.users == {}
    assert world.state.events == []


async def test_register_refuses_a_blank_name(world: World) -> None:
    with pytest.raises(ValidationError) as info:
        await accounts.register(world.uow(), world.services, email=EMAIL, password=PASSWORD, full_name="   ")
    assert [e.field for e in info.value.errors] == ["fullName"]
    assert world.state.users == {}


async def test_register_is_rate_limited_after_ten_per_ip(world: World) -> None:
    for i in range(10):
        await world.register(f"user{i}@example.sg", ip="192.0.2.10")
    with pytest.raises(RateLimited) as info:
        await world.register("user10@example.sg", ip="192.0.2.10")
    assert info.value.retry_after_seconds > 0
    assert len(world.state.users) == 10
    await world.register("user10@example.sg", ip="192.0.2.11")  # another address is not affected
    assert len(world.state.users) == 11


# --------------------------------------------------------------------------- verify email


async def test_verify_email_with_the_mailed_token(world: World) -> None:
    user = await registered(world)
    token = await world.mail_token(mails.send_verification_email, user_id=user.id)
    world.advance(hours=1)
    verified = await accounts.verify_email(world.uow(), world.services, token=token)
    assert verified.id == user.id
    assert world.state.users[user.id].email_verified_at == T0 + timedelta(hours=1)
    assert [e.type for e in world.events()][-1] == UserEmailVerified.name


async def test_verify_email_token_is_single_use(world: World) -> None:
    user = await registered(world)
    token = await world.mail_token(mails.send_verification_email, user_id=user.id)
    await accounts.verify_email(world.uow(), world.services, token=token)
    with pytest.raises(InvalidToken):
        await accounts.verify_email(world.uow(), world.services, token=token)


@pytest.mark.parametrize("token", ["", "not-a-token", "A" * 43])
async def test_verify_email_refuses_unknown_tokens(world: World, token: str) -> None:
    await registered(world)
    with pytest.raises(InvalidToken):
        await accounts.verify_email(world.uow(), world.services, token=token)


async def test_verify_email_token_expires_after_24_hours(world: World) -> None:
    user = await registered(world)
    token = await world.mail_token(mails.send_verification_email, user_id=user.id)
    world.advance(hours=24)
    with pytest.raises(InvalidToken):
        await accounts.verify_email(world.uow(), world.services, token=token)
    assert not world.state.users[user.id].email_verified


async def test_verify_email_token_still_works_just_before_expiry(world: World) -> None:
    user = await registered(world)
    token = await world.mail_token(mails.send_verification_email, user_id=user.id)
    world.advance(hours=24, seconds=-1)
    await accounts.verify_email(world.uow(), world.services, token=token)
    assert world.state.users[user.id].email_verified


async def test_a_reset_token_does_not_verify_an_email(world: World) -> None:
    user = await registered(world)
    token = await world.mail_token(mails.send_password_reset_email, user_id=user.id)
    with pytest.raises(InvalidToken):
        await accounts.verify_email(world.uow(), world.services, token=token)


async def test_change_email_token_switches_the_email(world: World) -> None:
    user = await registered(world)
    new_email = "ann@newmail.sg"
    await accounts.request_email_change(
        world.uow(), world.services, user_id=user.id, new_email=" Ann@NewMail.SG ", password=PASSWORD
    )
    requested = world.events(UserEmailChangeRequested.name)[-1]
    assert requested.payload["newEmail"] == new_email
    token = await world.mail_token(mails.send_email_change_email, user_id=user.id, new_email=new_email)
    assert world.mailer.sent[-1].to == (new_email,)

    await accounts.verify_email(world.uow(), world.services, token=token)
    stored = world.state.users[user.id]
    assert stored.email == new_email
    assert stored.email_verified
    changed = world.events(UserEmailChanged.name)[-1]
    assert changed.payload["previousEmail"] == EMAIL
    # The old address is free again; the new one signs in.
    assert await world.uow().users.get_by_email(EMAIL) is None
    await world.login(new_email)
    with pytest.raises(InvalidCredentials):
        await world.login(EMAIL)


async def test_change_email_conflicts_when_the_new_email_was_taken_meanwhile(world: World) -> None:
    user = await registered(world)
    token = await world.mail_token(mails.send_email_change_email, user_id=user.id, new_email="bob@example.sg")
    other = await world.register("bob@example.sg", "another-good-passphrase")
    with pytest.raises(Conflict):
        await accounts.verify_email(world.uow(), world.services, token=token)
    assert world.state.users[user.id].email == EMAIL
    assert world.state.users[other.id].email == "bob@example.sg"


async def test_request_email_change_needs_the_password(world: World) -> None:
    user = await registered(world)
    with pytest.raises(ValidationError) as info:
        await accounts.request_email_change(
            world.uow(), world.services, user_id=user.id, new_email="ann@newmail.sg", password="wrong-password-1"
        )
    assert [e.field for e in info.value.errors] == ["password"]
    assert world.events(UserEmailChangeRequested.name) == []


@pytest.mark.parametrize("check", ["change_password", "change_email"])
async def test_password_checks_when_signed_in_share_the_sign_in_failure_throttle(world: World, check: str) -> None:
    user = await registered(world)
    pair = await world.login()
    ip = CLIENT.ip

    async def attempt(password: str) -> None:
        if check == "change_password":
            await passwords.change_password(
                world.uow(),
                world.services,
                user_id=user.id,
                session_id=pair.session_id,
                current_password=password,
                new_password=NEW_PASSWORD,
                ip=ip,
            )
        else:
            await accounts.request_email_change(
                world.uow(), world.services, user_id=user.id, new_email="ann@newmail.sg", password=password, ip=ip
            )

    for _ in range(5):
        with pytest.raises(ValidationError):
            await attempt("wrong-password-123")
    with pytest.raises(RateLimited):
        await attempt(PASSWORD)  # the right password waits too, or the throttle would leak it
    with pytest.raises(RateLimited):
        await world.login()  # one budget with sign-in from this address
    assert await world.hasher.verify(world.state.users[user.id].password_hash, PASSWORD)
    assert world.events(UserEmailChangeRequested.name) == []


# --------------------------------------------------------------------------- login


async def test_login_success_issues_tokens_and_records_an_event(world: World) -> None:
    user = await registered(world)
    pair = await world.login(" ANN.LEE@example.sg ")
    assert pair.expires_in == 900
    claims = world.tokens.decode(pair.access_token)
    assert claims.user_id == user.id
    assert claims.session_id == pair.session_id
    event = world.events()[-1]
    assert event.type == UserLoggedIn.name
    assert event.payload == {"sessionId": str(pair.session_id), "ip": CLIENT.ip}
    session = world.state.sessions[pair.session_id]
    assert session.user_id == user.id
    assert session.ip == CLIENT.ip
    assert session.user_agent == "pytest"
    # Only the digest of the refresh token is stored.
    stored = [t for t in world.state.refresh_tokens.values() if t.session_id == pair.session_id]
    assert [t.digest for t in stored] == [digest_token(pair.refresh_token)]
    principal = await world.authenticate(pair.access_token)
    assert principal.user_id == user.id
    assert principal.email == EMAIL
    assert not principal.is_staff


async def test_wrong_password_and_unknown_email_fail_identically(world: World) -> None:
    await registered(world)
    with pytest.raises(InvalidCredentials) as wrong:
        await world.login(EMAIL, "wrong-password-123")
    with pytest.raises(InvalidCredentials) as unknown:
        await world.login("nobody@example.sg", PASSWORD)
    with pytest.raises(InvalidCredentials) as malformed:
        await world.login("not an email", PASSWORD)
    assert str(wrong.value) == str(unknown.value) == str(malformed.value)
    assert wrong.value.code == unknown.value.code == malformed.value.code == "invalid-credentials"
    assert wrong.value.extra == unknown.value.extra == malformed.value.extra
    assert world.state.sessions == {}


async def test_unknown_email_still_spends_the_hashing_work(world: World) -> None:
    await registered(world)
    assert world.hasher.dummy_calls == 0
    with pytest.raises(InvalidCredentials):
        await world.login("nobody@example.sg", PASSWORD)
    assert world.hasher.dummy_calls == 1
    with pytest.raises(InvalidCredentials):
        await world.login(EMAIL, "wrong-password-123")
    assert world.hasher.dummy_calls == 1  # a known account pays for the real verify instead


async def test_failed_logins_back_off_exponentially_per_account(world: World) -> None:
    await registered(world)
    for _ in range(5):
        with pytest.raises(InvalidCredentials):
            await world.login(EMAIL, "wrong-password-123")
    waits = []
    for _ in range(3):
        with pytest.raises(RateLimited) as info:
            await world.login(EMAIL, PASSWORD)  # even the right password is refused while throttled
        waits.append(info.value.retry_after_seconds)
        world.advance(seconds=info.value.retry_after_seconds)
        with pytest.raises(InvalidCredentials):
            await world.login(EMAIL, "wrong-password-123")
    assert waits == [1, 2, 4]
    assert world.state.sessions == {}
    failed = world.events(UserLoginFailed.name)
    assert len(failed) == 8
    assert all(e.payload["reason"] == "bad_password" for e in failed)


async def test_account_throttle_also_covers_unknown_emails(world: World) -> None:
    for _ in range(5):
        with pytest.raises(InvalidCredentials):
            await world.login("nobody@example.sg", PASSWORD)
    with pytest.raises(RateLimited):
        await world.login("nobody@example.sg", PASSWORD)


async def test_a_success_after_waiting_resets_the_account_counter(world: World) -> None:
    await registered(world)
    for _ in range(5):
        with pytest.raises(InvalidCredentials):
            await world.login(EMAIL, "wrong-password-123")
    with pytest.raises(RateLimited) as info:
        await world.login(EMAIL, PASSWORD)
    world.advance(seconds=info.value.retry_after_seconds)
    await world.login(EMAIL, PASSWORD)
    # Without the reset this failure would be the sixth and the next attempt would wait.
    with pytest.raises(InvalidCredentials):
        await world.login(EMAIL, "wrong-password-123")
    await world.login(EMAIL, PASSWORD)


async def test_failed_logins_are_throttled_per_ip_across_accounts(world: World) -> None:
    for i in range(50):
        with pytest.raises(InvalidCredentials):
            await world.login(f"spray{i}@example.sg", PASSWORD)
    with pytest.raises(RateLimited):
        await world.login("spray-new@example.sg", PASSWORD)


async def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out_from_another(world: World) -> None:
    await registered(world)
    attacker = sessions.ClientInfo(ip="198.51.100.66")
    for _ in range(5):
        with pytest.raises(InvalidCredentials):
            await world.login(EMAIL, "wrong-password-123", client=attacker)
    with pytest.raises(RateLimited):
        await world.login(EMAIL, PASSWORD, client=attacker)  # the guesser waits, whatever it sends
    pair = await world.login(EMAIL, PASSWORD)  # the owner, from their own address, does not
    assert pair.session_id in world.state.sessions


async def test_guessing_spread_over_many_addresses_meets_the_account_ceiling(world: World) -> None:
    await registered(world)
    for i in range(100):  # 20 addresses, 5 failures each: none of them is backed off on its own
        with pytest.raises(InvalidCredentials):
            await world.login(EMAIL, "wrong-password-123", client=sessions.ClientInfo(ip=f"10.0.{i // 5}.1"))
    with pytest.raises(RateLimited) as info:
        await world.login(EMAIL, PASSWORD, client=sessions.ClientInfo(ip="10.9.9.9"))
    assert info.value.retry_after_seconds == 1  # a short backoff, not a lockout
    world.advance(seconds=1)
    await world.login(EMAIL, PASSWORD, client=sessions.ClientInfo(ip="10.9.9.9"))
    # The owner's success does not reset the ceiling: the next failure waits twice as long...
    with pytest.raises(InvalidCredentials):
        await world.login(EMAIL, "wrong-password-123", client=sessions.ClientInfo(ip="10.9.9.8"))
    with pytest.raises(RateLimited) as info:
        await world.login(EMAIL, PASSWORD, client=sessions.ClientInfo(ip="10.9.9.7"))
    assert info.value.retry_after_seconds == 2
    # ...but an address that signed in before is never held back by the ceiling.
    await world.login(EMAIL, PASSWORD, client=sessions.ClientInfo(ip="10.9.9.9"))


async def test_inactive_user_cannot_log_in(world: World) -> None:
    user = await registered(world)
    world.state.users[user.id].is_active = False
    with pytest.raises(InvalidCredentials):
        await world.login(EMAIL, PASSWORD)
    assert world.state.sessions == {}


async def test_login_rehashes_an_outdated_hash(world: World) -> None:
    user = await registered(world)
    assert world.state.users[user.id].password_hash.startswith("fake$1$")
    v2 = PlainTestHasher(version=2)
    world.advance(minutes=1)
    await world.login(services=world.with_hasher(v2))
    stored = world.state.users[user.id]
    assert stored.password_hash.startswith("fake$2$")
    assert stored.updated_at == T0 + timedelta(minutes=1)
    world.advance(minutes=1)
    await world.login(services=world.with_hasher(v2))
    assert world.state.users[user.id].updated_at == T0 + timedelta(minutes=1)  # current hash: left alone


class _PlaceRecordingHasher(PlainTestHasher):
    """Notes how many hashing places were held whenever hashing ran."""

    def __init__(self, version: int = 1) -> None:
        super().__init__(version)
        self.places_held_while_hashing: list[int] = []

    async def hash(self, password: str) -> str:
        self.places_held_while_hashing.append(self.reserved)
        return await super().hash(password)

    async def verify(self, password_hash: str, password: str) -> bool:
        self.places_held_while_hashing.append(self.reserved)
        return await super().verify(password_hash, password)

    async def verify_dummy(self, password: str) -> None:
        self.places_held_while_hashing.append(self.reserved)
        await super().verify_dummy(password)


async def test_login_reads_the_account_and_hashes_on_one_reserved_place(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A storm of sign-ins must queue for hashing before touching the database, so the waiting
    # ones hold no connection; and the verify (and any rehash) must not queue a second time.
    await registered(world)
    hasher = _PlaceRecordingHasher(version=2)  # version 2: the stored v1 hash gets rehashed
    services = world.with_hasher(hasher)
    places_held_at_read: list[int] = []
    users_class = type(world.uow().users)
    read_account = users_class.get_by_email

    async def recording_read(users: Any, email: str) -> User | None:
        places_held_at_read.append(hasher.reserved)
        return await read_account(users, email)

    monkeypatch.setattr(users_class, "get_by_email", recording_read)
    await world.login(services=services)
    with pytest.raises(InvalidCredentials):
        await world.login("nobody@example.sg", services=services)

    assert places_held_at_read == [1, 1]
    assert hasher.places_held_while_hashing == [1, 1, 1]  # verify, rehash, dummy verify
    assert hasher.reserved == 0  # given back, also after the failure


async def test_failed_login_does_not_rehash(world: World) -> None:
    user = await registered(world)
    with pytest.raises(InvalidCredentials):
        await world.login(EMAIL, "wrong-password-123", services=world.with_hasher(PlainTestHasher(version=2)))
    assert world.state.users[user.id].password_hash.startswith("fake$1$")


# --------------------------------------------------------------------------- refresh


async def test_refresh_rotates_the_refresh_token(world: World) -> None:
    user = await registered(world)
    first = await world.login()
    world.advance(minutes=10)
    second = await world.refresh(first.refresh_token)
    assert second.session_id == first.session_id
    assert second.refresh_token != first.refresh_token
    assert second.access_token != first.access_token
    claims = world.tokens.decode(second.access_token)
    assert claims.issued_at == T0 + timedelta(minutes=10)
    assert (await world.authenticate(second.access_token)).user_id == user.id
    assert world.state.sessions[first.session_id].last_used_at == T0 + timedelta(minutes=10)
    third = await world.refresh(second.refresh_token)
    assert third.session_id == first.session_id


async def test_reusing_a_spent_refresh_token_revokes_the_whole_session(world: World) -> None:
    await registered(world)
    first = await world.login()
    second = await world.refresh(first.refresh_token)
    world.advance(seconds=11)  # past the leeway for two tabs refreshing at once
    with pytest.raises(InvalidRefreshToken):
        await world.refresh(first.refresh_token)
    session = world.state.sessions[first.session_id]
    assert session.revoked_at is not None
    assert session.revoke_reason == "refresh_token_reuse"
    (reused,) = world.events(UserRefreshTokenReused.name)
    assert reused.payload == {"sessionId": str(first.session_id)}
    # The legitimate-looking rotated token dies with its family, and so do its access tokens.
    with pytest.raises(InvalidRefreshToken):
        await world.refresh(second.refresh_token)
    with pytest.raises(AuthenticationRequired):
        await world.authenticate(second.access_token)


async def test_reuse_of_a_spent_token_does_not_touch_other_sessions(world: World) -> None:
    await registered(world)
    a = await world.login()
    b = await world.login()
    await world.refresh(a.refresh_token)
    world.advance(seconds=11)
    with pytest.raises(InvalidRefreshToken):
        await world.refresh(a.refresh_token)
    await world.refresh(b.refresh_token)


async def test_two_tabs_refreshing_at_once_stay_signed_in(world: World) -> None:
    user = await registered(world)
    first = await world.login()
    winner = await world.refresh(first.refresh_token)
    world.advance(seconds=10)  # the other tab, with the same token, up to the leeway later
    loser = await world.refresh(first.refresh_token)
    assert loser.session_id == winner.session_id == first.session_id
    assert loser.refresh_token != winner.refresh_token
    session = world.state.sessions[first.session_id]
    assert session.revoked_at is None and world.events(UserRefreshTokenReused.name) == []
    for pair in (winner, loser):  # both tabs go on
        assert (await world.authenticate(pair.access_token)).user_id == user.id
        await world.refresh(pair.refresh_token)


async def test_a_spent_refresh_token_after_the_leeway_is_reuse(world: World) -> None:
    await registered(world)
    first = await world.login()
    await world.refresh(first.refresh_token)
    world.advance(seconds=10, microseconds=1)
    with pytest.raises(InvalidRefreshToken):
        await world.refresh(first.refresh_token)
    assert world.state.sessions[first.session_id].revoke_reason == "refresh_token_reuse"


async def test_the_leeway_does_not_revive_a_revoked_session(world: World) -> None:
    await registered(world)
    first = await world.login()
    second = await world.refresh(first.refresh_token)
    await sessions.logout(world.uow(), world.services, refresh_token=second.refresh_token)
    with pytest.raises(InvalidRefreshToken):
        await world.refresh(first.refresh_token)


@pytest.mark.parametrize("token", ["", "unknown-token", "A" * 43])
async def test_refresh_refuses_unknown_tokens(world: World, token: str) -> None:
    await registered(world)
    await world.login()
    with pytest.raises(InvalidRefreshToken):
        await world.refresh(token)


async def test_refresh_refuses_an_expired_session(world: World) -> None:
    await registered(world)
    pair = await world.login()
    world.advance(days=30)
    with pytest.raises(InvalidRefreshToken):
        await world.refresh(pair.refresh_token)


async def test_refresh_refuses_an_inactive_user(world: World) -> None:
    user = await registered(world)
    pair = await world.login()
    world.state.users[user.id].is_active = False
    with pytest.raises(InvalidRefreshToken):
        await world.refresh(pair.refresh_token)


# --------------------------------------------------------------------------- logout


async def test_logout_ends_the_session(world: World) -> None:
    await registered(world)
    pair = await world.login()
    other = await world.login()
    await sessions.logout(world.uow(), world.services, refresh_token=pair.refresh_token)
    assert world.state.sessions[pair.session_id].revoke_reason == "logout"
    assert world.events()[-1].type == UserLoggedOut.name
    with pytest.raises(AuthenticationRequired):
        await world.authenticate(pair.access_token)
    with pytest.raises(InvalidRefreshToken):
        await world.refresh(pair.refresh_token)
    await world.authenticate(other.access_token)  # the other device stays signed in
    # Idempotent, and unknown tokens are ignored.
    count = len(world.events())
    await sessions.logout(world.uow(), world.services, refresh_token=pair.refresh_token)
    await sessions.logout(world.uow(), world.services, refresh_token="unknown")
    assert len(world.events()) == count


async def test_logout_all_refuses_access_tokens_issued_before_and_accepts_later_ones(world: World) -> None:
    user = await registered(world)
    a = await world.login()
    world.advance(minutes=1)
    b = await world.login()
    world.advance(minutes=1)
    cut = world.clock.now()
    await sessions.logout_all(world.uow(), world.services, user_id=user.id)

    assert world.state.users[user.id].tokens_valid_after == cut
    assert all(s.revoked_at == cut for s in world.state.sessions.values())
    (revoked,) = world.events(UserSessionsRevoked.name)
    assert revoked.payload == {"reason": "logout_all", "count": 2}
    for pair in (a, b):
        with pytest.raises(AuthenticationRequired):
            await world.authenticate(pair.access_token)
        with pytest.raises(InvalidRefreshToken):
            await world.refresh(pair.refresh_token)

    world.advance(seconds=1)
    fresh = await world.login()
    assert (await world.authenticate(fresh.access_token)).session_id == fresh.session_id
    # The cut-off itself, apart from session revocation: a token for the new, active session
    # dated before the cut is refused; one dated at or after it is accepted.
    before = world.tokens.issue(user.id, fresh.session_id, cut - timedelta(seconds=1))
    at_cut = world.tokens.issue(user.id, fresh.session_id, cut)
    with pytest.raises(AuthenticationRequired):
        await world.authenticate(before)
    await world.authenticate(at_cut)


# --------------------------------------------------------------------------- authenticate


async def test_authenticate_refuses_a_revoked_session(world: World) -> None:
    user = await registered(world)
    pair = await world.login()
    await sessions.revoke_session(world.uow(), world.services, user_id=user.id, session_id=pair.session_id)
    with pytest.raises(AuthenticationRequired):
        await world.authenticate(pair.access_token)


async def test_authenticate_refuses_another_users_session(world: World) -> None:
    ann = await registered(world)
    await world.register("bob@example.sg", "another-good-passphrase")
    bob_pair = await world.login("bob@example.sg", "another-good-passphrase")
    forged = world.tokens.issue(ann.id, bob_pair.session_id, world.clock.now())
    with pytest.raises(AuthenticationRequired):
        await world.authenticate(forged)


async def test_authenticate_refuses_an_unknown_session(world: World) -> None:
    user = await registered(world)
    forged = world.tokens.issue(user.id, UUID(int=1), world.clock.now())
    with pytest.raises(AuthenticationRequired):
        await world.authenticate(forged)


async def test_authenticate_refuses_an_inactive_user(world: World) -> None:
    user = await registered(world)
    pair = await world.login()
    world.state.users[user.id].is_active = False
    with pytest.raises(AuthenticationRequired):
        await world.authenticate(pair.access_token)


async def test_authenticate_refuses_an_expired_access_token(world: World) -> None:
    await registered(world)
    pair = await world.login()
    world.advance(minutes=16)
    with pytest.raises(AuthenticationRequired):
        await world.authenticate(pair.access_token)


async def test_revoke_session_of_another_user_is_not_found(world: World) -> None:
    from nexuscore.kernel.errors import NotFound

    ann = await registered(world)
    await world.register("bob@example.sg", "another-good-passphrase")
    bob_pair = await world.login("bob@example.sg", "another-good-passphrase")
    with pytest.raises(NotFound):
        await sessions.revoke_session(world.uow(), world.services, user_id=ann.id, session_id=bob_pair.session_id)
    await world.authenticate(bob_pair.access_token)


# --------------------------------------------------------------------------- change password


async def test_change_password_with_a_wrong_current_password(world: World) -> None:
    user = await registered(world)
    pair = await world.login()
    with pytest.raises(ValidationError) as info:
        await passwords.change_password(
            world.uow(),
            world.services,
            user_id=user.id,
            session_id=pair.session_id,
            current_password="wrong-password-123",
            new_password=NEW_PASSWORD,
        )
    assert [e.field for e in info.value.errors] == ["currentPassword"]
    assert await world.hasher.verify(world.state.users[user.id].password_hash, PASSWORD)
    assert world.state.users[user.id].tokens_valid_after is None


async def test_change_password_refuses_a_weak_new_password(world: World) -> None:
    user = await registered(world)
    pair = await world.login()
    with pytest.raises(ValidationError) as info:
        await passwords.change_password(
            world.uow(),
            world.services,
            user_id=user.id,
            session_id=pair.session_id,
            current_password=PASSWORD,
            new_password="qwertyuiop",
        )
    assert [e.field for e in info.value.errors] == ["newPassword"]
    await world.authenticate(pair.access_token)


async def test_change_password_keeps_the_current_session_and_revokes_the_others(world: World) -> None:
    user = await registered(world)
    current = await world.login()
    other = await world.login()
    reset_token = await world.mail_token(mails.send_password_reset_email, user_id=user.id)
    world.advance(minutes=1)
    world.secrets.add(NEW_PASSWORD)
    await passwords.change_password(
        world.uow(),
        world.services,
        user_id=user.id,
        session_id=current.session_id,
        current_password=PASSWORD,
        new_password=NEW_PASSWORD,
    )
    assert world.events()[-1].type == UserPasswordChanged.name
    assert world.events()[-1].payload == {"sessionsRevoked": 1}
    assert world.state.sessions[current.session_id].revoked_at is None
    assert world.state.sessions[other.session_id].revoke_reason == "password_changed"
    # Access tokens issued before the change die, on every device.
    with pytest.raises(AuthenticationRequired):
        await world.authenticate(other.access_token)
    with pytest.raises(AuthenticationRequired):
        await world.authenticate(current.access_token)
    with pytest.raises(InvalidRefreshToken):
        await world.refresh(other.refresh_token)
    # This device refreshes and carries on.
    renewed = await world.refresh(current.refresh_token)
    await world.authenticate(renewed.access_token)
    # The new password signs in, the old one does not; an outstanding reset link is dead.
    with pytest.raises(InvalidCredentials):
        await world.login(EMAIL, PASSWORD)
    await world.login(EMAIL, NEW_PASSWORD)
    with pytest.raises(InvalidToken):
        await passwords.reset_password(world.uow(), world.services, token=reset_token, password="brand-new-passphrase")


# --------------------------------------------------------------------------- forgot password


async def test_forgot_password_answers_the_same_for_unknown_emails(world: World) -> None:
    user = await registered(world)
    assert await passwords.forgot_password(world.uow(), world.services, email="nobody@example.sg", ip="1.1.1.1") is None
    assert await passwords.forgot_password(world.uow(), world.services, email="not-an-email", ip="1.1.1.1") is None
    assert (
        await passwords.forgot_password(world.uow(), world.services, email=" ANN.LEE@example.sg", ip="1.1.1.1") is None
    )
    # The unknown address records a subjectless event (the same work as a known one; it mails nothing).
    unknown, known = world.events(UserPasswordResetRequested.name)
    assert unknown.subject is None and unknown.payload == {"ip": "1.1.1.1"}
    assert known.subject == f"user:{user.id}"
    assert known.payload == {"ip": "1.1.1.1"}


class _CountingUow(InMemoryIdentityUnitOfWork):
    """Records every storage step a use case takes, in order (reads, writes, commits)."""

    def __init__(self, state: IdentityState, steps: list[str]) -> None:
        self._steps = steps
        super().__init__(state)

    def _begin(self) -> None:
        super()._begin()
        steps, users, events = self._steps, self.users, self.events
        real_get_by_email, real_append = users.get_by_email, events.append

        async def get_by_email(email: str) -> User | None:
            steps.append("users.get_by_email")
            return await real_get_by_email(email)

        async def append(*recorded: Any) -> None:
            steps.append("events.append")
            await real_append(*recorded)

        users.get_by_email = get_by_email  # type: ignore[method-assign]
        events.append = append  # type: ignore[method-assign]

    async def commit(self) -> None:
        self._steps.append("commit")
        await super().commit()

    async def rollback(self) -> None:
        self._steps.append("rollback")
        await super().rollback()


class _CountingThrottle(InMemoryThrottle):
    def __init__(self, world: World, steps: list[str]) -> None:
        super().__init__(world.clock)
        self._steps = steps

    async def retry_after(self, key: str, policy: Any) -> int:
        self._steps.append("throttle.retry_after")
        return await super().retry_after(key, policy)

    async def hit(self, key: str, policy: Any) -> int:
        self._steps.append("throttle.hit")
        return await super().hit(key, policy)


@pytest.mark.parametrize("other", ["nobody@example.sg", "inactive@example.sg"])
async def test_forgot_password_does_the_same_work_for_known_and_unknown_emails(world: World, other: str) -> None:
    await registered(world)
    inactive = await world.register("inactive@example.sg")
    world.state.users[inactive.id].is_active = False

    async def steps_for(email: str) -> list[str]:
        steps: list[str] = []
        services = replace(world.services, throttle=_CountingThrottle(world, steps))
        await passwords.forgot_password(_CountingUow(world.state, steps), services, email=email, ip="10.1.1.1")
        return steps

    known = await steps_for(EMAIL)
    assert known == await steps_for(other)
    assert known.count("events.append") == 1 and known[-1] == "commit"
    # ...and still only the real account gets a reset link.
    assert [e.subject for e in world.events(UserPasswordResetRequested.name)] == [f"user:{world.user().id}", None]


@pytest.mark.parametrize("email", [EMAIL, "nobody@example.sg"])
async def test_forgot_password_is_limited_to_three_per_email(world: World, email: str) -> None:
    await registered(world)
    for i in range(3):
        await passwords.forgot_password(world.uow(), world.services, email=email, ip=f"10.0.0.{i}")
    with pytest.raises(RateLimited):
        await passwords.forgot_password(world.uow(), world.services, email=email.upper(), ip="10.0.0.99")
    await passwords.forgot_password(world.uow(), world.services, email="someone-else@example.sg", ip="10.0.0.99")


async def test_forgot_password_is_limited_per_ip(world: World) -> None:
    for i in range(10):
        await passwords.forgot_password(world.uow(), world.services, email=f"u{i}@example.sg", ip="10.9.9.9")
    with pytest.raises(RateLimited):
        await passwords.forgot_password(world.uow(), world.services, email="u10@example.sg", ip="10.9.9.9")


async def test_forgot_password_ignores_inactive_users(world: World) -> None:
    user = await registered(world)
    world.state.users[user.id].is_active = False
    await passwords.forgot_password(world.uow(), world.services, email=EMAIL, ip=None)
    (requested,) = world.events(UserPasswordResetRequested.name)
    assert requested.subject is None  # recorded like an unknown address: its subscriber mails nothing


# --------------------------------------------------------------------------- reset password


async def reset(world: World, token: str, password: str = NEW_PASSWORD) -> None:
    world.secrets.add(password)
    await passwords.reset_password(world.uow(), world.services, token=token, password=password)


async def test_reset_password_sets_the_password_and_revokes_every_session(world: World) -> None:
    user = await registered(world)
    a = await world.login()
    b = await world.login()
    token = await world.mail_token(mails.send_password_reset_email, user_id=user.id)
    world.advance(minutes=5)
    await reset(world, token)

    stored = world.state.users[user.id]
    assert await world.hasher.verify(stored.password_hash, NEW_PASSWORD)
    assert stored.email_verified_at == T0 + timedelta(minutes=5)  # the link proved the mailbox
    assert stored.tokens_valid_after == T0 + timedelta(minutes=5)
    assert all(s.revoke_reason == "password_reset" for s in world.state.sessions.values())
    assert world.events()[-1].type == UserPasswordReset.name
    assert world.events()[-1].payload == {"sessionsRevoked": 2}
    for pair in (a, b):
        with pytest.raises(AuthenticationRequired):
            await world.authenticate(pair.access_token)
        with pytest.raises(InvalidRefreshToken):
            await world.refresh(pair.refresh_token)
    with pytest.raises(InvalidCredentials):
        await world.login(EMAIL, PASSWORD)
    await world.login(EMAIL, NEW_PASSWORD)


async def test_reset_token_is_single_use(world: World) -> None:
    user = await registered(world)
    token = await world.mail_token(mails.send_password_reset_email, user_id=user.id)
    await reset(world, token)
    with pytest.raises(InvalidToken):
        await reset(world, token, "yet-another-passphrase")
    await world.login(EMAIL, NEW_PASSWORD)


async def test_reset_token_expires_after_one_hour(world: World) -> None:
    user = await registered(world)
    token = await world.mail_token(mails.send_password_reset_email, user_id=user.id)
    world.advance(hours=1)
    with pytest.raises(InvalidToken):
        await reset(world, token)
    await world.login(EMAIL, PASSWORD)


async def test_reset_token_works_just_before_the_hour(world: World) -> None:
    user = await registered(world)
    token = await world.mail_token(mails.send_password_reset_email, user_id=user.id)
    world.advance(minutes=59, seconds=59)
    await reset(world, token)
    await world.login(EMAIL, NEW_PASSWORD)


async def test_a_weak_password_leaves_the_reset_token_usable(world: World) -> None:
    user = await registered(world)
    token = await world.mail_token(mails.send_password_reset_email, user_id=user.id)
    with pytest.raises(ValidationError) as info:
        await reset(world, token, "qwertyuiop")
    assert [e.field for e in info.value.errors] == ["password"]
    await reset(world, token)
    await world.login(EMAIL, NEW_PASSWORD)


async def test_a_verification_token_does_not_reset_a_password(world: World) -> None:
    user = await registered(world)
    token = await world.mail_token(mails.send_verification_email, user_id=user.id)
    with pytest.raises(InvalidToken):
        await reset(world, token)


# --------------------------------------------------------------------------- mails


async def test_verification_mail_carries_a_working_link() -> None:
    world = World(config=IdentityConfig(app_base_url="https://app.example.sg/"))
    user = await registered(world)
    token = await world.mail_token(mails.send_verification_email, user_id=user.id)
    (message,) = world.mailer.sent
    assert message.to == (EMAIL,)
    assert message.tags == ("verify-email",)
    links = re.findall(r"https?://\S+", message.text)
    assert links == [f"https://app.example.sg/verify-email?token={token}"]
    assert message.html is not None
    assert f'href="https://app.example.sg/verify-email?token={token}"' in message.html
    # Only the digest is stored.
    (stored,) = world.state.action_tokens.values()
    assert stored.digest == digest_token(token)
    assert stored.purpose is ActionPurpose.VERIFY_EMAIL
    assert stored.expires_at == T0 + timedelta(hours=24)
    await accounts.verify_email(world.uow(), world.services, token=token)
    assert world.state.users[user.id].email_verified


async def test_verification_link_uses_the_default_base_url(world: World) -> None:
    user = await registered(world)
    token = await world.mail_token(mails.send_verification_email, user_id=user.id)
    assert f"http://localhost:3000/verify-email?token={token}" in world.mailer.sent[-1].text


async def test_a_new_verification_mail_invalidates_the_older_link(world: World) -> None:
    user = await registered(world)
    older = await world.mail_token(mails.send_verification_email, user_id=user.id)
    newer = await world.mail_token(mails.send_verification_email, user_id=user.id)
    assert older != newer
    with pytest.raises(InvalidToken):
        await accounts.verify_email(world.uow(), world.services, token=older)
    await accounts.verify_email(world.uow(), world.services, token=newer)


async def test_no_verification_mail_for_a_verified_user(world: World) -> None:
    user = await registered(world)
    token = await world.mail_token(mails.send_verification_email, user_id=user.id)
    await accounts.verify_email(world.uow(), world.services, token=token)
    sent = await mails.send_verification_email(world.uow(), world.services, user_id=user.id)
    assert sent is False
    assert len(world.mailer.sent) == 1


async def test_reset_mail_link_expires_in_one_hour(world: World) -> None:
    user = await registered(world)
    token = await world.mail_token(mails.send_password_reset_email, user_id=user.id)
    message = world.mailer.sent[-1]
    assert message.to == (EMAIL,)
    assert f"http://localhost:3000/reset-password?token={token}" in message.text
    (stored,) = [t for t in world.state.action_tokens.values() if t.purpose is ActionPurpose.RESET_PASSWORD]
    assert stored.expires_at == T0 + timedelta(hours=1)
    world.advance(hours=1)
    with pytest.raises(InvalidToken):
        await reset(world, token)


async def test_a_failed_send_does_not_keep_a_token(world: World) -> None:
    user = await registered(world)
    world.mailer.failure = RuntimeError("smtp down")
    uow = world.uow()
    with pytest.raises(RuntimeError):
        await mails.send_password_reset_email(uow, world.services, user_id=user.id)
    await uow.rollback()
    assert world.state.action_tokens == {}


# --------------------------------------------------------------------------- staff


async def test_create_staff_creates_a_verified_staff_user_with_a_generated_password(world: World) -> None:
    user, generated = await staff.create_staff(world.uow(), world.services, email=" Ops@Example.SG ")
    assert generated is not None
    assert len(generated) >= 20
    world.secrets.add(generated)
    stored = world.state.users[user.id]
    assert stored.email == "ops@example.sg"
    assert stored.is_staff
    assert stored.email_verified
    assert [e.type for e in world.events()] == [UserRegistered.name, UserStaffGranted.name]
    assert all(e.payload == {"via": "cli"} and e.actor_id is None for e in world.events())
    pair = await world.login("ops@example.sg", generated)
    assert (await world.authenticate(pair.access_token)).is_staff


async def test_create_staff_with_a_given_password_checks_it(world: World) -> None:
    with pytest.raises(ValidationError):
        await staff.create_staff(world.uow(), world.services, email="ops@example.sg", password="qwertyuiop")
    assert world.state.users == {}
    user, generated = await staff.create_staff(
        world.uow(), world.services, email="ops@example.sg", password=PASSWORD, full_name="Ops Team"
    )
    assert generated is None
    assert world.state.users[user.id].full_name == "Ops Team"
    await world.login("ops@example.sg", PASSWORD)


async def test_create_staff_promotes_an_existing_user_and_is_idempotent(world: World) -> None:
    user = await registered(world)
    hash_before = world.state.users[user.id].password_hash
    promoted, generated = await staff.create_staff(world.uow(), world.services, email=EMAIL)
    assert promoted.id == user.id
    assert generated is None
    stored = world.state.users[user.id]
    assert stored.is_staff
    assert stored.password_hash == hash_before
    assert len(world.state.users) == 1
    assert world.events()[-1].type == UserStaffGranted.name

    count = len(world.events())
    again, generated_again = await staff.create_staff(world.uow(), world.services, email=EMAIL)
    assert again.id == user.id
    assert generated_again is None
    assert len(world.events()) == count
    assert len(world.state.users) == 1


# --------------------------------------------------------------------------- no secrets in events


async def test_no_event_payload_carries_a_password_token_or_hash(world: World) -> None:
    """Run every flow, remember every secret handed out, then search every recorded event."""
    ann = await world.register()
    bob = await world.register("bob@example.sg", "another-good-passphrase")
    verify = await world.mail_token(mails.send_verification_email, user_id=ann.id)
    await accounts.verify_email(world.uow(), world.services, token=verify)

    with pytest.raises(InvalidCredentials):
        await world.login(EMAIL, "wrong-password-123")
    with pytest.raises(InvalidCredentials):
        await world.login("nobody@example.sg", "unknown-user-password")
    first = await world.login()
    second = await world.refresh(first.refresh_token)
    world.advance(seconds=11)
    with pytest.raises(InvalidRefreshToken):
        await world.refresh(first.refresh_token)  # reuse
    await world.login(services=world.with_hasher(PlainTestHasher(version=2)))  # rehash
    third = await world.login()
    await sessions.logout(world.uow(), world.services, refresh_token=third.refresh_token)

    world.secrets.add(NEW_PASSWORD)
    current = await world.login()
    await passwords.change_password(
        world.uow(),
        world.services,
        user_id=ann.id,
        session_id=current.session_id,
        current_password=PASSWORD,
        new_password=NEW_PASSWORD,
    )
    await passwords.forgot_password(world.uow(), world.services, email=EMAIL, ip="10.1.1.1")
    reset_token = await world.mail_token(mails.send_password_reset_email, user_id=ann.id)
    await reset(world, reset_token, "final-secret-passphrase")

    await accounts.request_email_change(
        world.uow(), world.services, user_id=ann.id, new_email="ann@newmail.sg", password="final-secret-passphrase"
    )
    change = await world.mail_token(mails.send_email_change_email, user_id=ann.id, new_email="ann@newmail.sg")
    await accounts.verify_email(world.uow(), world.services, token=change)
    await sessions.logout_all(world.uow(), world.services, user_id=bob.id)
    _, generated = await staff.create_staff(world.uow(), world.services, email="ops@example.sg")
    assert generated is not None
    world.secrets.add(generated)
    await staff.create_staff(world.uow(), world.services, email="bob@example.sg")

    world.secrets |= {u.password_hash for u in world.state.users.values()}
    world.secrets |= {t.digest for t in world.state.refresh_tokens.values()}
    world.secrets |= {t.digest for t in world.state.action_tokens.values()}
    world.secrets.add(second.access_token)
    for pair_secret in list(world.secrets):
        # Hash fakes look like fake$1$<hex>: their hex part alone is a secret too.
        if pair_secret.startswith("fake$"):
            world.secrets.add(pair_secret.rpartition("$")[2])

    types = {e.type for e in world.events()}
    assert types >= {
        UserRegistered.name,
        UserEmailVerified.name,
        UserLoginFailed.name,
        UserLoggedIn.name,
        UserRefreshTokenReused.name,
        UserLoggedOut.name,
        UserPasswordChanged.name,
        UserPasswordResetRequested.name,
        UserPasswordReset.name,
        UserEmailChangeRequested.name,
        UserEmailChanged.name,
        UserSessionsRevoked.name,
        UserStaffGranted.name,
    }
    assert len(world.secrets) > 20
    for event in world.events():
        text = json.dumps({"payload": dict(event.payload), "subject": event.subject}, default=str)
        leaked = [s for s in world.secrets if s and s in text]
        assert leaked == [], f"{event.type} leaks {leaked}"
        assert not any(re.search(r"password|token|hash|secret", key, re.I) for key in event.payload), event
