"""StepRepository contract: one pending step per provider, kept across a retry, read in
provider order, saved whole, and their results dropped once the bundle is built."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from nexuscore.kernel.ids import new_id
from nexuscore.privacy.domain.model import ProcessingStep, StepStatus
from tests.contract.privacy.backends import NOW, REFUSED, PrivacyBackend, lead_request, new_org


async def test_ensure_adds_a_pending_step_per_provider_and_keeps_the_done_ones(privacy: PrivacyBackend) -> None:
    request = lead_request(new_org())
    await privacy.add_requests(request)
    async with privacy.requests_uow() as uow:
        await uow.steps.ensure(request.id, ["leads", "identity"])
        step = await uow.steps.get(request.id, "leads", for_update=True)
        assert step == ProcessingStep(request.id, "leads", StepStatus.PENDING)
        done = replace(step, status=StepStatus.DONE, attempts=1, result={"n": 2}, finished_at=NOW)
        await uow.steps.save(done)
        await uow.commit()
    async with privacy.requests_uow() as uow:
        await uow.steps.ensure(request.id, ["leads", "identity", "billing"])  # a retry, one provider more
        await uow.commit()
    async with privacy.requests_uow() as uow:
        assert await uow.steps.list(request.id) == [
            ProcessingStep(request.id, "billing", StepStatus.PENDING),
            ProcessingStep(request.id, "identity", StepStatus.PENDING),
            done,
        ]
        assert await uow.steps.get(request.id, "events") is None
        assert await uow.steps.list(new_id()) == []


async def test_a_saved_step_round_trips_and_an_unknown_one_is_refused(privacy: PrivacyBackend) -> None:
    request = lead_request(new_org())
    await privacy.add_requests(request)
    failed = ProcessingStep(request.id, "leads", StepStatus.FAILED, 3, None, "timeout", NOW + timedelta(seconds=1))
    async with privacy.requests_uow() as uow:
        await uow.steps.ensure(request.id, ["leads"])
        await uow.steps.save(failed)
        await uow.commit()
    async with privacy.requests_uow() as uow:
        assert await uow.steps.get(request.id, "leads") == failed
        with pytest.raises(LookupError):
            await uow.steps.save(replace(failed, provider="billing"))


async def test_clear_results_drops_the_exports_of_that_request_only(privacy: PrivacyBackend) -> None:
    org = new_org()
    request, other = lead_request(org), lead_request(org)
    await privacy.add_requests(request, other)
    export = {"leads": [{"email": "ann@example.sg"}], "count": 1}
    async with privacy.requests_uow() as uow:
        for r in (request, other):
            await uow.steps.ensure(r.id, ["leads", "identity"])
            for step in await uow.steps.list(r.id):
                await uow.steps.save(replace(step, status=StepStatus.DONE, result=export))
        await uow.commit()
    async with privacy.requests_uow() as uow:
        await uow.steps.clear_results(request.id)
        await uow.commit()
    async with privacy.requests_uow() as uow:
        assert [(s.status, s.result) for s in await uow.steps.list(request.id)] == [(StepStatus.DONE, None)] * 2
        assert [s.result for s in await uow.steps.list(other.id)] == [export, export]


async def test_steps_of_a_missing_request_are_refused(privacy: PrivacyBackend) -> None:
    async with privacy.requests_uow() as uow:
        with pytest.raises(REFUSED):
            await uow.steps.ensure(new_id(), ["leads"])
