"""Data subject requests in the core, with in-memory fakes and a controlled clock."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.errors import NotFound, PermissionDenied, RateLimited
from nexuscore.kernel.events import DomainEvent
from nexuscore.kernel.ids import new_id
from nexuscore.kernel.mail import EmailMessage
from nexuscore.kernel.personal_data import (
    Category,
    ErasureReport,
    Masking,
    PersonalField,
    SubjectKind,
    SubjectQuery,
    SubjectRecord,
)
from nexuscore.kernel.tenancy import Role, TenantContext
from nexuscore.platform.throttle import InMemoryThrottle
from nexuscore.privacy.adapters.memory.store import MemoryPrivacyUnitOfWork
from nexuscore.privacy.application import processing, requests
from nexuscore.privacy.application.services import PrivacyServices
from nexuscore.privacy.domain.model import StepStatus
from nexuscore.privacy.domain.requests import (
    HistoryEntry,
    PrivacyRequest,
    ReceivedVia,
    RequestKind,
    RequestStatus,
    VerificationExpired,
    VerificationFailed,
    due_at,
)

T0 = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # 10:00 in Singapore
ORG = UUID("01900000-0000-7000-8000-000000000001")
OTHER_ORG = UUID("01900000-0000-7000-8000-000000000002")


class FakeLeads:
    """Leads by organisation: {"id", "org", "email", "phone", "name"}."""

    name = "leads"
    fields: Sequence[PersonalField] = (PersonalField("t_lead", "email", Category.CONTACT, Masking.DELETE_ROW),)

    def __init__(self, rows: list[dict[str, object]]) -> None:
        self.rows = rows
        self.fail_next = False
        self.erased: list[SubjectQuery] = []

    def _match(self, s: SubjectQuery) -> list[dict[str, object]]:
        if s.kind is not SubjectKind.LEAD:
            return []
        return [
            r
            for r in self.rows
            if r["org"] == s.organization_id
            and (r["id"] in s.lead_ids or r["email"] in s.emails or r["phone"] in s.phones)
        ]

    async def export(self, subject: SubjectQuery) -> Sequence[SubjectRecord]:
        return [
            SubjectRecord(
                "t_lead",
                str(r["id"]),
                ORG,
                {"email": r["email"], "phone": r["phone"], "name": r["name"]},
                subject_ref=f"lead:{r['id']}",
                names=(str(r["name"]),),
            )
            for r in self._match(subject)
        ]

    async def erase(self, subject: SubjectQuery, salt: bytes) -> ErasureReport:
        if self.fail_next:
            self.fail_next = False
            raise RuntimeError("database said no about ann@example.sg")  # the text must not be kept
        found = self._match(subject)
        self.erased.append(subject)
        for r in found:
            self.rows.remove(r)
        return ErasureReport(self.name, deleted={"t_lead": len(found)})


class FakeLog:
    name = "events"
    fields: Sequence[PersonalField] = ()

    def __init__(self) -> None:
        self.queries: list[SubjectQuery] = []

    async def export(self, subject: SubjectQuery) -> Sequence[SubjectRecord]:
        self.queries.append(subject)
        return [SubjectRecord("t_event", "e1", ORG, {"type": "lead.exported", "aboutSubject": False})]

    async def erase(self, subject: SubjectQuery, salt: bytes) -> ErasureReport:
        self.queries.append(subject)
        return ErasureReport(self.name, masked={"t_event": 1})


class Mailbox:
    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    async def send(self, message: EmailMessage) -> None:
        self.sent.append(message)


class InlineQueue:
    def __init__(self) -> None:
        self.uow: MemoryPrivacyUnitOfWork | None = None
        self.services: PrivacyServices | None = None
        self.held: list[tuple[UUID, str]] = []
        self.hold = False

    async def enqueue_begin(self, request_id: UUID) -> None:
        assert self.uow is not None and self.services is not None
        await processing.begin(self.uow, self.services, request_id=request_id, actor="system")

    async def enqueue_steps(self, request_id: UUID, providers: Sequence[str]) -> None:
        for p in providers:
            if self.hold:
                self.held.append((request_id, p))
            else:
                assert self.uow is not None and self.services is not None
                await processing.run_step(self.uow, self.services, request_id=request_id, provider=p)


@pytest.fixture
def world() -> tuple[MemoryPrivacyUnitOfWork, PrivacyServices, FakeLeads, FixedClock, Mailbox, InlineQueue]:
    clock = FixedClock(T0)
    leads = FakeLeads(
        [
            {"id": new_id(), "org": ORG, "email": "ann@example.sg", "phone": "+6591234567", "name": "Ann Tan"},
            {"id": new_id(), "org": OTHER_ORG, "email": "ann@example.sg", "phone": None, "name": "Ann Tan"},
            {"id": new_id(), "org": ORG, "email": "bob@example.sg", "phone": None, "name": "Bob Lim"},
        ]
    )
    mail = Mailbox()
    queue = InlineQueue()
    services = PrivacyServices(
        clock, [leads, FakeLog()], mail, queue, b"k" * 32, "https://app.example.sg", InMemoryThrottle(clock)
    )
    uow = MemoryPrivacyUnitOfWork()
    queue.uow, queue.services = uow, services
    return uow, services, leads, clock, mail, queue


ADMIN = TenantContext(ORG, new_id(), Role.ADMIN)
IP = "203.0.113.7"


def _payloads(uow: MemoryPrivacyUnitOfWork) -> str:
    return json.dumps([e.payload() for e in uow.store.events if isinstance(e, DomainEvent)])


async def test_the_response_clock_runs_thirty_calendar_days_in_singapore(world) -> None:  # type: ignore[no-untyped-def]
    uow, services, *_ = world
    request = await requests.submit_tenant_request(
        uow, services, tenant=ADMIN,
        data=requests.TenantRequestInput(RequestKind.ACCESS, ReceivedVia.EMAIL, email="Ann@Example.SG"),
    )  # fmt: skip
    assert request.status is RequestStatus.PENDING and request.email == "ann@example.sg"
    assert request.due_at == datetime(2027, 1, 1, 15, 59, 59, tzinfo=UTC)  # 1 Jan 23:59:59 in Singapore
    assert request.days_left(T0) == 30
    assert request.days_left(T0 + timedelta(days=31)) == -1 and request.overdue(T0 + timedelta(days=31))
    extended = await requests.extend(uow, services, tenant=ADMIN, request_id=request.id, reason="volume", days=14)
    assert extended.due_at == due_at(T0, 44) and extended.days_left(T0) == 44
    assert [h.action for h in extended.history] == ["received", "extended"]
    assert all(h.actor == f"user:{ADMIN.user_id}" for h in extended.history)


async def test_members_cannot_handle_requests_and_another_tenants_request_is_not_found(world) -> None:  # type: ignore[no-untyped-def]
    uow, services, *_ = world
    member = TenantContext(ORG, new_id(), Role.MEMBER)
    with pytest.raises(PermissionDenied):
        await requests.submit_tenant_request(
            uow,
            services,
            tenant=member,
            data=requests.TenantRequestInput(RequestKind.ACCESS, ReceivedVia.EMAIL, email="a@b.sg"),
        )
    request = await requests.submit_tenant_request(
        uow,
        services,
        tenant=ADMIN,
        data=requests.TenantRequestInput(RequestKind.ACCESS, ReceivedVia.EMAIL, email="a@b.sg"),
    )
    other_admin = TenantContext(OTHER_ORG, new_id(), Role.OWNER)
    with pytest.raises(NotFound):
        await requests.approve(uow, services, tenant=other_admin, request_id=request.id)


async def test_access_request_bundles_the_subjects_records_only_and_completes(world) -> None:  # type: ignore[no-untyped-def]
    uow, services, _leads, _clock, mail, _ = world
    request = await requests.submit_tenant_request(
        uow,
        services,
        tenant=ADMIN,
        data=requests.TenantRequestInput(RequestKind.ACCESS, ReceivedVia.LETTER, email="ann@example.sg"),
    )
    await requests.approve(uow, services, tenant=ADMIN, request_id=request.id)
    final = uow.store.requests[request.id]
    assert final.status is RequestStatus.COMPLETE
    assert [h.action for h in final.history] == ["received", "approved", "processing", "completed"]
    bundle = await uow.bundles.for_request(request.id)
    assert bundle is not None and bundle.expires_at == T0 + timedelta(days=7)
    archive = zipfile.ZipFile(io.BytesIO(bundle.content))
    names = set(archive.namelist())
    assert {"README.txt", "personal_data.json", "leads/t_lead.csv", "use_and_disclosure_log.json"} <= names
    data = json.loads(archive.read("personal_data.json"))
    rows = data["leads"]["t_lead"]
    assert [r["fields"]["email"] for r in rows] == ["ann@example.sg"]  # not the other tenant's Ann, not Bob
    assert "Bob" not in archive.read("leads/t_lead.csv").decode()
    assert json.loads(archive.read("use_and_disclosure_log.json"))[0]["type"] == "lead.exported"
    # The exports kept for the bundle are dropped once it is built.
    assert all(s.result is None for s in await uow.steps.list(request.id))
    # A tenant-received request is handed over by the tenant: no mail to the address.
    assert mail.sent == []
    assert "ann@" not in _payloads(uow) and "Ann" not in _payloads(uow)
    kinds = [type(e).__name__ for e in uow.store.events]
    assert kinds == ["RequestReceived", "RequestApproved", "RequestCompleted"]


async def test_public_intake_needs_the_emailed_code(world) -> None:  # type: ignore[no-untyped-def]
    uow, services, _, _clock, mail, _ = world
    request = await requests.submit_public_request(
        uow, services, organization_id=ORG, kind=RequestKind.DELETION, email="ann@example.sg"
    )
    assert request.status is RequestStatus.IDENTITY_UNVERIFIED
    code = mail.sent[-1].text.split("code is ")[1][:6]
    assert code.isdigit()
    with pytest.raises(VerificationFailed) as wrong:
        await requests.verify_public_request(
            uow,
            services,
            organization_id=ORG,
            request_id=request.id,
            code="000000" if code != "000000" else "111111",
            ip=IP,
        )
    assert "4 attempts left" in wrong.value.errors[0].message
    with pytest.raises(NotFound):  # another tenant's public route does not see it
        await requests.verify_public_request(
            uow, services, organization_id=OTHER_ORG, request_id=request.id, code=code, ip=IP
        )
    verified = await requests.verify_public_request(
        uow, services, organization_id=ORG, request_id=request.id, code=code, ip=IP
    )
    assert verified.status is RequestStatus.PENDING and verified.history[-1].actor == "subject"
    assert verified.verification is None


async def test_a_code_expires_after_ten_minutes_and_after_five_wrong_tries(world) -> None:  # type: ignore[no-untyped-def]
    uow, services, _, clock, mail, _ = world
    late = await requests.submit_public_request(
        uow, services, organization_id=ORG, kind=RequestKind.ACCESS, email="a@b.sg"
    )
    late_code = mail.sent[-1].text.split("code is ")[1][:6]
    clock.advance(timedelta(minutes=10, seconds=1))
    with pytest.raises(VerificationExpired):
        await requests.verify_public_request(
            uow, services, organization_id=ORG, request_id=late.id, code=late_code, ip=IP
        )
    tried = await requests.submit_public_request(
        uow, services, organization_id=ORG, kind=RequestKind.ACCESS, email="a@b.sg"
    )
    code = mail.sent[-1].text.split("code is ")[1][:6]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(VerificationFailed):
            await requests.verify_public_request(
                uow, services, organization_id=ORG, request_id=tried.id, code=wrong, ip=IP
            )
    with pytest.raises(VerificationExpired):  # even the right code, now
        await requests.verify_public_request(uow, services, organization_id=ORG, request_id=tried.id, code=code, ip=IP)
    assert uow.store.requests[tried.id].status is RequestStatus.IDENTITY_UNVERIFIED


async def test_the_public_intake_is_throttled_per_address_asked_about_and_per_client(world) -> None:  # type: ignore[no-untyped-def]
    uow, services, _, clock, mail, _ = world

    async def submit(email: str) -> None:
        await requests.submit_public_request(uow, services, organization_id=ORG, kind=RequestKind.ACCESS, email=email)

    # Known (a lead of ORG) and unknown addresses meet the same limit: 3 an hour, then 429.
    for email in ("ann@example.sg", "nobody@example.sg"):
        for _ in range(3):
            await submit(email)
        with pytest.raises(RateLimited) as refused:
            await submit(email.upper())  # normalised: the same address
        assert refused.value.retry_after_seconds == 300
    assert len(uow.store.requests) == len(mail.sent) == 6  # the refused ones stored and mailed nothing
    await requests.submit_public_request(  # the limit is per organisation
        uow, services, organization_id=OTHER_ORG, kind=RequestKind.ACCESS, email="ann@example.sg"
    )

    for _ in range(10):
        await requests.admit_public_client(services, ip=IP)
    with pytest.raises(RateLimited):
        await requests.admit_public_client(services, ip=IP)
    await requests.admit_public_client(services, ip="198.51.100.1")  # another client is not held up
    clock.advance(timedelta(hours=1))
    await requests.admit_public_client(services, ip=IP)
    await submit("ann@example.sg")


async def test_code_attempts_are_throttled_per_client_across_requests(world) -> None:  # type: ignore[no-untyped-def]
    uow, services, _, _clock, mail, _ = world
    made = [
        await requests.submit_public_request(
            uow, services, organization_id=ORG, kind=RequestKind.ACCESS, email=f"p{i}@example.sg"
        )
        for i in range(5)
    ]
    code = mail.sent[0].text.split("code is ")[1][:6]
    wrong = "000000" if code != "000000" else "111111"
    for request in made[1:]:  # 4 requests x 5 wrong codes: the per-request limits are not reached first
        for _ in range(5):
            with pytest.raises(VerificationFailed):
                await requests.verify_public_request(
                    uow, services, organization_id=ORG, request_id=request.id, code=wrong, ip=IP
                )
    with pytest.raises(RateLimited):  # the 21st attempt from this address, even the right code
        await requests.verify_public_request(
            uow, services, organization_id=ORG, request_id=made[0].id, code=code, ip=IP
        )
    with pytest.raises(RateLimited):  # an unknown id costs an attempt too, and is refused the same way
        await requests.verify_public_request(uow, services, organization_id=ORG, request_id=new_id(), code=code, ip=IP)
    assert uow.store.requests[made[0].id].verification.attempts_left == 5  # type: ignore[union-attr]
    verified = await requests.verify_public_request(
        uow, services, organization_id=ORG, request_id=made[0].id, code=code, ip="198.51.100.1"
    )
    assert verified.status is RequestStatus.PENDING


async def test_deletion_erases_suppresses_and_masks_the_request(world) -> None:  # type: ignore[no-untyped-def]
    uow, services, leads, _clock, _, _ = world
    lead_id = leads.rows[0]["id"]
    request = await requests.submit_tenant_request(
        uow,
        services,
        tenant=ADMIN,
        data=requests.TenantRequestInput(RequestKind.DELETION, ReceivedVia.PHONE, lead_id=lead_id),  # type: ignore[arg-type]
    )
    await requests.approve(uow, services, tenant=ADMIN, request_id=request.id)
    final = uow.store.requests[request.id]
    assert final.status is RequestStatus.COMPLETE and final.erased
    assert final.email is None and final.names == () and final.phones == ()
    assert [r["name"] for r in leads.rows] == ["Ann Tan", "Bob Lim"]  # the other tenant's Ann stays
    # The subject was resolved from the lead: its email and phone are suppressed, hashed.
    digests = {services.suppression_digest("ann@example.sg"), services.suppression_digest("+6591234567")}
    assert await uow.suppressions.suppressed(digests, ORG) == digests
    assert await uow.suppressions.suppressed(digests, OTHER_ORG) == set()
    erased = [e for e in uow.store.events if type(e).__name__ == "SubjectErased"]
    assert len(erased) == 1 and erased[0].payload()["deleted"] == 1  # type: ignore[union-attr]
    assert "ann" not in _payloads(uow).lower() and "6591234567" not in _payloads(uow)


async def test_a_failed_step_is_an_error_and_a_retry_runs_only_what_is_left(world) -> None:  # type: ignore[no-untyped-def]
    uow, services, leads, _clock, _, _ = world
    leads.fail_next = True
    request = await requests.submit_tenant_request(
        uow,
        services,
        tenant=ADMIN,
        data=requests.TenantRequestInput(RequestKind.DELETION, ReceivedVia.EMAIL, email="ann@example.sg"),
    )
    await requests.approve(uow, services, tenant=ADMIN, request_id=request.id)
    failed = uow.store.requests[request.id]
    assert failed.status is RequestStatus.ERROR and failed.error == "failed: leads (RuntimeError)"
    steps = {s.provider: s.status for s in await uow.steps.list(request.id)}
    assert steps == {"events": StepStatus.DONE, "leads": StepStatus.FAILED}
    log_calls = len(services.provider("events").queries)  # type: ignore[attr-defined]
    retried = await processing.retry(uow, services, tenant=ADMIN, request_id=request.id)
    assert retried.history[-1].action == "retried"
    assert uow.store.requests[request.id].status is RequestStatus.COMPLETE
    # The events step was done: the retry exported for resolution but erased nothing there again.
    assert len(services.provider("events").queries) == log_calls + 1  # type: ignore[attr-defined]
    assert len(leads.erased) == 1


async def test_manual_kinds_complete_by_hand_and_automated_ones_do_not(world) -> None:  # type: ignore[no-untyped-def]
    uow, services, *_ = world
    correction = await requests.submit_tenant_request(
        uow,
        services,
        tenant=ADMIN,
        data=requests.TenantRequestInput(RequestKind.CORRECTION, ReceivedVia.EMAIL, email="a@b.sg"),
    )
    await requests.approve(uow, services, tenant=ADMIN, request_id=correction.id)
    done = await requests.complete_manually(uow, services, tenant=ADMIN, request_id=correction.id, note="phone fixed")
    assert done.status is RequestStatus.COMPLETE and done.history[-1].note == "phone fixed"
    denied = await requests.submit_tenant_request(
        uow,
        services,
        tenant=ADMIN,
        data=requests.TenantRequestInput(RequestKind.ACCESS, ReceivedVia.EMAIL, email="a@b.sg"),
    )
    result = await requests.deny(uow, services, tenant=ADMIN, request_id=denied.id, reason="not the subject")
    assert result.status is RequestStatus.DENIED
    with pytest.raises(Exception, match="cannot be approved"):
        await requests.approve(uow, services, tenant=ADMIN, request_id=denied.id)


# ---- requests that outlive a deploy adding a personal data provider


class FakeInvoices:
    """A provider a later deploy registers: invoices billed to the subject's email."""

    name = "billing"
    fields: Sequence[PersonalField] = (PersonalField("t_invoice", "email", Category.CONTACT, Masking.SALTED_HASH),)

    def __init__(self) -> None:
        self.rows = [{"id": "inv-1", "org": ORG, "email": "ann@example.sg"}]
        self.erased: list[SubjectQuery] = []

    def _match(self, s: SubjectQuery) -> list[dict[str, object]]:
        return [r for r in self.rows if r["org"] == s.organization_id and r["email"] in s.emails]

    async def export(self, subject: SubjectQuery) -> Sequence[SubjectRecord]:
        return [SubjectRecord("t_invoice", str(r["id"]), ORG, {"email": r["email"]}) for r in self._match(subject)]

    async def erase(self, subject: SubjectQuery, salt: bytes) -> ErasureReport:
        self.erased.append(subject)
        found = self._match(subject)
        for r in found:
            r["email"] = "masked"
        return ErasureReport(self.name, masked={"t_invoice": len(found)})


def _deploy_with_invoices(services: PrivacyServices, queue: InlineQueue) -> tuple[PrivacyServices, FakeInvoices]:
    """The same world after a deploy that registered the billing provider."""
    invoices = FakeInvoices()
    deployed = replace(services, providers=[*services.providers, invoices])
    queue.services = deployed
    return deployed, invoices


def _steps_added(request: PrivacyRequest) -> list[HistoryEntry]:
    return [h for h in request.history if h.action == "steps_added"]


async def _tenant_request(uow: MemoryPrivacyUnitOfWork, services: PrivacyServices, kind: RequestKind) -> UUID:
    request = await requests.submit_tenant_request(
        uow, services, tenant=ADMIN, data=requests.TenantRequestInput(kind, ReceivedVia.EMAIL, email="ann@example.sg")
    )
    return request.id


async def test_a_retry_adds_and_runs_steps_for_providers_registered_since_the_request_started(world) -> None:  # type: ignore[no-untyped-def]
    uow, services, leads, _clock, _, queue = world
    leads.fail_next = True
    request_id = await _tenant_request(uow, services, RequestKind.DELETION)
    await requests.approve(uow, services, tenant=ADMIN, request_id=request_id)
    assert uow.store.requests[request_id].status is RequestStatus.ERROR
    assert {s.provider for s in await uow.steps.list(request_id)} == {"events", "leads"}

    deployed, invoices = _deploy_with_invoices(services, queue)
    await processing.retry(uow, deployed, tenant=ADMIN, request_id=request_id)
    final = uow.store.requests[request_id]
    assert final.status is RequestStatus.COMPLETE
    added = _steps_added(final)
    assert len(added) == 1 and added[0].actor == "system" and added[0].note is not None
    assert added[0].note.endswith(": billing")
    assert [h.action for h in final.history][-4:] == ["failed", "retried", "steps_added", "completed"]
    steps = {s.provider: s.status for s in await uow.steps.list(request_id)}
    assert steps == {"billing": StepStatus.DONE, "events": StepStatus.DONE, "leads": StepStatus.DONE}
    # The new provider erased too, and the request's own account of the erasure counts it.
    assert len(invoices.erased) == 1 and invoices.rows[0]["email"] == "masked"
    erased = [e for e in uow.store.events if type(e).__name__ == "SubjectErased"]
    assert erased[0].payload()["masked"] == 2  # type: ignore[union-attr]  # the event log's row and the invoice


async def test_the_sweep_resumes_a_stalled_request_with_steps_for_new_providers(world) -> None:  # type: ignore[no-untyped-def]
    uow, services, _leads, clock, _, queue = world
    queue.hold = True  # the step kicks are lost: the worker went down with the deploy
    request_id = await _tenant_request(uow, services, RequestKind.ACCESS)
    await requests.approve(uow, services, tenant=ADMIN, request_id=request_id)
    assert uow.store.requests[request_id].status is RequestStatus.IN_PROCESSING
    queue.hold = False
    deployed, _ = _deploy_with_invoices(services, queue)
    assert await processing.sweep(uow, deployed) == 0  # not yet: its steps may still be on their way

    clock.advance(timedelta(minutes=6))
    assert await processing.sweep(uow, deployed) == 1
    final = uow.store.requests[request_id]
    assert final.status is RequestStatus.COMPLETE
    assert [h.action for h in final.history] == ["received", "approved", "processing", "steps_added", "completed"]
    assert _steps_added(final)[0].note == "steps added for providers registered since processing started: billing"
    bundle = await uow.bundles.for_request(request_id)
    assert bundle is not None
    data = json.loads(zipfile.ZipFile(io.BytesIO(bundle.content)).read("personal_data.json"))
    assert [r["recordId"] for r in data["billing"]["t_invoice"]] == ["inv-1"]
    assert [r["fields"]["email"] for r in data["leads"]["t_lead"]] == ["ann@example.sg"]
    clock.advance(timedelta(minutes=6))
    assert await processing.sweep(uow, deployed) == 0  # complete: nothing to kick


async def test_the_sweep_leaves_alone_a_request_whose_steps_are_finishing(world) -> None:  # type: ignore[no-untyped-def]
    uow, services, _leads, clock, _, queue = world
    queue.hold = True
    request_id = await _tenant_request(uow, services, RequestKind.ACCESS)
    await requests.approve(uow, services, tenant=ADMIN, request_id=request_id)
    clock.advance(timedelta(minutes=6))
    await processing.run_step(uow, services, request_id=request_id, provider="events")  # progress, just now
    clock.advance(timedelta(minutes=4))
    assert await processing.sweep(uow, services) == 0
    assert queue.held == [(request_id, "events"), (request_id, "leads")]  # nothing handed out again
    clock.advance(timedelta(minutes=2))
    assert await processing.sweep(uow, services) == 1  # idle for longer than the grace: resumed
    assert queue.held[-1] == (request_id, "leads")  # only the step not done


async def test_the_finishing_step_does_not_complete_while_a_registered_provider_has_no_step(world) -> None:  # type: ignore[no-untyped-def]
    uow, services, _leads, _clock, _, queue = world
    queue.hold = True
    request_id = await _tenant_request(uow, services, RequestKind.ACCESS)
    await requests.approve(uow, services, tenant=ADMIN, request_id=request_id)
    deployed, _ = _deploy_with_invoices(services, queue)
    queue.hold = False
    for held_id, provider in queue.held:  # the old kicks reach a worker of the new deploy
        await processing.run_step(uow, deployed, request_id=held_id, provider=provider)
    final = uow.store.requests[request_id]
    assert final.status is RequestStatus.COMPLETE
    assert [h.action for h in final.history][-2:] == ["steps_added", "completed"]
    bundle = await uow.bundles.for_request(request_id)
    assert bundle is not None
    data = json.loads(zipfile.ZipFile(io.BytesIO(bundle.content)).read("personal_data.json"))
    assert set(data) == {"billing", "leads"}
