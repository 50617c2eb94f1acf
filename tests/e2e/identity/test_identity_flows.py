"""Every row of the identity API table, with the failures it names, through HTTP."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.engine import make_url

from tests.e2e.conftest import PASSWORD, Inbox, bearer, concurrently, link_token, login, register, signed_in

pytestmark = pytest.mark.e2e

VERIFY = "Verify your email address"
RESET = "Reset your password"
NEW_EMAIL = "Confirm your new email address"
PROBLEM = "application/problem+json"


def problem(response: object, status: int, type_suffix: str | None = None) -> dict[str, object]:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith(PROBLEM)  # type: ignore[attr-defined]
    body: dict[str, object] = response.json()  # type: ignore[attr-defined]
    if type_suffix:
        assert str(body["type"]).endswith("/" + type_suffix), body
    return body


# --- POST /auth/register -------------------------------------------------------------------


async def test_register_returns_the_user_and_mails_a_verification_link(
    client: AsyncTestClient[Litestar], inbox: Inbox
) -> None:
    response = await register(client, "  Ann.Tan@Example.SG ", marketingConsent=True)
    assert response.status_code == 201, response.text
    user = response.json()
    assert user["email"] == "ann.tan@example.sg"
    assert user["fullName"] == "Ann Tan"
    assert user["emailVerified"] is False and user["isStaff"] is False and user["marketingConsent"] is True
    assert set(user) == {
        "id",
        "email",
        "fullName",
        "locale",
        "emailVerified",
        "isStaff",
        "marketingConsent",
        "createdAt",
    }
    mail = await inbox.wait_for("ann.tan@example.sg", VERIFY)
    assert "https://app.example.sg/verify-email?token=" in mail.get_body(("plain",)).get_content()
    assert mail.get_body(("html",)) is not None


async def test_register_refuses_a_duplicate_email_case_insensitively(client: AsyncTestClient[Litestar]) -> None:
    assert (await register(client, "dup@example.sg")).status_code == 201
    problem(await register(client, "DUP@Example.sg"), 409, "conflict")


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("short1!", "at least 10"),
        ("x" * 129, "at most 128"),
        ("1234567890", "too common"),
        ("qwertyuiop", "too common"),
        ("weiming-rocks-2026", "email"),
    ],
)
async def test_register_refuses_weak_passwords(client: AsyncTestClient[Litestar], password: str, fragment: str) -> None:
    body = problem(await register(client, "weiming@example.sg", password), 422, "validation-error")
    errors = body["errors"]
    assert isinstance(errors, list)
    assert any(e["field"] == "password" and fragment in e["message"] for e in errors), errors
    assert (await login(client, "weiming@example.sg", password)).status_code == 401  # nothing was created


@pytest.mark.parametrize("bad_email", ["not-an-email", "a@b", "@example.sg", "ann@@example.sg", ""])
async def test_register_refuses_invalid_emails(client: AsyncTestClient[Litestar], bad_email: str) -> None:
    body = problem(await register(client, bad_email), 422, "validation-error")
    assert body["errors"][0]["field"] == "email"  # type: ignore[index]


@pytest.mark.parametrize("field", ["isStaff", "emailVerified", "id"])
async def test_register_refuses_mass_assignment(client: AsyncTestClient[Litestar], field: str) -> None:
    value: object = True if field != "id" else "01a219b9-657b-73c6-a8a2-cea9469915e9"
    body = problem(await register(client, "mass@example.sg", **{field: value}), 422, "validation-error")
    assert body["errors"][0]["field"] == field  # type: ignore[index]
    assert (await login(client, "mass@example.sg")).status_code == 401


# --- POST /auth/verify-email and /auth/resend-verification ------------------------------------


async def test_verify_email_marks_the_address_verified_once(client: AsyncTestClient[Litestar], inbox: Inbox) -> None:
    await register(client, "ver@example.sg")
    token = link_token(await inbox.wait_for("ver@example.sg", VERIFY))
    response = await client.post("/api/v1/auth/verify-email", json={"token": token})
    assert response.status_code == 200 and response.json()["emailVerified"] is True
    problem(await client.post("/api/v1/auth/verify-email", json={"token": token}), 400, "invalid-token")
    tokens = await signed_in(client, "ver@example.sg")
    assert (await client.get("/api/v1/me", headers=bearer(tokens["accessToken"]))).json()["emailVerified"] is True


@pytest.mark.parametrize("token", ["nonsense", "", "x" * 300])
async def test_verify_email_refuses_unknown_tokens(client: AsyncTestClient[Litestar], token: str) -> None:
    problem(await client.post("/api/v1/auth/verify-email", json={"token": token}), 400, "invalid-token")


async def test_verify_email_refuses_an_expired_token(
    client: AsyncTestClient[Litestar], inbox: Inbox, clean_postgres: str
) -> None:
    await register(client, "late@example.sg")
    token = link_token(await inbox.wait_for("late@example.sg", VERIFY))
    await _expire_action_tokens(clean_postgres)
    problem(await client.post("/api/v1/auth/verify-email", json={"token": token}), 400, "invalid-token")


async def test_resend_verification_needs_sign_in_and_supersedes_the_old_link(
    client: AsyncTestClient[Litestar], inbox: Inbox
) -> None:
    await register(client, "resend@example.sg")
    first = link_token(await inbox.wait_for("resend@example.sg", VERIFY))
    problem(await client.post("/api/v1/auth/resend-verification"), 401, "authentication-required")
    tokens = await signed_in(client, "resend@example.sg")
    response = await client.post("/api/v1/auth/resend-verification", headers=bearer(tokens["accessToken"]))
    assert response.status_code == 202
    second = link_token(await inbox.wait_for("resend@example.sg", VERIFY, count=2))
    assert second != first
    problem(await client.post("/api/v1/auth/verify-email", json={"token": first}), 400, "invalid-token")
    assert (await client.post("/api/v1/auth/verify-email", json={"token": second})).status_code == 200


# --- POST /auth/login, /auth/refresh, /auth/logout, /auth/logout-all --------------------------


async def test_login_returns_a_bearer_token_pair(client: AsyncTestClient[Litestar]) -> None:
    await register(client, "login@example.sg")
    response = await login(client, "LOGIN@example.sg")
    assert response.status_code == 200
    body = response.json()
    assert body["tokenType"] == "Bearer" and body["expiresIn"] == 900
    assert body["accessToken"].count(".") == 2 and len(body["refreshToken"]) >= 32


async def test_wrong_password_and_unknown_email_get_the_same_401(client: AsyncTestClient[Litestar]) -> None:
    await register(client, "known@example.sg")
    wrong = problem(await login(client, "known@example.sg", "not the password!"), 401, "invalid-credentials")
    unknown = problem(await login(client, "nobody@example.sg", "not the password!"), 401, "invalid-credentials")
    malformed = problem(await login(client, "not an email", "not the password!"), 401, "invalid-credentials")
    for body in (wrong, unknown, malformed):
        body.pop("requestId")
    assert wrong == unknown == malformed


async def test_refresh_rotates_and_the_old_token_is_spent(client: AsyncTestClient[Litestar]) -> None:
    await register(client, "rot@example.sg")
    first = await signed_in(client, "rot@example.sg")
    second = await client.post("/api/v1/auth/refresh", json={"refreshToken": first["refreshToken"]})
    assert second.status_code == 200
    pair = second.json()
    assert pair["refreshToken"] != first["refreshToken"]
    assert (await client.get("/api/v1/me", headers=bearer(pair["accessToken"]))).status_code == 200


async def test_reusing_a_spent_refresh_token_revokes_the_whole_family(
    client: AsyncTestClient[Litestar], clean_postgres: str
) -> None:
    await register(client, "reuse@example.sg")
    stolen = await signed_in(client, "reuse@example.sg")
    rotated = (await client.post("/api/v1/auth/refresh", json={"refreshToken": stolen["refreshToken"]})).json()
    # The replay comes later than the two-tabs leeway (10 s): move the spend back instead of waiting.
    conn = await asyncpg.connect(make_url(clean_postgres).set(drivername="postgresql").render_as_string(False))
    try:
        await conn.execute("UPDATE identity_refresh_token SET spent_at = spent_at - interval '11 seconds'")
    finally:
        await conn.close()
    problem(
        await client.post("/api/v1/auth/refresh", json={"refreshToken": stolen["refreshToken"]}),
        401,
        "invalid-refresh-token",
    )
    # The legitimate holder's newer tokens died with the family.
    problem(
        await client.post("/api/v1/auth/refresh", json={"refreshToken": rotated["refreshToken"]}),
        401,
        "invalid-refresh-token",
    )
    problem(await client.get("/api/v1/me", headers=bearer(rotated["accessToken"])), 401)


async def test_two_tabs_refreshing_at_once_both_stay_signed_in(client: AsyncTestClient[Litestar]) -> None:
    await register(client, "tabs@example.sg")
    tokens = await signed_in(client, "tabs@example.sg")
    body = {"json": {"refreshToken": tokens["refreshToken"]}}
    responses = await concurrently(client, [("POST", "/api/v1/auth/refresh", body)] * 2)
    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    for pair in (r.json() for r in responses):
        assert (await client.get("/api/v1/me", headers=bearer(pair["accessToken"]))).status_code == 200
        again = await client.post("/api/v1/auth/refresh", json={"refreshToken": pair["refreshToken"]})
        assert again.status_code == 200, again.text


async def test_refresh_refuses_garbage(client: AsyncTestClient[Litestar]) -> None:
    problem(await client.post("/api/v1/auth/refresh", json={"refreshToken": "forged"}), 401, "invalid-refresh-token")


async def test_logout_ends_only_that_session(client: AsyncTestClient[Litestar]) -> None:
    await register(client, "out@example.sg")
    phone = await signed_in(client, "out@example.sg")
    laptop = await signed_in(client, "out@example.sg")
    response = await client.post("/api/v1/auth/logout", json={"refreshToken": phone["refreshToken"]})
    assert response.status_code == 204
    problem(await client.post("/api/v1/auth/refresh", json={"refreshToken": phone["refreshToken"]}), 401)
    problem(await client.get("/api/v1/me", headers=bearer(phone["accessToken"])), 401)
    assert (await client.get("/api/v1/me", headers=bearer(laptop["accessToken"]))).status_code == 200
    # idempotent
    assert (await client.post("/api/v1/auth/logout", json={"refreshToken": phone["refreshToken"]})).status_code == 204


async def test_logout_all_ends_every_session_and_access_token_at_once(client: AsyncTestClient[Litestar]) -> None:
    await register(client, "all@example.sg")
    a = await signed_in(client, "all@example.sg")
    b = await signed_in(client, "all@example.sg")
    problem(await client.post("/api/v1/auth/logout-all"), 401)
    assert (await client.post("/api/v1/auth/logout-all", headers=bearer(a["accessToken"]))).status_code == 204
    for pair in (a, b):
        problem(await client.get("/api/v1/me", headers=bearer(pair["accessToken"])), 401)
        problem(await client.post("/api/v1/auth/refresh", json={"refreshToken": pair["refreshToken"]}), 401)
    fresh = await signed_in(client, "all@example.sg")
    assert (await client.get("/api/v1/me", headers=bearer(fresh["accessToken"]))).status_code == 200


# --- POST /auth/forgot-password and /auth/reset-password --------------------------------------


async def test_forgot_password_answers_the_same_and_mails_only_real_accounts(
    client: AsyncTestClient[Litestar], inbox: Inbox
) -> None:
    await register(client, "forgot@example.sg")
    known = await client.post("/api/v1/auth/forgot-password", json={"email": "Forgot@example.sg"})
    unknown = await client.post("/api/v1/auth/forgot-password", json={"email": "ghost@example.sg"})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    await inbox.wait_for("forgot@example.sg", RESET)
    await asyncio.sleep(0.5)
    assert inbox.count("ghost@example.sg", RESET) == 0


async def test_reset_password_sets_the_password_once_and_ends_every_session(
    client: AsyncTestClient[Litestar], inbox: Inbox
) -> None:
    await register(client, "reset@example.sg")
    before = await signed_in(client, "reset@example.sg")
    await client.post("/api/v1/auth/forgot-password", json={"email": "reset@example.sg"})
    token = link_token(await inbox.wait_for("reset@example.sg", RESET))

    weak = await client.post("/api/v1/auth/reset-password", json={"token": token, "password": "password"})
    problem(weak, 422, "validation-error")  # and the token is still good:
    new_password = "a much better passphrase"
    done = await client.post("/api/v1/auth/reset-password", json={"token": token, "password": new_password})
    assert done.status_code == 204
    problem(await client.post("/api/v1/auth/reset-password", json={"token": token, "password": new_password}), 400)
    problem(await client.get("/api/v1/me", headers=bearer(before["accessToken"])), 401)
    problem(await client.post("/api/v1/auth/refresh", json={"refreshToken": before["refreshToken"]}), 401)
    problem(await login(client, "reset@example.sg", PASSWORD), 401)
    assert (await login(client, "reset@example.sg", new_password)).status_code == 200


async def test_reset_password_refuses_expired_and_unknown_tokens(
    client: AsyncTestClient[Litestar], inbox: Inbox, clean_postgres: str
) -> None:
    await register(client, "stale@example.sg")
    await client.post("/api/v1/auth/forgot-password", json={"email": "stale@example.sg"})
    token = link_token(await inbox.wait_for("stale@example.sg", RESET))
    await _expire_action_tokens(clean_postgres)
    body = {"token": token, "password": "a much better passphrase"}
    problem(await client.post("/api/v1/auth/reset-password", json=body), 400, "invalid-token")
    problem(await client.post("/api/v1/auth/reset-password", json={**body, "token": "nope"}), 400, "invalid-token")


# --- GET/PATCH /me, POST /me/password, POST /me/email, sessions -------------------------------


async def test_me_requires_a_valid_bearer_token(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/api/v1/me")
    problem(response, 401, "authentication-required")
    assert response.headers["www-authenticate"].startswith("Bearer")
    problem(await client.get("/api/v1/me", headers={"Authorization": "Basic abc"}), 401)
    problem(await client.get("/api/v1/me", headers=bearer("not.a.jwt")), 401)


async def test_patch_me_changes_the_profile_but_nothing_privileged(client: AsyncTestClient[Litestar]) -> None:
    await register(client, "me@example.sg")
    tokens = await signed_in(client, "me@example.sg")
    auth = bearer(tokens["accessToken"])
    response = await client.patch("/api/v1/me", json={"fullName": "  Tan   Ah Kow ", "locale": "zh-SG"}, headers=auth)
    assert response.status_code == 200
    assert response.json()["fullName"] == "Tan Ah Kow" and response.json()["locale"] == "zh-SG"
    problem(await client.patch("/api/v1/me", json={"locale": "klingon"}, headers=auth), 422, "validation-error")
    for field, value in [("isStaff", True), ("emailVerified", True), ("email", "x@example.sg"), ("id", "x")]:
        problem(await client.patch("/api/v1/me", json={field: value}, headers=auth), 422, "validation-error")
    me = (await client.get("/api/v1/me", headers=auth)).json()
    assert me["isStaff"] is False and me["emailVerified"] is False and me["email"] == "me@example.sg"


async def test_change_password_ends_other_sessions(client: AsyncTestClient[Litestar], inbox: Inbox) -> None:
    await register(client, "chg@example.sg")
    here = await signed_in(client, "chg@example.sg")
    there = await signed_in(client, "chg@example.sg")
    auth = bearer(here["accessToken"])
    wrong = {"currentPassword": "not my password", "newPassword": "another good passphrase"}
    assert (
        problem(await client.post("/api/v1/me/password", json=wrong, headers=auth), 422)["errors"][0][  # type: ignore[index]
            "field"
        ]
        == "currentPassword"
    )
    weak = {"currentPassword": PASSWORD, "newPassword": "password123"}
    problem(await client.post("/api/v1/me/password", json=weak, headers=auth), 422)
    good = {"currentPassword": PASSWORD, "newPassword": "another good passphrase"}
    assert (await client.post("/api/v1/me/password", json=good, headers=auth)).status_code == 204
    problem(await client.post("/api/v1/auth/refresh", json={"refreshToken": there["refreshToken"]}), 401)
    # This device keeps its session: access tokens issued before the change are refused, a refresh works.
    problem(await client.get("/api/v1/me", headers=auth), 401)
    renewed = await client.post("/api/v1/auth/refresh", json={"refreshToken": here["refreshToken"]})
    assert renewed.status_code == 200
    assert (await client.get("/api/v1/me", headers=bearer(renewed.json()["accessToken"]))).status_code == 200
    await inbox.wait_for("chg@example.sg", "Your password was changed")


async def test_change_email_completes_on_verification_of_the_new_address(
    client: AsyncTestClient[Litestar], inbox: Inbox
) -> None:
    await register(client, "old@example.sg")
    await register(client, "taken@example.sg")
    tokens = await signed_in(client, "old@example.sg")
    auth = bearer(tokens["accessToken"])
    problem(
        await client.post("/api/v1/me/email", json={"newEmail": "new@example.sg", "password": "wrong"}, headers=auth),
        422,
    )
    problem(
        await client.post(
            "/api/v1/me/email", json={"newEmail": "TAKEN@example.sg", "password": PASSWORD}, headers=auth
        ),
        409,
    )
    started = await client.post(
        "/api/v1/me/email", json={"newEmail": "New@Example.sg", "password": PASSWORD}, headers=auth
    )
    assert started.status_code == 202
    assert (await client.get("/api/v1/me", headers=auth)).json()["email"] == "old@example.sg"  # not yet
    token = link_token(await inbox.wait_for("new@example.sg", NEW_EMAIL))
    verified = await client.post("/api/v1/auth/verify-email", json={"token": token})
    assert verified.status_code == 200 and verified.json()["email"] == "new@example.sg"
    assert (await login(client, "new@example.sg")).status_code == 200
    problem(await login(client, "old@example.sg"), 401)
    await inbox.wait_for("old@example.sg", "Your sign-in email was changed")


async def test_sessions_list_and_revoke(client: AsyncTestClient[Litestar]) -> None:
    await register(client, "sess@example.sg")
    await register(client, "other@example.sg")
    mine = await signed_in(client, "sess@example.sg")
    second = (await login(client, "sess@example.sg", headers={"User-Agent": "NexusCore-iOS/1.0"})).json()
    auth = bearer(mine["accessToken"])
    listed = (await client.get("/api/v1/me/sessions", headers=auth)).json()["items"]
    assert len(listed) == 2
    assert sum(s["current"] for s in listed) == 1
    assert {"NexusCore-iOS/1.0"} <= {s["userAgent"] for s in listed}
    # The test client's peer is "testclient", not an IP, so no address is stored (real addresses:
    # tests/e2e/platform/test_hostile_input.py::test_login_stores_the_client_address_only_when_it_is_an_ip).
    assert all("ip" in s and s["createdAt"] and s["lastUsedAt"] for s in listed)
    other_id = next(s["id"] for s in listed if not s["current"])

    theirs = await signed_in(client, "other@example.sg")
    their_id = (await client.get("/api/v1/me/sessions", headers=bearer(theirs["accessToken"]))).json()["items"][0]["id"]
    problem(await client.delete(f"/api/v1/me/sessions/{their_id}", headers=auth), 404, "not-found")
    assert (await client.get("/api/v1/me", headers=bearer(theirs["accessToken"]))).status_code == 200

    assert (await client.delete(f"/api/v1/me/sessions/{other_id}", headers=auth)).status_code == 204
    problem(await client.get("/api/v1/me", headers=bearer(second["accessToken"])), 401)
    assert len((await client.get("/api/v1/me/sessions", headers=auth)).json()["items"]) == 1
    problem(await client.delete(f"/api/v1/me/sessions/{other_id}", headers=auth), 404)


async def _expire_action_tokens(database_url: str) -> None:
    import asyncpg
    from sqlalchemy.engine import make_url

    dsn = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("UPDATE identity_action_token SET expires_at = now() - interval '1 minute'")
    finally:
        await conn.close()
