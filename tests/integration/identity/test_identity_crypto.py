"""The real crypto adapters: Argon2id password hashing and HS256-pinned access-token JWTs."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import argon2
import jwt
import pytest

from nexuscore.identity.adapters.crypto.argon2_hasher import Argon2PasswordHasher
from nexuscore.identity.adapters.crypto.jwt_tokens import AUDIENCE, ISSUER, JwtAccessTokens
from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.errors import AuthenticationRequired, DependencyUnavailable

pytestmark = pytest.mark.integration

OWASP_PREFIX = "$argon2id$v=19$m=19456,t=2,p=1$"
PASSWORD = "violet-harbour-lantern"
SECRET = "integration-test-secret-key-0123456789"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


# --------------------------------------------------------------------------- Argon2


@pytest.fixture(scope="module")
def hasher() -> Iterator[Argon2PasswordHasher]:
    h = Argon2PasswordHasher(max_threads=2)
    try:
        yield h
    finally:
        h.close()


@pytest.fixture(scope="module")
def weak_hasher() -> Iterator[Argon2PasswordHasher]:
    h = Argon2PasswordHasher(memory_cost_kib=8192, time_cost=1, max_threads=1)
    try:
        yield h
    finally:
        h.close()


async def test_hash_uses_argon2id_with_at_least_the_owasp_parameters(hasher: Argon2PasswordHasher) -> None:
    hashed = await hasher.hash(PASSWORD)
    assert hashed.startswith(OWASP_PREFIX)
    assert PASSWORD not in hashed
    assert await hasher.hash(PASSWORD) != hashed  # salted


async def test_verify_accepts_the_password_and_refuses_others(hasher: Argon2PasswordHasher) -> None:
    hashed = await hasher.hash(PASSWORD)
    assert await hasher.verify(hashed, PASSWORD) is True
    assert await hasher.verify(hashed, PASSWORD.upper()) is False
    assert await hasher.verify(hashed, PASSWORD + " ") is False
    assert await hasher.verify(hashed, "") is False


async def test_verify_handles_unicode_passwords(hasher: Argon2PasswordHasher) -> None:
    hashed = await hasher.hash("pässwörd-漢字-🔑")
    assert await hasher.verify(hashed, "pässwörd-漢字-🔑") is True
    assert await hasher.verify(hashed, "passwörd-漢字-🔑") is False


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "not-a-hash",
        "$argon2id$",
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$",
        "$argon2id$v=19$m=19456,t=2,p=1$!!!!$@@@@",
        "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",  # bcrypt
        "fake$1$" + "0" * 64,
    ],
)
async def test_verify_of_a_garbage_hash_is_false_not_an_exception(hasher: Argon2PasswordHasher, garbage: str) -> None:
    assert await hasher.verify(garbage, PASSWORD) is False


async def test_verify_of_a_truncated_hash_is_false(hasher: Argon2PasswordHasher) -> None:
    hashed = await hasher.hash(PASSWORD)
    assert await hasher.verify(hashed[:-10], PASSWORD) is False


async def test_needs_rehash_for_weaker_parameters(
    hasher: Argon2PasswordHasher, weak_hasher: Argon2PasswordHasher
) -> None:
    weak = await weak_hasher.hash(PASSWORD)
    assert weak.startswith("$argon2id$v=19$m=8192,t=1,p=1$")
    assert hasher.needs_rehash(weak) is True
    assert await hasher.verify(weak, PASSWORD) is True  # old hashes still verify, so login can upgrade them
    assert hasher.needs_rehash(await hasher.hash(PASSWORD)) is False
    assert hasher.needs_rehash("not-a-hash") is True


def _recording(calls: list[tuple[str, Any]], original: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any) -> Any:
        calls.append((threading.current_thread().name, args))
        return original(*args)

    return wrapper


async def test_hashing_runs_on_an_argon2_thread(hasher: Argon2PasswordHasher, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, Any]] = []
    monkeypatch.setattr(argon2.PasswordHasher, "hash", _recording(calls, argon2.PasswordHasher.hash))
    loop_thread = threading.current_thread().name
    hashed = await hasher.hash(PASSWORD)
    assert len(calls) == 1
    thread_name, _ = calls[0]
    assert thread_name.startswith("argon2")
    assert thread_name != loop_thread
    assert hashed.startswith(OWASP_PREFIX)


async def test_verify_runs_on_an_argon2_thread(hasher: Argon2PasswordHasher, monkeypatch: pytest.MonkeyPatch) -> None:
    hashed = await hasher.hash(PASSWORD)
    calls: list[tuple[str, Any]] = []
    monkeypatch.setattr(hasher, "_verify_sync", _recording(calls, hasher._verify_sync))
    assert await hasher.verify(hashed, PASSWORD) is True
    assert [(name.startswith("argon2"), args) for name, args in calls] == [(True, (hashed, PASSWORD))]
    assert calls[0][0] != threading.current_thread().name


async def test_verify_dummy_does_a_real_argon2_verify_off_the_loop(
    hasher: Argon2PasswordHasher, monkeypatch: pytest.MonkeyPatch
) -> None:
    argon_calls: list[tuple[str, Any]] = []
    monkeypatch.setattr(argon2.PasswordHasher, "verify", _recording(argon_calls, argon2.PasswordHasher.verify))
    sync_calls: list[tuple[str, Any]] = []
    monkeypatch.setattr(hasher, "_verify_sync", _recording(sync_calls, hasher._verify_sync))

    assert await hasher.verify_dummy(PASSWORD) is None

    assert len(sync_calls) == 1
    thread_name, (dummy_hash, password) = sync_calls[0]
    assert thread_name.startswith("argon2")
    assert thread_name != threading.current_thread().name
    assert password == PASSWORD
    # The same work as a real verify: an Argon2id hash with the production parameters ...
    assert dummy_hash.startswith(OWASP_PREFIX)
    # ... really verified by argon2 (on the same worker thread), not short-circuited.
    assert [(name, args[1:]) for name, args in argon_calls] == [(thread_name, (dummy_hash, PASSWORD))]


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="SCHED_IDLE is Linux-only")
def test_hashing_threads_run_at_idle_priority_and_the_caller_keeps_its_own() -> None:
    hasher = Argon2PasswordHasher(max_threads=1)
    try:
        policy_on_pool = hasher._pool.submit(os.sched_getscheduler, 0).result(timeout=10)
        assert policy_on_pool == os.SCHED_IDLE
        assert os.sched_getscheduler(0) == os.SCHED_OTHER  # only the hashing thread gave way
    finally:
        hasher.close()


async def test_a_full_hashing_queue_answers_unavailable_after_the_timeout_and_frees_up() -> None:
    hasher = Argon2PasswordHasher(max_threads=1, queue_per_thread=1, queue_timeout=0.2)
    try:
        hashed = await hasher.hash(PASSWORD)
        async with hasher.reserve():
            with pytest.raises(DependencyUnavailable) as info:
                await hasher.verify(hashed, PASSWORD)
        assert info.value.extra == {"retryAfter": 2}
        assert await hasher.verify(hashed, PASSWORD) is True  # the place came back
    finally:
        hasher.close()


async def test_work_on_a_reserved_place_does_not_queue_again() -> None:
    # One place in all: if the turn's verify and hash queued again they would time out.
    hasher = Argon2PasswordHasher(max_threads=1, queue_per_thread=1, queue_timeout=0.2)
    try:
        async with hasher.reserve() as turn:
            hashed = await turn.hash(PASSWORD)
            assert await turn.verify(hashed, PASSWORD) is True
            assert await turn.verify(hashed, "not-the-password") is False
            await turn.verify_dummy(PASSWORD)
    finally:
        hasher.close()


# --------------------------------------------------------------------------- JWT


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def segment(obj: dict[str, Any]) -> str:
    return b64url(json.dumps(obj, separators=(",", ":")).encode())


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def tokens(clock: FixedClock) -> JwtAccessTokens:
    return JwtAccessTokens(SECRET, clock)


def valid_claims(**overrides: Any) -> dict[str, Any]:
    issued = NOW.timestamp()
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": str(uuid4()),
        "sid": str(uuid4()),
        "iat": issued,
        "exp": int(issued) + 900,
        "jti": "jti-1234",
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def craft(tokens: JwtAccessTokens, claims: dict[str, Any], *, algorithm: str = "HS256") -> str:
    """A token signed with the instance's own derived key: only the claims can be at fault."""
    return jwt.encode(claims, tokens._key, algorithm=algorithm)


def test_round_trip(tokens: JwtAccessTokens) -> None:
    user_id, session_id = uuid4(), uuid4()
    token = tokens.issue(user_id, session_id, NOW)
    claims = tokens.decode(token)
    assert claims.user_id == user_id
    assert claims.session_id == session_id
    assert claims.issued_at == NOW
    assert claims.expires_at == NOW + timedelta(seconds=900)
    assert claims.token_id
    assert tokens.lifetime_seconds == 900
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "HS256"
    assert tokens.decode(tokens.issue(user_id, session_id, NOW)).token_id != claims.token_id


def test_issued_at_keeps_sub_second_precision(tokens: JwtAccessTokens) -> None:
    moment = NOW + timedelta(microseconds=123_457)
    assert tokens.decode(tokens.issue(uuid4(), uuid4(), moment)).issued_at == moment


def test_a_hand_crafted_token_with_valid_claims_is_accepted(tokens: JwtAccessTokens) -> None:
    """Control for the refusals below: the crafting itself produces acceptable tokens."""
    claims = valid_claims()
    decoded = tokens.decode(craft(tokens, claims))
    assert decoded.user_id == UUID(claims["sub"])
    assert decoded.session_id == UUID(claims["sid"])


def test_alg_none_is_refused(tokens: JwtAccessTokens) -> None:
    header = {"alg": "none", "typ": "JWT"}
    token = f"{segment(header)}.{segment(valid_claims())}."
    with pytest.raises(AuthenticationRequired):
        tokens.decode(token)
    for variant in ("None", "NONE", "nOnE"):
        with pytest.raises(AuthenticationRequired):
            tokens.decode(f"{segment({'alg': variant, 'typ': 'JWT'})}.{segment(valid_claims())}.")


def test_token_signed_with_another_secret_is_refused(tokens: JwtAccessTokens, clock: FixedClock) -> None:
    other = JwtAccessTokens("a-completely-different-secret-key", clock)
    with pytest.raises(AuthenticationRequired):
        tokens.decode(other.issue(uuid4(), uuid4(), NOW))


def test_token_signed_with_the_raw_secret_key_is_refused(tokens: JwtAccessTokens) -> None:
    token = jwt.encode(valid_claims(), SECRET, algorithm="HS256")
    with pytest.raises(AuthenticationRequired):
        tokens.decode(token)


def test_expired_token_is_refused(tokens: JwtAccessTokens) -> None:
    earlier = JwtAccessTokens(SECRET, FixedClock(NOW - timedelta(hours=1)))
    token = earlier.issue(uuid4(), uuid4(), NOW - timedelta(hours=1))
    earlier.decode(token)  # valid when it was issued
    with pytest.raises(AuthenticationRequired):
        tokens.decode(token)


def test_token_expires_after_its_lifetime(tokens: JwtAccessTokens, clock: FixedClock) -> None:
    token = tokens.issue(uuid4(), uuid4(), NOW)
    clock.advance(timedelta(seconds=890))
    tokens.decode(token)
    clock.advance(timedelta(seconds=20))
    with pytest.raises(AuthenticationRequired):
        tokens.decode(token)


def test_token_from_the_future_is_refused(tokens: JwtAccessTokens) -> None:
    token = tokens.issue(uuid4(), uuid4(), NOW + timedelta(minutes=5))
    with pytest.raises(AuthenticationRequired):
        tokens.decode(token)


@pytest.mark.parametrize(
    "overrides",
    [
        {"aud": "another-api"},
        {"aud": None},
        {"iss": "someone-else"},
        {"iss": None},
        {"jti": None},
        {"sid": None},
        {"sub": None},
        {"exp": None},
        {"iat": None},
        {"sub": "not-a-uuid"},
        {"sid": "not-a-uuid"},
    ],
    ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()),
)
def test_tokens_with_wrong_or_missing_claims_are_refused(tokens: JwtAccessTokens, overrides: dict[str, Any]) -> None:
    with pytest.raises(AuthenticationRequired):
        tokens.decode(craft(tokens, valid_claims(**overrides)))


def test_tampered_payload_is_refused(tokens: JwtAccessTokens) -> None:
    token = tokens.issue(uuid4(), uuid4(), NOW)
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = str(uuid4())
    with pytest.raises(AuthenticationRequired):
        tokens.decode(f"{header}.{segment(claims)}.{signature}")
    # Flipping one signature character is refused too.
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    with pytest.raises(AuthenticationRequired):
        tokens.decode(f"{header}.{payload}.{flipped}")


def test_rs256_header_is_refused(tokens: JwtAccessTokens) -> None:
    header = segment({"alg": "RS256", "typ": "JWT"})
    payload = segment(valid_claims())
    # Signed with the right key under HMAC, but announcing RS256 (algorithm confusion).
    signature = b64url(hmac.new(tokens._key, f"{header}.{payload}".encode(), hashlib.sha256).digest())
    with pytest.raises(AuthenticationRequired):
        tokens.decode(f"{header}.{payload}.{signature}")


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
@pytest.mark.parametrize("algorithm", ["HS384", "HS512"])
def test_other_hmac_algorithms_are_refused_even_with_the_right_key(tokens: JwtAccessTokens, algorithm: str) -> None:
    with pytest.raises(AuthenticationRequired):
        tokens.decode(craft(tokens, valid_claims(), algorithm=algorithm))


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "....", "eyJhbGciOiJIUzI1NiJ9..", "Bearer x.y.z"])
def test_garbage_is_refused(tokens: JwtAccessTokens, garbage: str) -> None:
    with pytest.raises(AuthenticationRequired):
        tokens.decode(garbage)


def test_short_secrets_are_refused(clock: FixedClock) -> None:
    with pytest.raises(ValueError):
        JwtAccessTokens("too-short", clock)
