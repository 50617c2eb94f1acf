"""HTTP adapter of the webhooks context: the Stripe endpoint and the staff inbox."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED

from nexuscore.identity.api import Principal
from nexuscore.kernel.errors import DomainError
from nexuscore.kernel.paging import PageRequest
from nexuscore.platform.http.structs import Limit, Offset
from nexuscore.webhooks.adapters import metrics
from nexuscore.webhooks.adapters.http.dependencies import provide_webhooks_staff_uow, webhooks_state
from nexuscore.webhooks.adapters.http.schemas import (
    AttemptResponse,
    BulkReplayRequest,
    InboxEventDetailResponse,
    InboxEventPage,
    InboxEventResponse,
    ReplayJobResponse,
    WebhookAck,
)
from nexuscore.webhooks.adapters.sql.repositories import SqlWebhooksUnitOfWork
from nexuscore.webhooks.adapters.stripe.signature import DeliveryRejected, parse_event, verify_signature
from nexuscore.webhooks.application import operations
from nexuscore.webhooks.application.ingest import ingest_event
from nexuscore.webhooks.application.services import WebhooksServices
from nexuscore.webhooks.application.stripe_objects import STRIPE
from nexuscore.webhooks.domain.model import InboxFilter, InboxStatus

logger = logging.getLogger(__name__)
MAX_WEBHOOK_BYTES = 1_048_576
BEARER: list[dict[str, list[str]]] = [{"BearerToken": []}]
Uow = NamedDependency[SqlWebhooksUnitOfWork]
Services = NamedDependency[WebhooksServices]


class BadDelivery(DomainError):
    """A webhook delivery refused before storage (400, not 422: nothing here is a field)."""

    code = "bad-webhook"


class StripeWebhookController(Controller):
    path = "/api/v1/webhooks"
    tags = ["webhooks"]

    @post(
        "/stripe",
        status_code=HTTP_200_OK,
        summary="Stripe webhook endpoint (signed with Stripe-Signature)",
        request_max_body_size=MAX_WEBHOOK_BYTES,
    )
    async def receive_stripe_webhook(
        self, request: Request[Any, Any, Any], webhooks_uow: Uow, webhooks_services: Services
    ) -> WebhookAck:
        body = await request.body()  # the raw bytes: what was signed
        try:
            verify_signature(
                body,
                request.headers.get("stripe-signature"),
                webhooks_state(request).stripe_secrets,
                now=webhooks_services.clock.now(),
            )
            incoming = parse_event(body)
        except DeliveryRejected as rejected:
            metrics.REJECTED.labels(STRIPE, rejected.cause).inc()
            logger.warning("stripe webhook rejected: %s", rejected.cause)
            raise BadDelivery(rejected.detail, extra={"cause": rejected.cause}) from None
        result = await ingest_event(webhooks_uow, webhooks_services, incoming=incoming)
        if result.duplicate:
            metrics.DUPLICATES.labels(STRIPE).inc()
        else:
            metrics.RECEIVED.labels(STRIPE, incoming.type).inc()
        return WebhookAck(received=True, duplicate=result.duplicate)


class WebhookInboxController(Controller):
    path = "/api/v1/admin/webhooks"
    tags = ["webhooks"]
    security = BEARER
    dependencies = {"webhooks_uow": Provide(provide_webhooks_staff_uow)}  # staff first, then the session

    @get("/", summary="The webhook inbox (staff)")
    async def list_webhook_events(
        self,
        webhooks_staff: NamedDependency[Principal],
        webhooks_uow: Uow,
        webhooks_services: Services,
        provider: Annotated[str | None, QueryParameter(max_length=40)] = None,
        status: Annotated[InboxStatus | None, QueryParameter()] = None,
        type_: Annotated[str | None, QueryParameter(name="type", max_length=100)] = None,
        event_id: Annotated[str | None, QueryParameter(name="eventId", max_length=255)] = None,
        since: Annotated[datetime | None, QueryParameter()] = None,
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> InboxEventPage:
        where = InboxFilter(provider=provider, status=status, type=type_, event_id=event_id, since=since)
        page = await operations.list_inbox(
            webhooks_uow, webhooks_services, where=where, page=PageRequest(limit, offset)
        )
        return InboxEventPage.of(page, InboxEventResponse.of)

    @get("/{inbox_id:uuid}", summary="One webhook event with its attempts (staff)")
    async def get_webhook_event(
        self,
        webhooks_staff: NamedDependency[Principal],
        inbox_id: FromPath[UUID],
        webhooks_uow: Uow,
        webhooks_services: Services,
    ) -> InboxEventDetailResponse:
        detail = await operations.get_inbox_event(webhooks_uow, webhooks_services, inbox_id=inbox_id)
        base = InboxEventResponse.of(detail.event)
        return InboxEventDetailResponse(
            **{f: getattr(base, f) for f in base.__struct_fields__},
            payload=json.loads(detail.event.payload),
            attempt_log=[AttemptResponse.of(a) for a in detail.attempts],
        )

    @post("/{inbox_id:uuid}/replay", status_code=HTTP_202_ACCEPTED, summary="Process one event again (staff)")
    async def replay_webhook_event(
        self,
        webhooks_staff: NamedDependency[Principal],
        inbox_id: FromPath[UUID],
        webhooks_uow: Uow,
        webhooks_services: Services,
    ) -> InboxEventResponse:
        event = await operations.replay_event(
            webhooks_uow, webhooks_services, inbox_id=inbox_id, actor_id=webhooks_staff.user_id
        )
        return InboxEventResponse.of(event)

    @post("/replay", status_code=HTTP_202_ACCEPTED, summary="Replay every event matching a filter, in the background")
    async def replay_webhook_events(
        self,
        webhooks_staff: NamedDependency[Principal],
        data: JSONBody[BulkReplayRequest],
        webhooks_uow: Uow,
        webhooks_services: Services,
    ) -> ReplayJobResponse:
        job = await operations.request_bulk_replay(
            webhooks_uow,
            webhooks_services,
            status=data.status,
            type_=data.type,
            since=data.since,
            actor_id=webhooks_staff.user_id,
        )
        return ReplayJobResponse.of(job)

    @get("/replay-jobs/{job_id:uuid}", summary="A bulk replay's progress (staff)")
    async def get_webhook_replay_job(
        self,
        webhooks_staff: NamedDependency[Principal],
        job_id: FromPath[UUID],
        webhooks_uow: Uow,
        webhooks_services: Services,
    ) -> ReplayJobResponse:
        return ReplayJobResponse.of(await operations.get_replay_job(webhooks_uow, webhooks_services, job_id=job_id))
