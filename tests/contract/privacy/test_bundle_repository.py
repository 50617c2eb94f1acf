"""BundleRepository contract: a request's latest bundle, and a bundle found by its link's
token digest only."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest

from nexuscore.kernel.ids import new_id
from nexuscore.privacy.domain.model import Bundle
from tests.contract.privacy.backends import NOW, REFUSED, PrivacyBackend, lead_request, new_org, user_request


def _bundle(request_id: UUID, org: UUID | None, created_minutes: int = 0) -> Bundle:
    created = NOW + timedelta(minutes=created_minutes)
    return Bundle(new_id(), request_id, org, new_id().hex, created, created + timedelta(days=7), b"PK\x03\x04zip")


async def test_for_request_is_the_latest_bundle_of_that_request(privacy: PrivacyBackend) -> None:
    org = new_org()
    request, other = lead_request(org), lead_request(org)
    await privacy.add_requests(request, other)
    first, rebuilt = _bundle(request.id, org), _bundle(request.id, org, created_minutes=5)
    async with privacy.requests_uow() as uow:
        await uow.bundles.add(rebuilt)
        await uow.bundles.add(first)
        await uow.commit()
    async with privacy.requests_uow() as uow:
        assert await uow.bundles.for_request(request.id) == rebuilt
        assert await uow.bundles.for_request(other.id) is None


async def test_by_token_digest_finds_the_bundle_and_nothing_else(privacy: PrivacyBackend) -> None:
    request = user_request(new_id())
    await privacy.add_requests(request)
    bundle = _bundle(request.id, None)
    async with privacy.requests_uow() as uow:
        await uow.bundles.add(bundle)
        await uow.commit()
    async with privacy.requests_uow() as uow:
        assert await uow.bundles.by_token_digest(bundle.token_digest) == bundle
        assert await uow.bundles.by_token_digest(new_id().hex) is None


async def test_a_taken_token_digest_is_refused(privacy: PrivacyBackend) -> None:
    org = new_org()
    request = lead_request(org)
    await privacy.add_requests(request)
    bundle = _bundle(request.id, org)
    async with privacy.requests_uow() as uow:
        await uow.bundles.add(bundle)
        await uow.commit()
    async with privacy.requests_uow() as uow:
        with pytest.raises(REFUSED):
            await uow.bundles.add(Bundle(new_id(), request.id, org, bundle.token_digest, NOW, NOW, b""))


async def test_a_bundle_of_a_missing_request_is_refused(privacy: PrivacyBackend) -> None:
    async with privacy.requests_uow() as uow:
        with pytest.raises(REFUSED):
            await uow.bundles.add(_bundle(new_id(), new_org()))
