"""SuppressionRepository contract: idempotent per (digest, organisation), and a digest is
suppressed only in the scope it was erased in (a tenant, or the platform for an account)."""

from __future__ import annotations

from uuid import UUID

from nexuscore.kernel.ids import new_id
from nexuscore.privacy.domain.model import SuppressedKind, Suppression
from tests.contract.privacy.backends import NOW, PrivacyBackend, new_org


def _entry(digest: str, org: UUID | None) -> Suppression:
    return Suppression(digest, SuppressedKind.EMAIL, org, new_id(), NOW)


async def test_a_digest_is_suppressed_in_its_own_scope_only(privacy: PrivacyBackend) -> None:
    org, other = new_org(), new_org()
    tenant, platform, unknown = new_id().hex, new_id().hex, new_id().hex
    async with privacy.requests_uow() as uow:
        await uow.suppressions.add([_entry(tenant, org), _entry(platform, None)])
        await uow.commit()
    async with privacy.requests_uow() as uow:
        assert await uow.suppressions.suppressed([tenant, platform, unknown], org) == {tenant}
        assert await uow.suppressions.suppressed([tenant, platform, unknown], None) == {platform}
        assert await uow.suppressions.suppressed([tenant, platform], other) == set()
        assert await uow.suppressions.suppressed([], org) == set()


async def test_adding_the_same_digest_again_is_a_no_op(privacy: PrivacyBackend) -> None:
    org = new_org()
    digest = new_id().hex
    async with privacy.requests_uow() as uow:
        await uow.suppressions.add([_entry(digest, org)])
        await uow.commit()
    async with privacy.requests_uow() as uow:
        await uow.suppressions.add([_entry(digest, org), _entry(digest, org), _entry(digest, None)])
        await uow.commit()
    async with privacy.requests_uow() as uow:
        assert await uow.suppressions.suppressed([digest], org) == {digest}
        assert await uow.suppressions.suppressed([digest], None) == {digest}
