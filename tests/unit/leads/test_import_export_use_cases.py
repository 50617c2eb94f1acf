"""Import and export use cases against the in-memory leads adapters and a FixedClock."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.errors import NotFound, PermissionDenied, QuotaExceeded, ValidationError
from nexuscore.kernel.tenancy import Role, TenantContext
from nexuscore.leads.adapters.entitlements import DefaultLeadEntitlements
from nexuscore.leads.adapters.memory.store import InMemoryLeadsUnitOfWork, LeadsState
from nexuscore.leads.application import exports, imports
from nexuscore.leads.application.services import LeadsServices
from nexuscore.leads.domain import events as ev
from nexuscore.leads.domain.csv_reading import MalformedCsv
from nexuscore.leads.domain.model import DncStatus, ImportStatus, Lead, LeadSource, MarketingConsent
from nexuscore.leads.ports.repositories import LeadFilter

pytestmark = pytest.mark.unit

T0 = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
ORG = UUID("01900000-0000-7000-8000-0000000000a1")
OTHER_ORG = UUID("01900000-0000-7000-8000-0000000000b2")
ADMIN = TenantContext(ORG, uuid4(), Role.ADMIN)


class CrashingUnitOfWork(InMemoryLeadsUnitOfWork):
    """Dies (like a worker process) on the n-th commit: that transaction is lost."""

    def __init__(self, *args: object, crash_on_commit: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.crash_on_commit = crash_on_commit

    async def commit(self) -> None:
        if self.commits + 1 == self.crash_on_commit:
            raise ConnectionError("worker killed")
        await super().commit()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def state() -> LeadsState:
    return LeadsState()


def uow(state: LeadsState, clock: FixedClock, org: UUID = ORG) -> InMemoryLeadsUnitOfWork:
    return InMemoryLeadsUnitOfWork(state, org, clock)


def existing_lead(state: LeadsState, **fields: object) -> Lead:
    values: dict[str, object] = {
        "organization_id": ORG,
        "first_name": "Old",
        "last_name": "Lead",
        "created_by": ADMIN.user_id,
        "created_at": T0 - timedelta(days=3),
        "updated_by": ADMIN.user_id,
        "updated_at": T0 - timedelta(days=3),
    }
    lead = Lead(**(values | fields))  # type: ignore[arg-type]
    state.leads[lead.id] = lead
    return lead


def csv_bytes(*rows: str, header: str = "First Name,Last Name,Email,Phone") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


# ---- preview -----------------------------------------------------------------------------------


async def test_preview_reports_rows_errors_and_duplicates_and_writes_nothing(
    state: LeadsState, clock: FixedClock
) -> None:
    old = existing_lead(state, email="ann@kopi.sg")
    data = csv_bytes(
        "Ann,Tan,ANN@kopi.sg,,blue",  # 1: duplicate of an existing lead
        "Bob,Lim,bob@kopi.sg,91234567,red",  # 2: new
        "Cid,Ng,not-an-email,,",  # 3: error
        '"Bob","Again","","+65 9123 4567",""',  # 4: duplicate of row 2 (phone)
        "Dee,Ong,dee@kopi.sg,,",  # 5: new
        header="First Name,Last Name,Email,Phone,Favourite Colour",
    )
    preview = await imports.preview_import(
        uow(state, clock), LeadsServices(clock, DefaultLeadEntitlements(None)), tenant=ADMIN, data=data
    )
    assert (preview.total_rows, preview.valid_rows, preview.new_rows) == (5, 4, 2)
    assert (preview.error_rows, preview.duplicate_rows) == (1, 2)
    assert [(e.row, e.field) for e in preview.errors] == [(3, "email")]
    assert [(d.row, d.matched_on, d.existing_lead_id, d.duplicate_of_row) for d in preview.duplicates] == [
        (1, "email", old.id, None),
        (4, "phone", None, 2),
    ]
    assert preview.ignored_columns == ("Favourite Colour",) and "email" in preview.columns
    assert not preview.over_limit
    assert len(state.leads) == 1 and state.imports == {} and state.events == []


async def test_preview_says_when_the_lead_limit_would_be_exceeded(state: LeadsState, clock: FixedClock) -> None:
    existing_lead(state)
    data = csv_bytes("Ann,Tan,a@x.sg,", "Bob,Lim,b@x.sg,")
    preview = await imports.preview_import(
        uow(state, clock), LeadsServices(clock, DefaultLeadEntitlements(2)), tenant=ADMIN, data=data
    )
    assert preview.over_limit and preview.lead_limit == 2 and preview.active_leads == 1


@pytest.mark.parametrize("role", [Role.MEMBER, Role.VIEWER])
async def test_members_and_viewers_may_not_import_or_export(state: LeadsState, clock: FixedClock, role: Role) -> None:
    tenant = TenantContext(ORG, uuid4(), role)
    with pytest.raises(PermissionDenied):
        await imports.preview_import(
            uow(state, clock),
            LeadsServices(clock, DefaultLeadEntitlements(None)),
            tenant=tenant,
            data=csv_bytes("A,B,,"),
        )
    with pytest.raises(PermissionDenied):
        await imports.start_import(
            uow(state, clock),
            LeadsServices(clock, DefaultLeadEntitlements(None)),
            tenant=tenant,
            data=csv_bytes("A,B,,"),
            filename="x.csv",
        )
    with pytest.raises(PermissionDenied):
        await exports.plan_export(
            LeadsServices(clock, DefaultLeadEntitlements(None)), tenant=tenant, lead_filter=LeadFilter()
        )


# ---- start -------------------------------------------------------------------------------------


async def test_start_stores_the_job_and_the_csv_and_creates_nothing_yet(state: LeadsState, clock: FixedClock) -> None:
    data = csv_bytes("Ann,Tan,a@x.sg,", "Bob,Lim,b@x.sg,")
    job = await imports.start_import(
        uow(state, clock),
        LeadsServices(clock, DefaultLeadEntitlements(None)),
        tenant=ADMIN,
        data=data,
        filename="C:\\Users\\ann\\leads.csv",
    )
    assert (job.status, job.total_rows, job.processed_rows, job.filename) == (ImportStatus.PENDING, 2, 0, "leads.csv")
    assert state.imports[job.id].created_by == ADMIN.user_id
    assert state.import_csv[job.id] == data.decode()
    assert state.leads == {}


async def test_start_refuses_bad_files(state: LeadsState, clock: FixedClock) -> None:
    entitlements = DefaultLeadEntitlements(None)
    with pytest.raises(MalformedCsv):
        await imports.start_import(
            uow(state, clock), LeadsServices(clock, entitlements), tenant=ADMIN, data=b"\xff\xfe", filename=None
        )
    with pytest.raises(ValidationError, match="no data rows"):
        await imports.start_import(
            uow(state, clock), LeadsServices(clock, entitlements), tenant=ADMIN, data=csv_bytes(), filename=None
        )
    with pytest.raises(ValidationError, match="header"):
        await imports.start_import(
            uow(state, clock), LeadsServices(clock, entitlements), tenant=ADMIN, data=b"email\na@x.sg\n", filename=None
        )
    assert state.imports == {}


async def test_an_import_over_the_lead_limit_is_refused_up_front(state: LeadsState, clock: FixedClock) -> None:
    existing_lead(state, email="a@x.sg")
    data = csv_bytes("Ann,Tan,a@x.sg,", "Bob,Lim,b@x.sg,", "Cid,Ng,c@x.sg,")
    # 1 active + 2 new = 3: fits a limit of 3 although the file has 3 rows (one is a duplicate).
    job = await imports.start_import(
        uow(state, clock), LeadsServices(clock, DefaultLeadEntitlements(3)), tenant=ADMIN, data=data, filename=None
    )
    assert job.total_rows == 3
    with pytest.raises(QuotaExceeded) as caught:
        await imports.start_import(
            uow(state, clock), LeadsServices(clock, DefaultLeadEntitlements(2)), tenant=ADMIN, data=data, filename=None
        )
    assert caught.value.extra == {"limit": 2, "activeLeads": 1, "newRows": 2}
    assert len(state.imports) == 1


# ---- run ---------------------------------------------------------------------------------------


async def _started(state: LeadsState, clock: FixedClock, data: bytes, limit: int | None = None) -> UUID:
    job = await imports.start_import(
        uow(state, clock), LeadsServices(clock, DefaultLeadEntitlements(limit)), tenant=ADMIN, data=data, filename=None
    )
    return job.id


def _rows(n: int, start: int = 1) -> list[str]:
    return [f"Person,{i},p{i}@x.sg," for i in range(start, start + n)]


async def test_run_imports_in_batches_reports_everything_and_records_one_event(
    state: LeadsState, clock: FixedClock
) -> None:
    old = existing_lead(state, phone="+6591234567")
    data = csv_bytes(*_rows(4), "Dup,Phone,,91234567", "Bad,Email,nope,", "Again,Row1,P1@x.sg,", *_rows(2, start=5))
    import_id = await _started(state, clock, data)
    worker = uow(state, clock)
    job = await imports.run_import(
        worker, LeadsServices(clock, DefaultLeadEntitlements(None)), import_id=import_id, batch_size=3
    )
    assert job is not None and job.status is ImportStatus.COMPLETED
    assert worker.commits == 3  # 9 rows in batches of 3, one transaction each
    assert (job.total_rows, job.processed_rows) == (9, 9)
    assert (job.created_count, job.duplicate_count, job.error_count) == (6, 2, 1)
    assert job.started_at == T0 and job.finished_at == T0
    report = [(e.row, e.field, e.message) for e in state.imports[import_id].errors]
    assert report == [
        (5, "phone", f"Duplicate of existing lead {old.id}"),
        (6, "email", "must be an email address like name@example.sg"),
        (7, "email", "Duplicate of row 1"),
    ]
    created = [lead for lead in state.leads.values() if lead.id != old.id]
    assert len(created) == 6 and {lead.source for lead in created} == {LeadSource.IMPORT}
    assert all(lead.created_by == ADMIN.user_id and lead.score > 0 for lead in created)
    (event,) = state.events
    assert event.type == ev.LeadsImported.name and event.organization_id == ORG and event.actor_id == ADMIN.user_id
    assert dict(event.payload) == {"importId": str(import_id), "created": 6, "duplicates": 2, "errors": 1}


async def test_a_crash_mid_way_resumes_after_the_last_committed_batch(state: LeadsState, clock: FixedClock) -> None:
    data = csv_bytes(*_rows(7), "Again,Row1,p1@x.sg,")
    import_id = await _started(state, clock, data)
    crashing = CrashingUnitOfWork(state, ORG, clock, crash_on_commit=2)
    with pytest.raises(ConnectionError):
        await imports.run_import(
            crashing, LeadsServices(clock, DefaultLeadEntitlements(None)), import_id=import_id, batch_size=3
        )
    half = state.imports[import_id]
    assert (half.status, half.processed_rows, half.created_count, len(state.leads)) == (ImportStatus.RUNNING, 3, 3, 3)
    assert state.events == []

    job = await imports.run_import(
        uow(state, clock), LeadsServices(clock, DefaultLeadEntitlements(None)), import_id=import_id, batch_size=3
    )
    assert job is not None and job.status is ImportStatus.COMPLETED
    assert (job.processed_rows, job.created_count, job.duplicate_count, job.error_count) == (8, 7, 1, 0)
    emails = sorted(lead.email or "" for lead in state.leads.values())
    assert emails == sorted(f"p{i}@x.sg" for i in range(1, 8))  # nothing twice
    assert [e.message for e in job.errors] == ["Duplicate of row 1"]  # in-file, as on the first run
    assert len(state.events) == 1
    # A redelivered task for a finished job does nothing.
    again = await imports.run_import(
        uow(state, clock), LeadsServices(clock, DefaultLeadEntitlements(None)), import_id=import_id, batch_size=3
    )
    assert again is not None and again.created_count == 7 and len(state.leads) == 7 and len(state.events) == 1


async def test_the_worker_stops_creating_at_the_lead_limit(state: LeadsState, clock: FixedClock) -> None:
    import_id = await _started(state, clock, csv_bytes(*_rows(5)), limit=10)
    existing_lead(state, email="other@x.sg")  # after the upload: the room shrank to 2
    job = await imports.run_import(
        uow(state, clock), LeadsServices(clock, DefaultLeadEntitlements(3)), import_id=import_id, batch_size=2
    )
    assert job is not None and job.status is ImportStatus.COMPLETED
    assert (job.created_count, job.error_count) == (2, 3)
    assert [(e.row, e.field) for e in job.errors] == [(3, None), (4, None), (5, None)]
    assert "limit of 3 active leads" in job.errors[0].message
    assert len(state.leads) == 3


async def test_dnc_dates_are_judged_on_the_upload_day(state: LeadsState, clock: FixedClock) -> None:
    data = csv_bytes("Ann,Tan,a@x.sg,,clear,2026-11-26", header="firstName,lastName,email,phone,dncStatus,dncCheckedAt")
    import_id = await _started(state, clock, data)
    clock.set(datetime(2026, 11, 20, tzinfo=UTC))  # even if the worker's clock were behind
    job = await imports.run_import(
        uow(state, clock), LeadsServices(clock, DefaultLeadEntitlements(None)), import_id=import_id
    )
    assert job is not None and job.created_count == 1
    (lead,) = state.leads.values()
    assert (lead.dnc_status, lead.dnc_checked_at) == (DncStatus.CLEAR, date(2026, 11, 26))


async def test_a_job_without_its_file_fails_and_fail_import_is_final(state: LeadsState, clock: FixedClock) -> None:
    import_id = await _started(state, clock, csv_bytes(*_rows(2)))
    del state.import_csv[import_id]
    job = await imports.run_import(
        uow(state, clock), LeadsServices(clock, DefaultLeadEntitlements(None)), import_id=import_id
    )
    assert job is not None and job.status is ImportStatus.FAILED and job.failure and job.finished_at == T0
    other = await _started(state, clock, csv_bytes(*_rows(2)))
    failed = await imports.fail_import(
        uow(state, clock),
        LeadsServices(clock, DefaultLeadEntitlements(None)),
        import_id=other,
        reason="retries exhausted",
    )
    assert failed is not None and (failed.status, failed.failure) == (ImportStatus.FAILED, "retries exhausted")
    assert (
        await imports.run_import(
            uow(state, clock), LeadsServices(clock, DefaultLeadEntitlements(None)), import_id=other
        )
        == failed
    )
    assert state.leads == {}


async def test_another_tenants_import_is_not_found(state: LeadsState, clock: FixedClock) -> None:
    import_id = await _started(state, clock, csv_bytes(*_rows(1)))
    assert (
        await imports.get_import(
            uow(state, clock), LeadsServices(clock, DefaultLeadEntitlements(None)), tenant=ADMIN, import_id=import_id
        )
    ).id == import_id
    stranger = TenantContext(OTHER_ORG, uuid4(), Role.OWNER)
    with pytest.raises(NotFound):
        await imports.get_import(
            uow(state, clock, OTHER_ORG),
            LeadsServices(clock, DefaultLeadEntitlements(None)),
            tenant=stranger,
            import_id=import_id,
        )
    assert (
        await imports.run_import(
            uow(state, clock, OTHER_ORG), LeadsServices(clock, DefaultLeadEntitlements(None)), import_id=import_id
        )
        is None
    )


# ---- export ------------------------------------------------------------------------------------


async def _export(
    state: LeadsState, clock: FixedClock, purpose: exports.ExportPurpose = exports.ExportPurpose.GENERAL
) -> tuple[list[dict[str, str]], exports.ExportProgress]:
    plan = await exports.plan_export(
        LeadsServices(clock, DefaultLeadEntitlements(None)),
        tenant=ADMIN,
        lead_filter=LeadFilter(),
        purpose=purpose,
        filters={"status": "new", "tag": None},
    )
    progress = exports.ExportProgress()
    work = uow(state, clock)
    text = "".join(
        [
            chunk
            async for chunk in exports.stream_export(
                work, LeadsServices(clock, DefaultLeadEntitlements(None)), plan=plan, progress=progress
            )
        ]
    )
    await exports.record_export(work, LeadsServices(clock, DefaultLeadEntitlements(None)), plan=plan, progress=progress)
    return list(csv.DictReader(io.StringIO(text))), progress


def _consent(granted: bool) -> MarketingConsent:
    return MarketingConsent(granted=granted, recorded_at=T0 - timedelta(days=40), source="form")


async def test_export_writes_every_lead_and_neutralises_formulas(state: LeadsState, clock: FixedClock) -> None:
    existing_lead(state, first_name='=HYPERLINK("http://evil")', company="@SUM(A1)", phone="+6591234567")
    existing_lead(state, first_name="Ann", tags=["vip", "retail"], organization_id=ORG)
    existing_lead(state, first_name="Stranger", organization_id=OTHER_ORG)
    rows, progress = await _export(state, clock)
    assert progress.count == 2 and progress.completed
    evil = next(r for r in rows if r["company"].startswith("'"))
    assert evil["firstName"] == '\'=HYPERLINK("http://evil")' and evil["company"] == "'@SUM(A1)"
    assert evil["phone"] == "'+6591234567"
    assert next(r for r in rows if r["firstName"] == "Ann")["tags"] == "vip;retail"
    (event,) = state.events
    assert event.type == ev.LeadsExported.name and event.actor_id == ADMIN.user_id
    assert dict(event.payload) == {"purpose": "general", "count": 2, "filters": {"status": "new"}, "completed": True}


async def test_a_marketing_export_leaves_out_leads_that_may_not_be_marketed_to(
    state: LeadsState, clock: FixedClock
) -> None:
    today = date(2026, 11, 26)
    fresh = today - timedelta(days=21)
    existing_lead(state, first_name="Ok", marketing_consent=_consent(True), dnc_status=DncStatus.CLEAR,
                  dnc_checked_at=fresh)  # fmt: skip
    existing_lead(state, first_name="NoConsent", marketing_consent=_consent(False), dnc_status=DncStatus.CLEAR,
                  dnc_checked_at=fresh)  # fmt: skip
    existing_lead(state, first_name="Unknown", dnc_status=DncStatus.CLEAR, dnc_checked_at=fresh)
    existing_lead(state, first_name="Listed", marketing_consent=_consent(True), dnc_status=DncStatus.LISTED,
                  dnc_checked_at=fresh)  # fmt: skip
    existing_lead(state, first_name="Stale", marketing_consent=_consent(True), dnc_status=DncStatus.CLEAR,
                  dnc_checked_at=today - timedelta(days=22))  # fmt: skip
    existing_lead(state, first_name="Unchecked", marketing_consent=_consent(True))
    rows, progress = await _export(state, clock, exports.ExportPurpose.MARKETING)
    assert [r["firstName"] for r in rows] == ["Ok"] and rows[0]["marketingConsent"] == "yes"
    assert dict(state.events[0].payload)["purpose"] == "marketing" and progress.count == 1


async def test_an_interrupted_export_is_still_recorded_with_what_was_handed_out(
    state: LeadsState, clock: FixedClock
) -> None:
    for n in range(exports.CHUNK_ROWS + 10):
        existing_lead(state, first_name=f"P{n}")
    plan = await exports.plan_export(
        LeadsServices(clock, DefaultLeadEntitlements(None)), tenant=ADMIN, lead_filter=LeadFilter()
    )
    progress = exports.ExportProgress()
    work = uow(state, clock)
    stream = exports.stream_export(
        work, LeadsServices(clock, DefaultLeadEntitlements(None)), plan=plan, progress=progress
    )
    assert (await anext(stream)).startswith("id,firstName")
    await anext(stream)  # the first chunk of rows, then the client goes away
    await stream.aclose()
    await exports.record_export(work, LeadsServices(clock, DefaultLeadEntitlements(None)), plan=plan, progress=progress)
    assert dict(state.events[0].payload) == {"purpose": "general", "count": exports.CHUNK_ROWS, "filters": {},
                                             "completed": False}  # fmt: skip


def test_neutralise_only_touches_cells_a_spreadsheet_would_evaluate() -> None:
    for cell in ("=1+1", "+65", "-2", "@x", "\tx", "\rx"):
        assert exports.neutralise(cell) == "'" + cell
    for cell in ("Ann", "", "1+1", "a=b", "'quoted"):
        assert exports.neutralise(cell) == cell
