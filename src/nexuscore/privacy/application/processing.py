"""Processing an approved request in the worker: one step per personal data provider.

`begin` resolves the subject (their leads, names, addresses from their own records), makes a
pending step per provider and hands the steps to the queue. Each `run_step` runs one
provider and records the outcome; the step that finds none left pending finishes the request:
the access bundle, or the suppression list and the masking of the request itself. A failed
step puts the request in `error`; `retry` runs again only the steps not done.

A request outlives deploys: one that started before a deploy registered another provider has
no step for it. Whenever it is resumed (a retry, the sweep, and the finishing step before it
decides none is left) it gets a pending step for every registered provider without one,
recorded in its history, so its export or erasure never silently misses a context.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import replace
from datetime import timedelta
from typing import Any
from uuid import UUID

from nexuscore.kernel.errors import Conflict, NotFound
from nexuscore.kernel.ids import new_id
from nexuscore.kernel.mail import EmailMessage
from nexuscore.kernel.personal_data import ErasureReport, SubjectKind, SubjectRecord, masked_email, salted_hash
from nexuscore.kernel.tenancy import TenantContext
from nexuscore.kernel.tokens import new_opaque_token
from nexuscore.privacy.application.bundle import build_bundle
from nexuscore.privacy.application.requests import event_fields, require_admin
from nexuscore.privacy.application.services import PrivacyServices
from nexuscore.privacy.domain import events as ev
from nexuscore.privacy.domain.model import Bundle, ProcessingStep, StepStatus, SuppressedKind, Suppression
from nexuscore.privacy.domain.requests import (
    BUNDLE_TTL,
    SYSTEM_ACTOR,
    PrivacyRequest,
    RequestKind,
    RequestStatus,
    actor_of,
    staff_actor_of,
)
from nexuscore.privacy.ports.repositories import PrivacyUnitOfWork

logger = logging.getLogger(__name__)
MAX_ERROR = 300
SWEEP_GRACE = timedelta(minutes=5)


def record_json(record: SubjectRecord) -> dict[str, Any]:
    return {
        "table": record.table,
        "recordId": record.record_id,
        "organizationId": str(record.organization_id) if record.organization_id else None,
        "fields": dict(record.fields),
    }


def report_json(report: ErasureReport) -> dict[str, Any]:
    return {
        "deleted": dict(report.deleted),
        "masked": dict(report.masked),
        "retained": [
            {"table": r.table, "column": r.column, "reason": r.reason, "count": r.count} for r in report.retained
        ],
        "external": dict(report.external),
    }


async def _add_missing_steps(
    uow: PrivacyUnitOfWork, services: PrivacyServices, request: PrivacyRequest
) -> tuple[PrivacyRequest, list[str]]:
    """A pending step for each registered provider the request has none for (saved, not
    committed), and the names of those providers."""
    have = {s.provider for s in await uow.steps.list(request.id)}
    missing = [name for name in services.provider_names if name not in have]
    if missing:
        await uow.steps.ensure(request.id, missing)
        request = request.add_steps(services.clock.now(), missing)
        await uow.requests.save(request)
    return request, missing


async def begin(uow: PrivacyUnitOfWork, services: PrivacyServices, *, request_id: UUID, actor: str) -> PrivacyRequest:
    """Approved (or errored) -> in_processing; the steps go to the worker after the commit.
    A request already in processing is resumed: its pending steps are handed out again."""
    request = await uow.requests.get(request_id, for_update=True)
    if request is None:
        raise NotFound("Privacy request not found.")
    if request.status is RequestStatus.IN_PROCESSING and request.kind.automated:
        return await _resume(uow, services, request)
    if request.status not in (RequestStatus.APPROVED, RequestStatus.ERROR):
        await uow.commit()  # a second kick (a redelivery): done, or a manual kind under way
        return request
    if not request.kind.automated:
        # Corrections and withdrawals are done by people: processing only marks them underway.
        request = request.start_processing(services.clock.now(), actor)
        await uow.requests.save(request)
        await uow.commit()
        return request
    lead_ids: list[UUID] = []
    names: list[str] = []
    emails: list[str] = []
    phones: list[str] = []
    subject = request.subject_query()
    for provider in services.providers:
        for record in await provider.export(subject):
            if not record.subject_ref:
                continue
            names += [n for n in record.names if n]
            kind, _, raw_id = record.subject_ref.partition(":")
            if kind == "lead" and subject.kind is SubjectKind.LEAD:
                lead_ids.append(UUID(raw_id))
            for key, bucket in (("email", emails), ("phone", phones)):
                value = record.fields.get(key)
                if isinstance(value, str) and value:
                    bucket.append(value)
    retrying = request.status is RequestStatus.ERROR
    request = request.start_processing(
        services.clock.now(),
        actor,
        lead_ids=tuple(dict.fromkeys(lead_ids)),
        names=tuple(dict.fromkeys(names)),
        emails=tuple(dict.fromkeys(emails)),
        phones=tuple(dict.fromkeys(phones)),
    )
    await uow.requests.save(request)
    if retrying:  # its steps were made by an earlier run, perhaps before a provider existed
        request, _ = await _add_missing_steps(uow, services, request)
    else:
        await uow.steps.ensure(request.id, services.provider_names)
    pending = [s.provider for s in await uow.steps.list(request.id) if s.status is not StepStatus.DONE]
    for step in await uow.steps.list(request.id):
        if step.status is StepStatus.FAILED:
            await uow.steps.save(replace(step, status=StepStatus.PENDING, error=None))
    await uow.commit()
    await services.queue.enqueue_steps(request.id, pending)
    return request


async def _resume(uow: PrivacyUnitOfWork, services: PrivacyServices, request: PrivacyRequest) -> PrivacyRequest:
    """Hand out again the pending steps of a request in processing (its kicks may have been
    lost), steps for providers registered since included; with none pending, finish it."""
    request, _ = await _add_missing_steps(uow, services, request)
    pending = [s.provider for s in await uow.steps.list(request.id) if s.status is StepStatus.PENDING]
    await uow.commit()
    if pending:  # a step still running elsewhere is not run twice: run_step locks it, skips a done one
        await services.queue.enqueue_steps(request.id, pending)
    else:
        await finish_if_done(uow, services, request_id=request.id)
    return request


async def sweep(uow: PrivacyUnitOfWork, services: PrivacyServices, *, limit: int = 100) -> int:
    """Kick again what a lost kick left waiting: requests approved a while ago whose start
    never arrived, and requests in processing none of whose steps has finished for a while
    (`begin` resumes those). Returns how many were kicked."""
    moment = services.clock.now() - SWEEP_GRACE
    due = await uow.requests.approved_before(moment, limit)
    due += await uow.requests.processing_idle_since(moment, limit)
    await uow.commit()
    for request_id in due:
        await services.queue.enqueue_begin(request_id)
    return len(due)


async def retry(
    uow: PrivacyUnitOfWork, services: PrivacyServices, *, tenant: TenantContext, request_id: UUID
) -> PrivacyRequest:
    require_admin(tenant)
    request = await uow.requests.get(request_id, organization_id=tenant.org_id)
    return await _retry(uow, services, request, actor=actor_of(tenant.user_id))


async def retry_platform_request(
    uow: PrivacyUnitOfWork, services: PrivacyServices, *, staff_user_id: UUID, request_id: UUID
) -> PrivacyRequest:
    """Staff retry a request about a user (the platform's to answer; the adapter checks the
    staff role). A tenant's request is not found here: its own admins retry it."""
    request = await uow.requests.get(request_id)
    if request is not None and (request.organization_id is not None or request.subject_kind is not SubjectKind.USER):
        request = None
    return await _retry(uow, services, request, actor=staff_actor_of(staff_user_id))


async def _retry(
    uow: PrivacyUnitOfWork, services: PrivacyServices, request: PrivacyRequest | None, *, actor: str
) -> PrivacyRequest:
    if request is None:
        raise NotFound("Privacy request not found.")
    if request.status is not RequestStatus.ERROR:
        raise Conflict("Only a request in error can be retried.", extra={"status": request.status.value})
    return await begin(uow, services, request_id=request.id, actor=actor)


async def run_step(uow: PrivacyUnitOfWork, services: PrivacyServices, *, request_id: UUID, provider: str) -> None:
    """Run one provider's part (idempotent: a done step is not run again)."""
    request = await uow.requests.get(request_id)
    if request is None or request.status is not RequestStatus.IN_PROCESSING:
        return
    step = await uow.steps.get(request_id, provider, for_update=True)
    if step is None or step.status is StepStatus.DONE:
        await uow.commit()
        await finish_if_done(uow, services, request_id=request_id)
        return
    subject = request.subject_query()
    now = services.clock.now
    try:
        source = services.provider(provider)
        if request.kind is RequestKind.ACCESS:
            result: Any = [record_json(r) for r in await source.export(subject)]
        else:
            result = report_json(await source.erase(subject, services.erasure_salt))
        step = replace(
            step, status=StepStatus.DONE, attempts=step.attempts + 1, result=result, error=None, finished_at=now()
        )
    except Exception as exc:  # a provider's failure is the request's error, retried by an admin
        # The exception's text may quote personal values: only its type is kept and logged.
        logger.exception("privacy step %s of request %s failed (%s)", provider, request_id, type(exc).__name__)
        step = replace(step, status=StepStatus.FAILED, attempts=step.attempts + 1, error=type(exc).__name__[:MAX_ERROR])
    await uow.steps.save(step)
    await uow.commit()
    await finish_if_done(uow, services, request_id=request_id)


async def finish_if_done(uow: PrivacyUnitOfWork, services: PrivacyServices, *, request_id: UUID) -> None:
    request = await uow.requests.get(request_id, for_update=True)
    if request is None or request.status is not RequestStatus.IN_PROCESSING:
        await uow.commit()
        return
    request, added = await _add_missing_steps(uow, services, request)
    steps = await uow.steps.list(request_id)
    if any(s.status is StepStatus.PENDING for s in steps):
        await uow.commit()
        if added:
            await services.queue.enqueue_steps(request_id, added)
        return
    now = services.clock.now()
    failed = [s for s in steps if s.status is StepStatus.FAILED]
    if failed:
        request = request.fail(now, "failed: " + ", ".join(f"{s.provider} ({s.error})" for s in failed))
        await uow.requests.save(request)
        await uow.events.append(ev.RequestCompleted(occurred_at=now, outcome="error", **event_fields(request)))
        await uow.commit()
        return
    link: str | None = None
    if request.kind is RequestKind.ACCESS:
        link = await _make_bundle(uow, services, request, steps)
        request = request.complete(now, SYSTEM_ACTOR, "bundle ready")
    else:
        request = await _after_erasure(uow, services, request, steps)
    await uow.requests.save(request)
    await uow.events.append(ev.RequestCompleted(occurred_at=now, outcome="complete", **event_fields(request)))
    await uow.commit()
    recipient = request.email if request.kind is RequestKind.ACCESS else None
    if link and recipient and request.received_via.value in ("account", "public_form"):
        await services.mailer.send(
            EmailMessage(
                to=(recipient,),
                subject="Your personal data is ready to download",
                text=(
                    "The personal data we hold about you, and how it was used in the past year, is ready:\n\n"
                    f"{link}\n\nThe link works for 7 days.\n"
                ),
                tags=("privacy.bundle",),
            )
        )


def bundle_link(services: PrivacyServices, token: str) -> str:
    return f"{services.app_base_url.rstrip('/')}/api/v1/public/privacy/bundles/{token}"


async def _make_bundle(
    uow: PrivacyUnitOfWork, services: PrivacyServices, request: PrivacyRequest, steps: list[ProcessingStep]
) -> str:
    now = services.clock.now()
    exports = {s.provider: list(s.result or []) for s in steps}
    token = new_opaque_token()
    await uow.bundles.add(
        Bundle(
            id=new_id(),
            request_id=request.id,
            organization_id=request.organization_id,
            token_digest=token.digest,
            created_at=now,
            expires_at=now + BUNDLE_TTL,
            content=build_bundle(request, exports, now),
        )
    )
    await uow.steps.clear_results(request.id)
    return bundle_link(services, token.raw)


async def _after_erasure(
    uow: PrivacyUnitOfWork, services: PrivacyServices, request: PrivacyRequest, steps: list[ProcessingStep]
) -> PrivacyRequest:
    now = services.clock.now()
    subject = request.subject_query()
    org = request.organization_id
    entries = [
        Suppression(services.suppression_digest(e), SuppressedKind.EMAIL, org, request.id, now) for e in subject.emails
    ] + [
        Suppression(services.suppression_digest(p), SuppressedKind.PHONE, org, request.id, now) for p in subject.phones
    ]
    await uow.suppressions.add(entries)
    deleted = sum(sum((s.result or {}).get("deleted", {}).values()) for s in steps)
    masked = sum(sum((s.result or {}).get("masked", {}).values()) for s in steps)
    retained = sum(len((s.result or {}).get("retained", [])) for s in steps)
    salt = services.erasure_salt
    # The subject's other requests and bundles go the same way; this one keeps proof of what
    # was done (steps, counts, history) but no longer says whom it was about.
    await uow.requests.erase_subject(request.id, subject, salt)
    request = request.mask_subject(
        masked_email(request.email, salt) if request.email else None,
        salted_hash(request.phone, salt) if request.phone else None,
    )
    await uow.events.append(
        ev.SubjectErased(
            occurred_at=now,
            organization_id=org,
            request_id=request.id,
            subject_kind=request.subject_kind.value,
            deleted=deleted,
            masked=masked,
            retained_fields=retained,
        )
    )
    return request.complete(now, SYSTEM_ACTOR, _erasure_note(steps, deleted, masked, retained))


def _erasure_note(steps: list[ProcessingStep], deleted: int, masked: int, retained: int) -> str:
    """The history's record of the erasure (the steps' reports are cleared with the subject):
    counts, and what was masked outside our database (a gateway's customers), by where."""
    external: Counter[str] = Counter()
    for step in steps:
        external.update((step.result or {}).get("external", {}))
    note = f"erased: {deleted} rows deleted, {masked} masked, {retained} retained"
    if external:
        note += "; masked elsewhere: " + ", ".join(f"{where} {n}" for where, n in sorted(external.items()))
    return note
