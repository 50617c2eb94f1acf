"""Identity domain rules: email normal form, password rules, action-token lifetimes, opaque
tokens and the access-token cut-off of a user."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest

from nexuscore.identity.domain.model import ActionPurpose, ActionToken, AuthSession, User
from nexuscore.identity.domain.passwords import (
    MAX_LENGTH,
    MIN_LENGTH,
    check_password,
    common_passwords,
    password_problems,
)
from nexuscore.kernel.email import normalise_email
from nexuscore.kernel.errors import ValidationError
from nexuscore.kernel.ids import new_id
from nexuscore.kernel.tokens import OpaqueToken, digest_token, new_opaque_token

pytestmark = pytest.mark.unit

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
STRONG = "violet-harbour-lantern"


# --------------------------------------------------------------------------- email


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ann@example.sg", "ann@example.sg"),
        ("Ann@Example.SG", "ann@example.sg"),
        ("  ann@example.sg\t\n", "ann@example.sg"),
        (" ANN.LEE+promo@Mail.Example.COM ", "ann.lee+promo@mail.example.com"),
        # NFKC folds full-width forms to ASCII before the shape check.
        ("\uff21\uff4e\uff4e@\uff45xample.sg", "ann@example.sg"),
        ("ann\uff20example.sg", "ann@example.sg"),  # full-width at sign
        ("o'brien_99@example-shop.sg", "o'brien_99@example-shop.sg"),
    ],
)
def test_normalise_email_folds_case_whitespace_and_compatibility_forms(raw: str, expected: str) -> None:
    assert normalise_email(raw) == expected


def test_normalise_email_is_idempotent() -> None:
    once = normalise_email("  Ann.Lee@Example.SG ")
    assert normalise_email(once) == once


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "ann",
        "ann@",
        "@example.sg",
        "ann@@example.sg",
        "ann@example",  # a single label is no internet domain
        "ann@example.",
        "ann@.example.sg",
        "ann@example..sg",
        "ann@-example.sg",
        "ann@example-.sg",
        "ann@exa_mple.sg",
        "ann lee@example.sg",
        "ann@exa mple.sg",
        ".ann@example.sg",
        "ann.@example.sg",
        "ann..lee@example.sg",
        "ann(comment)@example.sg",
        "<ann@example.sg>",
        "ann@example.sg, bob@example.sg",
        "ann@example.sg\nBcc: eve@example.sg",
    ],
)
def test_normalise_email_refuses_invalid_shapes(raw: str) -> None:
    with pytest.raises(ValidationError) as info:
        normalise_email(raw)
    assert [e.field for e in info.value.errors] == ["email"]


def test_normalise_email_reports_the_given_field() -> None:
    with pytest.raises(ValidationError) as info:
        normalise_email("nope", field="newEmail")
    assert [e.field for e in info.value.errors] == ["newEmail"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ann@bücher.de", "ann@bücher.de"),
        ("ann@BÜCHER.de", "ann@bücher.de"),
        ("ann@例え.jp", "ann@例え.jp"),
        ("ann@xn--bcher-kva.de", "ann@xn--bcher-kva.de"),  # the ASCII (punycode) form is fine too
    ],
)
def test_normalise_email_accepts_internationalised_domains(raw: str, expected: str) -> None:
    assert normalise_email(raw) == expected


def test_normalise_email_refuses_a_domain_that_cannot_be_encoded() -> None:
    with pytest.raises(ValidationError):
        normalise_email("ann@" + "ü" * 70 + ".sg")  # label longer than 63 once encoded


def _domain_of_length(n: int) -> str:
    """A valid domain of exactly n characters (labels of at most 63)."""
    labels: list[str] = []
    remaining = n - 3  # room for ".sg"
    while remaining > 0:
        size = min(63, remaining)
        if remaining - size == 1:  # never leave a single dot without a label
            size -= 1
        labels.append("d" * size)
        remaining -= size + 1
    domain = ".".join(labels) + ".sg"
    assert len(domain) == n
    return domain


def test_normalise_email_caps_the_local_part_at_64() -> None:
    assert normalise_email("a" * 64 + "@example.sg") == "a" * 64 + "@example.sg"
    with pytest.raises(ValidationError) as info:
        normalise_email("a" * 65 + "@example.sg")
    assert "too long" in info.value.errors[0].message


def test_normalise_email_caps_the_whole_address_at_254() -> None:
    at_cap = "a" * 64 + "@" + _domain_of_length(254 - 65)
    assert len(at_cap) == 254
    assert normalise_email(at_cap) == at_cap
    over = "a" * 64 + "@" + _domain_of_length(255 - 65)
    with pytest.raises(ValidationError) as info:
        normalise_email(over)
    assert "too long" in info.value.errors[0].message


# --------------------------------------------------------------------------- passwords


def test_password_length_bounds() -> None:
    assert MIN_LENGTH == 10
    assert MAX_LENGTH == 128
    base = "zq7-Wx!"
    assert password_problems((base * 2)[:9]) == ["must be at least 10 characters"]
    assert password_problems((base * 2)[:10]) == []
    assert password_problems((base * 20)[:128]) == []
    assert password_problems((base * 20)[:129]) == ["must be at most 128 characters"]


def test_length_counts_characters_not_bytes() -> None:
    assert password_problems("ü€漢字ü€漢字ü€") == []  # 10 characters, 26 bytes
    assert password_problems("ü€漢字ü€漢字ü") == ["must be at least 10 characters"]


def test_common_password_list_is_large_and_lower_cased() -> None:
    common = common_passwords()
    assert len(common) >= 10_000
    assert all(p == p.casefold() for p in common)
    assert "1234567890" in common
    assert "qwertyuiop" in common


@pytest.mark.parametrize("password", ["1234567890", "qwertyuiop", "QWERTYUIOP", "QwErTyUiOp", "password123"])
def test_common_passwords_are_refused_whatever_the_case(password: str) -> None:
    problems = password_problems(password)
    assert problems == ["is too common; choose something less guessable"]


def test_common_passwords_are_refused_in_compatibility_forms() -> None:
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in "qwertyuiop")  # full-width forms
    assert "is too common; choose something less guessable" in password_problems(full_width)


def test_password_must_not_contain_the_email_local_part() -> None:
    email = "ann.lee@example.sg"
    assert password_problems("my-ann.lee-secret", email) == ["must not contain your email address"]
    assert password_problems("MY-ANN.LEE-SECRET", email) == ["must not contain your email address"]
    assert password_problems("my-ann.lee-secret", "Ann.Lee@Example.SG") == ["must not contain your email address"]
    assert password_problems("my-ann-lee-secret", email) == []
    assert password_problems("my-ann.lee-secret") == []  # without an email the rule does not apply


def test_very_short_local_parts_do_not_forbid_passwords() -> None:
    # "al" appears in countless words; a 1-2 character local part would forbid too much.
    assert password_problems("totally-alright-pass", "al@example.sg") == []
    assert password_problems("my-bob-is-the-best", "bob@example.sg") == ["must not contain your email address"]


def test_all_problems_are_reported_at_once() -> None:
    problems = password_problems("ann", "ann@example.sg")
    assert "must be at least 10 characters" in problems
    assert "must not contain your email address" in problems


def test_check_password_raises_field_errors_on_the_given_field() -> None:
    check_password(STRONG, "ann@example.sg")  # no exception
    with pytest.raises(ValidationError) as info:
        check_password("qwertyuiop", field="newPassword")
    assert [(e.field, e.message) for e in info.value.errors] == [
        ("newPassword", "is too common; choose something less guessable")
    ]


# --------------------------------------------------------------------------- action tokens


def test_action_purpose_lifetimes() -> None:
    assert ActionPurpose.VERIFY_EMAIL.lifetime == timedelta(hours=24)
    assert ActionPurpose.CHANGE_EMAIL.lifetime == timedelta(hours=24)
    assert ActionPurpose.RESET_PASSWORD.lifetime == timedelta(hours=1)


@pytest.mark.parametrize("purpose", list(ActionPurpose))
def test_action_token_is_usable_until_it_expires_or_is_used(purpose: ActionPurpose) -> None:
    token = ActionToken(
        user_id=new_id(), purpose=purpose, digest="d" * 64, created_at=T0, expires_at=T0 + purpose.lifetime
    )
    assert token.usable(T0)
    assert token.usable(T0 + purpose.lifetime - timedelta(microseconds=1))
    assert not token.usable(T0 + purpose.lifetime)
    token.used_at = T0
    assert not token.usable(T0)


def test_auth_session_is_active_until_revoked_or_expired() -> None:
    session = AuthSession(user_id=new_id(), created_at=T0, last_used_at=T0, expires_at=T0 + timedelta(days=30))
    assert session.active(T0)
    assert not session.active(T0 + timedelta(days=30))
    session.revoked_at = T0
    assert not session.active(T0)


# --------------------------------------------------------------------------- opaque tokens


def test_opaque_tokens_are_random_and_long() -> None:
    tokens = [new_opaque_token() for _ in range(200)]
    assert len({t.raw for t in tokens}) == 200
    assert len({t.digest for t in tokens}) == 200
    for t in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", t.raw)  # 32 random bytes, URL-safe base64


def test_opaque_token_digest_is_sha256_hex_of_the_raw_value() -> None:
    token = new_opaque_token()
    assert isinstance(token, OpaqueToken)
    assert re.fullmatch(r"[0-9a-f]{64}", token.digest)
    assert token.digest == hashlib.sha256(token.raw.encode()).hexdigest()
    assert token.digest == digest_token(token.raw)
    assert token.raw != token.digest
    assert token.raw not in token.digest


def test_digest_token_is_deterministic_and_distinguishes_inputs() -> None:
    assert digest_token("abc") == digest_token("abc")
    assert digest_token("abc") != digest_token("abd")
    assert digest_token("") == hashlib.sha256(b"").hexdigest()


# --------------------------------------------------------------------------- users


def _user() -> User:
    return User.register(email="ann@example.sg", full_name="Ann", password_hash="h", now=T0)


def test_new_user_accepts_any_token() -> None:
    user = _user()
    assert user.tokens_valid_after is None
    assert user.accepts_token_issued_at(T0 - timedelta(days=365))


def test_revoked_user_refuses_tokens_issued_before_the_cut_off() -> None:
    user = _user()
    cut = T0 + timedelta(minutes=5)
    user.revoke_tokens(cut)
    assert user.tokens_valid_after == cut
    assert user.updated_at == cut
    assert not user.accepts_token_issued_at(cut - timedelta(microseconds=1))
    assert not user.accepts_token_issued_at(T0)
    assert user.accepts_token_issued_at(cut)
    assert user.accepts_token_issued_at(cut + timedelta(seconds=1))


def test_set_password_revokes_tokens() -> None:
    user = _user()
    later = T0 + timedelta(hours=1)
    user.set_password("new-hash", later)
    assert user.password_hash == "new-hash"
    assert user.tokens_valid_after == later
    assert not user.accepts_token_issued_at(T0)


def test_register_defaults() -> None:
    user = _user()
    assert not user.is_staff
    assert user.is_active
    assert not user.email_verified
    assert user.marketing_consent_at is None
    consenting = User.register(email="b@example.sg", full_name="B", password_hash="h", now=T0, marketing_consent=True)
    assert consenting.marketing_consent_at == T0
    assert consenting.id != user.id
