"""UserRepository contract: add/get/save round trips, lookup by (normalised, exact) email,
unique emails, and only committed work kept."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from nexuscore.kernel.errors import Conflict
from nexuscore.kernel.ids import new_id
from tests.contract.conftest import SQLITE
from tests.contract.identity.backends import T0, IdentityBackend, make_user, unique_email


async def test_every_field_round_trips(identity: IdentityBackend) -> None:
    user = make_user(
        locale="zh-SG",
        is_staff=True,
        is_active=False,
        email_verified_at=T0 + timedelta(minutes=1),
        marketing_consent_at=T0,
        tokens_valid_after=T0 + timedelta(hours=1),
        updated_at=T0 + timedelta(hours=2),
    )
    bare = make_user()
    async with identity.uow() as uow:
        await uow.users.add(user)
        await uow.users.add(bare)
        await uow.commit()
    async with identity.uow() as uow:
        assert await uow.users.get(user.id) == user
        assert await uow.users.get(bare.id) == bare
        assert await uow.users.get_by_email(user.email) == user


async def test_unknown_users_are_none(identity: IdentityBackend) -> None:
    async with identity.uow() as uow:
        assert await uow.users.get(new_id()) is None
        assert await uow.users.get_by_email(unique_email()) is None


async def test_get_by_email_is_exact_on_the_stored_normalised_address(identity: IdentityBackend) -> None:
    # Emails are stored lower-case (the use cases normalise); the lookup does not fold case.
    user = await identity.add_user()
    async with identity.uow() as uow:
        assert await uow.users.get_by_email(user.email) == user
        assert await uow.users.get_by_email(user.email.upper()) is None
        assert await uow.users.get_by_email(f" {user.email}") is None


async def test_a_taken_email_is_a_conflict(identity: IdentityBackend) -> None:
    taken = await identity.add_user()
    async with identity.uow() as uow:
        with pytest.raises(Conflict):
            await uow.users.add(make_user(email=taken.email))
    async with identity.uow() as uow:
        assert await uow.users.get_by_email(taken.email) == taken


async def test_after_a_conflict_the_unit_of_work_goes_on(
    identity: IdentityBackend, request: pytest.FixtureRequest
) -> None:
    if identity.backend.name == SQLITE:
        # Reported, not fixed here (src outside the fakes is not this suite's to change): on
        # SQLite unique_write_scope opens no SAVEPOINT, and the ORM flush that fails rolls the
        # whole session back: `kept` is lost and commit raises PendingRollbackError. PostgreSQL
        # (SAVEPOINT) and the leads repositories (Core INSERT) keep the transaction going.
        request.applymarker(pytest.mark.xfail(strict=True, reason="SQLite: a failed ORM flush ends the transaction"))
    taken = await identity.add_user()
    kept = make_user()
    async with identity.uow() as uow:
        await uow.users.add(kept)
        with pytest.raises(Conflict):
            await uow.users.add(make_user(email=taken.email))
        await uow.commit()
    async with identity.uow() as uow:
        assert await uow.users.get(kept.id) == kept
        assert await uow.users.get_by_email(taken.email) == taken


async def test_a_taken_id_is_a_conflict(identity: IdentityBackend) -> None:
    user = await identity.add_user()
    async with identity.uow() as uow:
        with pytest.raises(Conflict):
            await uow.users.add(dataclasses.replace(make_user(), id=user.id))
    async with identity.uow() as uow:
        assert await uow.users.get(user.id) == user


async def test_save_writes_every_field(identity: IdentityBackend) -> None:
    user = await identity.add_user()
    changed = dataclasses.replace(
        user,
        email=unique_email("new"),
        full_name="Ann Tan",
        password_hash="$argon2id$other",
        locale="ms",
        is_staff=True,
        is_active=False,
        email_verified_at=T0 + timedelta(days=1),
        marketing_consent_at=T0 + timedelta(days=2),
        tokens_valid_after=T0 + timedelta(days=3),
        updated_at=T0 + timedelta(days=3),
    )
    async with identity.uow() as uow:
        await uow.users.save(changed)
        await uow.commit()
    async with identity.uow() as uow:
        assert await uow.users.get(user.id) == changed
        assert await uow.users.get_by_email(changed.email) == changed
        assert await uow.users.get_by_email(user.email) is None


async def test_saving_a_taken_email_is_a_conflict(identity: IdentityBackend) -> None:
    ann, ben = await identity.add_user(), await identity.add_user()
    async with identity.uow() as uow:
        with pytest.raises(Conflict):
            await uow.users.save(dataclasses.replace(ben, email=ann.email))
    async with identity.uow() as uow:
        assert await uow.users.get(ben.id) == ben


async def test_after_a_save_conflict_the_unit_of_work_goes_on(identity: IdentityBackend) -> None:
    ann, ben = await identity.add_user(), await identity.add_user()
    kept = make_user()
    async with identity.uow() as uow:
        await uow.users.add(kept)
        with pytest.raises(Conflict):
            await uow.users.save(dataclasses.replace(ben, email=ann.email))
        await uow.users.save(dataclasses.replace(ben, full_name="Ben Lim"))
        await uow.commit()
    async with identity.uow() as uow:
        assert await uow.users.get(kept.id) == kept
        assert await uow.users.get(ben.id) == dataclasses.replace(ben, full_name="Ben Lim")


async def test_save_of_an_unknown_user_adds_nothing(identity: IdentityBackend) -> None:
    ghost = make_user()
    async with identity.uow() as uow:
        await uow.users.save(ghost)
        await uow.commit()
    async with identity.uow() as uow:
        assert await uow.users.get(ghost.id) is None
        assert await uow.users.get_by_email(ghost.email) is None


async def test_uncommitted_and_rolled_back_work_is_discarded(identity: IdentityBackend) -> None:
    dropped, rolled_back, kept = make_user(), make_user(), make_user()
    async with identity.uow() as uow:
        await uow.users.add(dropped)
        assert await uow.users.get(dropped.id) == dropped
    async with identity.uow() as uow:
        await uow.users.add(rolled_back)
        await uow.rollback()
        assert await uow.users.get(rolled_back.id) is None
        await uow.users.add(kept)  # the unit of work goes on after a rollback
        await uow.commit()
    async with identity.uow() as uow:
        assert await uow.users.get(dropped.id) is None
        assert await uow.users.get(rolled_back.id) is None
        assert await uow.users.get(kept.id) == kept
