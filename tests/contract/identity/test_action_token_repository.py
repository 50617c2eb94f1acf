"""ActionTokenRepository contract: one-time tokens found by digest and purpose, used once,
superseded by purpose."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from nexuscore.identity.domain.model import ActionPurpose
from nexuscore.kernel.ids import new_id
from tests.contract.identity.backends import REFUSED, T0, IdentityBackend, make_action_token, make_user

VERIFY, RESET, CHANGE = ActionPurpose.VERIFY_EMAIL, ActionPurpose.RESET_PASSWORD, ActionPurpose.CHANGE_EMAIL
HOUR = timedelta(hours=1)


async def test_a_token_is_found_by_its_digest_among_the_purposes_asked(identity: IdentityBackend) -> None:
    user = await identity.add_user()
    change = make_action_token(user, CHANGE, new_email="ann.new@example.sg")
    reset = make_action_token(user, RESET)
    async with identity.uow() as uow:
        await uow.action_tokens.add(change)
        await uow.action_tokens.add(reset)
        await uow.commit()
    async with identity.uow() as uow:
        assert await uow.action_tokens.find(change.digest, [CHANGE]) == change
        assert await uow.action_tokens.find(change.digest, [VERIFY, CHANGE]) == change
        assert await uow.action_tokens.find(change.digest, [VERIFY, RESET]) is None
        assert await uow.action_tokens.find(change.digest, []) is None
        assert await uow.action_tokens.find(reset.digest, [RESET]) == reset
        assert await uow.action_tokens.find(new_id().hex, list(ActionPurpose)) is None


async def test_a_token_is_used_once(identity: IdentityBackend) -> None:
    user = await identity.add_user()
    token = make_action_token(user, VERIFY)
    async with identity.uow() as uow:
        await uow.action_tokens.add(token)
        await uow.commit()
    async with identity.uow() as uow:
        assert await uow.action_tokens.use(token.id, T0 + HOUR) is True
        assert await uow.action_tokens.use(token.id, T0 + 2 * HOUR) is False
        await uow.commit()
    async with identity.uow() as uow:
        assert await uow.action_tokens.use(token.id, T0 + 3 * HOUR) is False
        assert await uow.action_tokens.find(token.digest, [VERIFY]) == dataclasses.replace(token, used_at=T0 + HOUR)


async def test_an_uncommitted_use_is_discarded(identity: IdentityBackend) -> None:
    user = await identity.add_user()
    token = make_action_token(user, RESET)
    async with identity.uow() as uow:
        await uow.action_tokens.add(token)
        await uow.commit()
    async with identity.uow() as uow:
        assert await uow.action_tokens.use(token.id, T0) is True
    async with identity.uow() as uow:
        assert await uow.action_tokens.find(token.digest, [RESET]) == token


async def test_using_an_unknown_token_fails(identity: IdentityBackend) -> None:
    async with identity.uow() as uow:
        assert await uow.action_tokens.use(new_id(), T0) is False


async def test_invalidate_spends_the_users_outstanding_tokens_of_one_purpose(identity: IdentityBackend) -> None:
    user, other = await identity.add_user(), await identity.add_user()
    outstanding = [make_action_token(user, RESET), make_action_token(user, RESET, expires_at=T0)]
    used = make_action_token(user, RESET, used_at=T0 - HOUR)
    verify = make_action_token(user, VERIFY)
    theirs = make_action_token(other, RESET)
    async with identity.uow() as uow:
        for token in [*outstanding, used, verify, theirs]:
            await uow.action_tokens.add(token)
        await uow.commit()
    at = T0 + HOUR
    async with identity.uow() as uow:
        await uow.action_tokens.invalidate(user.id, RESET, at)
        await uow.commit()
    async with identity.uow() as uow:
        for token in outstanding:
            assert await uow.action_tokens.find(token.digest, [RESET]) == dataclasses.replace(token, used_at=at)
        assert await uow.action_tokens.find(used.digest, [RESET]) == used  # keeps when it was used
        assert await uow.action_tokens.find(verify.digest, [VERIFY]) == verify
        assert await uow.action_tokens.find(theirs.digest, [RESET]) == theirs


async def test_a_taken_digest_or_a_missing_user_is_refused(identity: IdentityBackend) -> None:
    user = await identity.add_user()
    token = make_action_token(user, VERIFY)
    async with identity.uow() as uow:
        await uow.action_tokens.add(token)
        await uow.commit()
    async with identity.uow() as uow:
        with pytest.raises(REFUSED):
            await uow.action_tokens.add(make_action_token(user, RESET, digest=token.digest))
    async with identity.uow() as uow:
        with pytest.raises(REFUSED):
            await uow.action_tokens.add(make_action_token(make_user(), VERIFY))
