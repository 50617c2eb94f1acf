"""SessionRepository contract: sessions with their user, the active list, revocation, and
refresh tokens rotating with a conditional spend."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from nexuscore.kernel.ids import new_id
from nexuscore.kernel.paging import PageRequest
from tests.contract.identity.backends import REFUSED, T0, IdentityBackend, make_refresh_token, make_session, make_user

HOUR = timedelta(hours=1)


async def test_a_session_and_its_first_token_round_trip(identity: IdentityBackend) -> None:
    user = await identity.add_user()
    session, token = await identity.add_session(
        user, ip="203.0.113.9", user_agent="Mozilla/5.0", last_used_at=T0 + HOUR
    )
    async with identity.uow() as uow:
        assert await uow.sessions.get(session.id) == session
        assert await uow.sessions.get_with_user(session.id) == (session, user)
        assert await uow.sessions.find_refresh_token(token.digest) == token


async def test_unknown_sessions_and_tokens_are_none(identity: IdentityBackend) -> None:
    async with identity.uow() as uow:
        assert await uow.sessions.get(new_id()) is None
        assert await uow.sessions.get_with_user(new_id()) is None
        assert await uow.sessions.find_refresh_token(new_id().hex) is None


async def test_list_active_is_the_users_live_sessions_most_recently_used_first(identity: IdentityBackend) -> None:
    user, other = await identity.add_user(), await identity.add_user()
    now = T0 + 2 * HOUR
    older, _ = await identity.add_session(user, last_used_at=T0)
    newer, _ = await identity.add_session(user, last_used_at=T0 + HOUR)
    await identity.add_session(user, last_used_at=T0 + 2 * HOUR, revoked_at=T0 + 2 * HOUR, revoke_reason="logout")
    await identity.add_session(user, last_used_at=T0, expires_at=now - timedelta(microseconds=1))
    await identity.add_session(user, last_used_at=T0, expires_at=now)  # expires this instant: gone
    await identity.add_session(other, last_used_at=T0 + HOUR)
    async with identity.uow() as uow:
        active = await uow.sessions.list_active(user.id, now, PageRequest())
        none = await uow.sessions.list_active(new_id(), now, PageRequest())
        first = await uow.sessions.list_active(user.id, now, PageRequest(limit=1))
        second = await uow.sessions.list_active(user.id, now, PageRequest(limit=1, offset=1))
    assert list(active.items) == [newer, older] and active.total == 2
    assert list(none.items) == [] and none.total == 0
    assert list(first.items) == [newer] and first.total == 2 and first.has_more
    assert list(second.items) == [older] and second.total == 2 and not second.has_more


async def test_save_writes_the_session(identity: IdentityBackend) -> None:
    user = await identity.add_user()
    session, _ = await identity.add_session(user)
    used = dataclasses.replace(
        session, last_used_at=T0 + HOUR, ip="198.51.100.1", revoked_at=T0 + 2 * HOUR, revoke_reason="reuse"
    )
    async with identity.uow() as uow:
        await uow.sessions.save(used)
        await uow.commit()
    async with identity.uow() as uow:
        assert await uow.sessions.get(session.id) == used
        assert list((await uow.sessions.list_active(user.id, T0, PageRequest())).items) == []


async def test_save_of_an_unknown_session_adds_nothing(identity: IdentityBackend) -> None:
    user = await identity.add_user()
    ghost, _ = make_session(user)
    async with identity.uow() as uow:
        await uow.sessions.save(ghost)
        await uow.commit()
    async with identity.uow() as uow:
        assert await uow.sessions.get(ghost.id) is None


async def test_revoke_all_revokes_every_unrevoked_session_but_the_kept_one(identity: IdentityBackend) -> None:
    user, other = await identity.add_user(), await identity.add_user()
    kept, _ = await identity.add_session(user)
    live, _ = await identity.add_session(user)
    expired, _ = await identity.add_session(user, expires_at=T0)  # not revoked yet: counted too
    revoked, _ = await identity.add_session(user, revoked_at=T0, revoke_reason="logout")
    theirs, _ = await identity.add_session(other)
    at = T0 + HOUR
    async with identity.uow() as uow:
        assert await uow.sessions.revoke_all(user.id, at, "password_changed", keep=kept.id) == 2
        await uow.commit()
    async with identity.uow() as uow:
        assert await uow.sessions.get(kept.id) == kept
        assert await uow.sessions.get(live.id) == dataclasses.replace(
            live, revoked_at=at, revoke_reason="password_changed"
        )
        assert await uow.sessions.get(expired.id) == dataclasses.replace(
            expired, revoked_at=at, revoke_reason="password_changed"
        )
        assert await uow.sessions.get(revoked.id) == revoked  # the first revocation stands
        assert await uow.sessions.get(theirs.id) == theirs
        assert await uow.sessions.revoke_all(user.id, at, "logout_all") == 1  # the kept one, now
        assert await uow.sessions.revoke_all(user.id, at, "logout_all") == 0
        assert await uow.sessions.revoke_all(new_id(), at, "logout_all") == 0


async def test_an_uncommitted_revocation_is_discarded(identity: IdentityBackend) -> None:
    user = await identity.add_user()
    session, _ = await identity.add_session(user)
    async with identity.uow() as uow:
        assert await uow.sessions.revoke_all(user.id, T0, "logout_all") == 1
    async with identity.uow() as uow:
        assert await uow.sessions.get(session.id) == session


async def test_a_refresh_token_is_spent_once(identity: IdentityBackend) -> None:
    user = await identity.add_user()
    _, token = await identity.add_session(user)
    async with identity.uow() as uow:
        assert await uow.sessions.spend_refresh_token(token.id, T0 + HOUR) is True
        assert await uow.sessions.spend_refresh_token(token.id, T0 + 2 * HOUR) is False
        await uow.commit()
    async with identity.uow() as uow:
        assert await uow.sessions.spend_refresh_token(token.id, T0 + 3 * HOUR) is False
        assert await uow.sessions.find_refresh_token(token.digest) == dataclasses.replace(token, spent_at=T0 + HOUR)


async def test_an_uncommitted_spend_is_discarded(identity: IdentityBackend) -> None:
    user = await identity.add_user()
    _, token = await identity.add_session(user)
    async with identity.uow() as uow:
        assert await uow.sessions.spend_refresh_token(token.id, T0) is True
    async with identity.uow() as uow:
        assert await uow.sessions.find_refresh_token(token.digest) == token
        assert await uow.sessions.spend_refresh_token(token.id, T0) is True


async def test_spending_an_unknown_token_fails(identity: IdentityBackend) -> None:
    async with identity.uow() as uow:
        assert await uow.sessions.spend_refresh_token(new_id(), T0) is False


async def test_rotation_spends_the_old_token_and_adds_its_successor(identity: IdentityBackend) -> None:
    user = await identity.add_user()
    session, first = await identity.add_session(user)
    second = make_refresh_token(session, issued_at=T0 + HOUR)
    async with identity.uow() as uow:
        assert await uow.sessions.spend_refresh_token(first.id, T0 + HOUR)
        await uow.sessions.add_refresh_token(second)
        await uow.sessions.save(dataclasses.replace(session, last_used_at=T0 + HOUR))
        await uow.commit()
    async with identity.uow() as uow:
        assert await uow.sessions.find_refresh_token(first.digest) == dataclasses.replace(first, spent_at=T0 + HOUR)
        assert await uow.sessions.find_refresh_token(second.digest) == second
        found = await uow.sessions.get_with_user(session.id)
    assert found is not None and found[0].last_used_at == T0 + HOUR


async def test_a_session_of_a_missing_user_is_refused(identity: IdentityBackend) -> None:
    session, token = make_session(make_user())
    async with identity.uow() as uow:
        with pytest.raises(REFUSED):
            await uow.sessions.add(session, token)


async def test_a_taken_refresh_token_digest_is_refused(identity: IdentityBackend) -> None:
    user = await identity.add_user()
    session, token = await identity.add_session(user)
    async with identity.uow() as uow:
        with pytest.raises(REFUSED):
            await uow.sessions.add_refresh_token(dataclasses.replace(make_refresh_token(session), digest=token.digest))


async def test_a_refresh_token_of_a_missing_session_is_refused(identity: IdentityBackend) -> None:
    session, _ = make_session(make_user())
    async with identity.uow() as uow:
        with pytest.raises(REFUSED):
            await uow.sessions.add_refresh_token(make_refresh_token(session))
