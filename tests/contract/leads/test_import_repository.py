"""ImportRepository contract: the job and its upload round-trip, progress and the report are
saved, creation facts stay, and another tenant reaches none of it."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from uuid import UUID

import pytest

from nexuscore.kernel.ids import new_id
from nexuscore.kernel.paging import PageRequest
from nexuscore.leads.domain.model import ImportStatus, LeadImport, RowError
from tests.contract.leads.backends import NOW, USER, LeadsBackend, new_org

CSV = "first_name,last_name,email\nAnn,Tan,ann@alpha.sg\nBen,Lim,not-an-email\n"


def _job(org_id: UUID) -> LeadImport:
    return LeadImport(organization_id=org_id, created_by=USER, created_at=NOW, filename="leads.csv", total_rows=2)


async def test_a_job_and_its_upload_round_trip(leads: LeadsBackend) -> None:
    org = new_org()
    job = _job(org)
    async with leads.uow(org) as uow:
        await uow.imports.add(job, CSV)
        await uow.commit()
    async with leads.uow(org) as uow:
        assert await uow.imports.get(job.id) == job
        assert await uow.imports.get(job.id, for_update=True) == job
        assert await uow.imports.csv_text(job.id) == CSV
        assert await uow.imports.get(new_id()) is None
        assert await uow.imports.csv_text(new_id()) is None


async def test_progress_and_the_report_are_saved(leads: LeadsBackend) -> None:
    org = new_org()
    job = _job(org)
    await _add(leads, job)
    running = dataclasses.replace(job, status=ImportStatus.RUNNING, started_at=NOW + timedelta(seconds=1))
    async with leads.uow(org) as uow:
        await uow.imports.save(running)
        await uow.commit()
    async with leads.uow(org) as uow:
        assert await uow.imports.get(job.id) == running
    done = dataclasses.replace(
        running,
        status=ImportStatus.COMPLETED,
        processed_rows=2,
        created_count=1,
        duplicate_count=0,
        error_count=1,
        errors=[RowError(2, "email", "Enter a valid email address."), RowError(3, None, "Row is empty.")],
        finished_at=NOW + timedelta(seconds=2, microseconds=654321),
    )
    async with leads.uow(org) as uow:
        await uow.imports.save(done)
        await uow.commit()
    async with leads.uow(org) as uow:
        assert await uow.imports.get(job.id) == done
        assert await uow.imports.csv_text(job.id) == CSV  # the upload is never rewritten


async def test_a_failure_is_saved(leads: LeadsBackend) -> None:
    org = new_org()
    job = _job(org)
    await _add(leads, job)
    failed = dataclasses.replace(job, status=ImportStatus.FAILED, failure="The file is not UTF-8.", finished_at=NOW)
    async with leads.uow(org) as uow:
        await uow.imports.save(failed)
        await uow.commit()
    async with leads.uow(org) as uow:
        assert await uow.imports.get(job.id) == failed


async def test_save_keeps_the_creation_facts(leads: LeadsBackend) -> None:
    org = new_org()
    job = _job(org)
    await _add(leads, job)
    async with leads.uow(org) as uow:
        await uow.imports.save(dataclasses.replace(job, created_by=new_id(), created_at=NOW - timedelta(days=1)))
        await uow.commit()
    async with leads.uow(org) as uow:
        assert await uow.imports.get(job.id) == job


async def test_save_of_an_unknown_job_adds_nothing(leads: LeadsBackend) -> None:
    org = new_org()
    ghost = _job(org)
    async with leads.uow(org) as uow:
        await uow.imports.save(ghost)
        await uow.commit()
    async with leads.uow(org) as uow:
        assert await uow.imports.get(ghost.id) is None


async def test_an_uncommitted_job_is_discarded(leads: LeadsBackend) -> None:
    org = new_org()
    job = _job(org)
    async with leads.uow(org) as uow:
        await uow.imports.add(job, CSV)
        assert await uow.imports.get(job.id) == job
    async with leads.uow(org) as uow:
        assert await uow.imports.get(job.id) is None


async def test_another_tenant_reaches_none_of_the_jobs(leads: LeadsBackend) -> None:
    org_a, org_b = new_org(), new_org()
    job = _job(org_a)
    await _add(leads, job)
    async with leads.uow(org_b) as uow:
        assert await uow.imports.get(job.id) is None
        assert await uow.imports.get(job.id, for_update=True) is None
        assert await uow.imports.csv_text(job.id) is None
        with pytest.raises(ValueError, match="another organisation"):
            await uow.imports.save(dataclasses.replace(job, status=ImportStatus.FAILED))
        with pytest.raises(ValueError, match="another organisation"):
            await uow.imports.add(_job(org_a), CSV)
        await uow.commit()
    async with leads.uow(org_a) as uow:
        assert await uow.imports.get(job.id) == job


async def _add(leads: LeadsBackend, job: LeadImport) -> None:
    async with leads.uow(job.organization_id) as uow:
        await uow.imports.add(job, CSV)
        await uow.commit()


async def test_list_is_the_tenants_imports_newest_first(leads: LeadsBackend) -> None:
    org, other = new_org(), new_org()
    jobs = [dataclasses.replace(_job(org), created_at=NOW + timedelta(minutes=n)) for n in range(3)]
    for job in jobs:
        await _add(leads, job)
    await _add(leads, _job(other))
    async with leads.uow(org) as uow:
        first = await uow.imports.list(PageRequest(limit=2))
        last = await uow.imports.list(PageRequest(limit=2, offset=2))
    async with leads.uow(new_org()) as uow:
        none = await uow.imports.list(PageRequest())
    assert [j.id for j in first.items] == [jobs[2].id, jobs[1].id] and first.total == 3 and first.has_more
    assert [j.id for j in last.items] == [jobs[0].id] and last.total == 3 and not last.has_more
    assert list(none.items) == [] and none.total == 0
