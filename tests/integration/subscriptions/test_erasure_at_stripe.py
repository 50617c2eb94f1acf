"""Erasure reaches Stripe: subscriptions' PersonalDataProvider on PostgreSQL (the application's
role) with the Stripe adapter against localstripe behind our stand-in. Billing profiles are made
through the context's own use case, so their customers exist at localstripe; after erasure the
customers there no longer hold the subject's email (nor her name where it is the customer's),
another person's customer of the same name is untouched, a `customer.updated` arriving later
brings nothing back, and a gateway that is down fails the privacy step, whose retry succeeds."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from taskiq import InMemoryBroker

from nexuscore.kernel.clock import SystemClock
from nexuscore.kernel.ids import new_id
from nexuscore.kernel.personal_data import RetainedField, SubjectKind, SubjectQuery, masked_email, salted_hash
from nexuscore.kernel.tenancy import Role, TenantContext
from nexuscore.platform.database import bind_rls_scope
from nexuscore.platform.mail import RecordingMailer
from nexuscore.platform.stripe_client import stripe_client
from nexuscore.platform.throttle import throttle_for
from nexuscore.privacy.adapters.tasks.tasks import TaskiqProcessingQueue, register_privacy_tasks, system_uows
from nexuscore.privacy.application import processing
from nexuscore.privacy.application.requests import submit_user_request
from nexuscore.privacy.application.services import PrivacyServices
from nexuscore.privacy.domain.model import StepStatus
from nexuscore.privacy.domain.requests import SYSTEM_ACTOR, RequestKind, RequestStatus
from nexuscore.subscriptions.adapters.gateways.stripe_gateway import StripePaymentGateway
from nexuscore.subscriptions.adapters.sql.personal_data import INVOICE_IDENTITY, BillingProfilePersonalData
from nexuscore.subscriptions.adapters.sql.tables import BillingProfileRow, CustomerRow
from nexuscore.subscriptions.adapters.sql.unit_of_work import SqlSubscriptionsUnitOfWork
from nexuscore.subscriptions.application.billing_profiles import BillingProfileInput, put_billing_profile
from nexuscore.subscriptions.application.services import SubscriptionsServices
from nexuscore.webhooks.adapters.subscriptions_sync import (
    SubscriptionsBillingProfileSync,
    SubscriptionsContextSync,
    SubscriptionsGatewayObjects,
)
from nexuscore.webhooks.application.handlers import HandlerContext, customer_updated
from nexuscore.webhooks.domain.model import InboxEvent
from nexuscore.webhooks.ports.targets import Targets
from tests.integration.subscriptions.conftest import another_standin

pytestmark = pytest.mark.integration

SALT = b"integration-salt"
NAME = "Zelda Quokka"
PROFILE = BillingProfileInput(NAME, "", ("1 Tea Road", "#02-03"), "123456", "SG", "201912345K")


def _subject(email: str) -> SubjectQuery:
    return SubjectQuery(SubjectKind.USER, user_id=new_id(), emails=(email,), names=(NAME,))


def _email() -> str:
    # localstripe lives for the whole package: each test's subject has an address of its own.
    return f"zelda.{new_id().hex[:8]}@quokka.sg"


def _gateway(api_base: str, *, retries: int | None = None) -> StripePaymentGateway:
    gateway = StripePaymentGateway(stripe_client("sk_test_erasure", api_base=api_base), SystemClock())
    if retries is not None:
        gateway.client._requestor._client._max_network_retries = retries
    return gateway


async def _profile(
    app_sessions: async_sessionmaker[AsyncSession], services: SubscriptionsServices, legal_name: str, email: str
) -> tuple[UUID, str]:
    """An organisation's billing profile, put through the use case: its customer is at the gateway."""
    org = new_id()
    async with app_sessions() as session:
        uow = SqlSubscriptionsUnitOfWork(session, services.clock)
        await uow.bind_tenant(org)
        data = BillingProfileInput(legal_name, email, PROFILE.address_lines, PROFILE.postal_code, "SG", PROFILE.uen)
        made = await put_billing_profile(
            uow, services, tenant=TenantContext(org, new_id(), Role.OWNER), data=data, command_id=f"profile-{org}"
        )
    assert made.gateway_customer_id is not None
    return org, made.gateway_customer_id


async def _at_stripe(gateway: StripePaymentGateway, customer_id: str) -> dict[str, Any]:
    return (await gateway.client.v1.customers.retrieve_async(customer_id)).to_dict()


async def _profiles(app_sessions: async_sessionmaker[AsyncSession]) -> dict[UUID, BillingProfileRow]:
    async with app_sessions() as session, session.begin():
        await bind_rls_scope(session, system=True)
        rows = {r.organization_id: r for r in await session.scalars(select(BillingProfileRow))}
        session.expunge_all()
        return rows


async def test_erasure_masks_her_contact_on_her_customers_at_stripe_and_no_one_elses(
    app_sessions: async_sessionmaker[AsyncSession], stripe_api_base: str
) -> None:
    email = _email()
    gateway = _gateway(stripe_api_base)
    services = SubscriptionsServices(SystemClock(), gateway, "https://app.example.sg")
    sole, sole_customer = await _profile(app_sessions, services, NAME, email)  # her own business, in her name
    teh, teh_customer = await _profile(app_sessions, services, "Teh Tarik Pte Ltd", email)  # she is its contact
    # Another Zelda Quokka, with an address of her own, in another organisation.
    other, other_customer = await _profile(app_sessions, services, NAME, "zq@namesake.sg")
    before = await _profiles(app_sessions)
    provider = BillingProfilePersonalData(app_sessions, gateway, services.clock)
    subject = _subject(email)

    report = await provider.erase(subject, SALT)

    hashed = masked_email(email, SALT)
    assert report.external == {"stripe:customer.email": 2, "stripe:customer.name": 1}
    assert report.masked == {"subscriptions_billing_profile": 2}
    assert report.retained == (RetainedField("subscriptions_billing_profile", "legal_name", INVOICE_IDENTITY, 2),)
    at_stripe = {c: await _at_stripe(gateway, c) for c in (sole_customer, teh_customer, other_customer)}
    assert (at_stripe[sole_customer]["email"], at_stripe[sole_customer]["name"]) == (hashed, salted_hash(NAME, SALT))
    assert (at_stripe[teh_customer]["email"], at_stripe[teh_customer]["name"]) == (hashed, "Teh Tarik Pte Ltd")
    assert (at_stripe[other_customer]["email"], at_stripe[other_customer]["name"]) == ("zq@namesake.sg", NAME)
    assert all(c["address"]["postal_code"] == "123456" for c in at_stripe.values())  # only the contact changed
    after = await _profiles(app_sessions)
    assert after[sole].billing_email == hashed and after[sole].legal_name == NAME  # kept: the tax invoices' name
    assert after[teh].billing_email == hashed and after[teh].updated_at > before[teh].updated_at
    assert (after[other].billing_email, after[other].legal_name) == ("zq@namesake.sg", NAME)
    assert after[other].updated_at == before[other].updated_at

    # A retried step: nothing of hers is left at Stripe or here.
    again = await provider.erase(subject, SALT)
    assert (again.external, again.masked) == ({}, {})
    assert await provider.export(subject) == []


async def test_a_customer_updated_after_erasure_brings_nothing_back(
    app_sessions: async_sessionmaker[AsyncSession], stripe_api_base: str
) -> None:
    email = _email()
    gateway = _gateway(stripe_api_base)
    services = SubscriptionsServices(SystemClock(), gateway, "https://app.example.sg")
    org, customer_id = await _profile(app_sessions, services, NAME, email)
    # What a delivery carries (the customer with its tax ids: localstripe lists none of ours unexpanded).
    before_erasure = await gateway.retrieve_customer_object(customer_id)
    assert before_erasure["email"] == email
    sent_at = datetime.now(UTC)  # after the profile's last change, before the erasure
    await BillingProfilePersonalData(app_sessions, gateway, services.clock).erase(_subject(email), SALT)

    def with_services() -> SubscriptionsServices:
        return services

    targets = Targets(
        subscriptions=SubscriptionsContextSync(app_sessions, with_services),
        billing_profiles=SubscriptionsBillingProfileSync(app_sessions, with_services),
        gateway=SubscriptionsGatewayObjects(with_services),
    )

    async def deliver(obj: dict[str, Any], created: datetime) -> str:
        payload: dict[str, Any] = {"id": f"evt_{new_id().hex}", "type": "customer.updated", "data": {"object": obj}}
        event = InboxEvent(
            provider="stripe", event_id=payload["id"], type="customer.updated", livemode=False, created=created,
            api_version=None, payload="{}", received_at=created,
        )  # fmt: skip
        return await customer_updated(HandlerContext(event, payload, targets, datetime.now(UTC)))

    # Stripe's event of the erasure itself, carrying the masked values: they are ours already,
    # and the masked name does not replace the legal name kept for the tax invoices.
    now = datetime.now(UTC) + timedelta(seconds=1)
    erased = await gateway.retrieve_customer_object(customer_id)
    assert await deliver(erased, now) == "billing profile unchanged"
    # An event from before the erasure (but after the profile's last change), delivered late
    # with her real address: stale, and the refetch reads what Stripe holds now.
    assert await deliver(before_erasure, sent_at) == "billing profile unchanged"
    profile = (await _profiles(app_sessions))[org]
    assert (profile.billing_email, profile.legal_name) == (masked_email(email, SALT), NAME)


class _free_port:
    def __enter__(self) -> int:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return int(s.getsockname()[1])

    def __exit__(self, *exc: object) -> None:
        return None


async def test_a_gateway_that_is_down_fails_the_privacy_step_and_the_retry_masks_her(
    app_sessions: async_sessionmaker[AsyncSession], stripe_api_base: str
) -> None:
    email = _email()
    clock = SystemClock()
    stripe = _gateway(stripe_api_base)
    org, customer_id = await _profile(
        app_sessions, SubscriptionsServices(clock, stripe, "https://app.example.sg"), "Teh Tarik Pte Ltd", email
    )
    with _free_port() as port:
        # The process's gateway reaches Stripe through a stand-in that is not up yet.
        down = _gateway(f"http://127.0.0.1:{port}", retries=0)
        broker = InMemoryBroker(await_inplace=True)
        privacy = PrivacyServices(
            clock=clock,
            providers=[BillingProfilePersonalData(app_sessions, down, clock)],
            mailer=RecordingMailer(),
            queue=TaskiqProcessingQueue(broker),
            secret=b"integration-secret",
            app_base_url="https://app.example.sg",
            throttle=throttle_for(clock, None),
        )
        uows = system_uows(app_sessions, clock)
        register_privacy_tasks(broker, uows, privacy)
        await broker.startup()
        try:
            async with uows() as uow:  # approved at once, processed in place by the broker
                request = await submit_user_request(
                    uow, privacy, user_id=new_id(), email=email, kind=RequestKind.DELETION
                )
            async with uows() as uow:
                failed = await uow.requests.get(request.id)
                steps = await uow.steps.list(request.id)
            assert failed is not None and failed.status is RequestStatus.ERROR
            assert failed.error == "failed: subscriptions (GatewayUnavailable)"
            assert [(s.provider, s.status, s.attempts) for s in steps] == [("subscriptions", StepStatus.FAILED, 1)]
            # Nothing was masked, here or at Stripe.
            assert (await _profiles(app_sessions))[org].billing_email == email
            assert (await _at_stripe(stripe, customer_id))["email"] == email

            with another_standin(port):
                async with uows() as uow:  # the retry (`begin` again, as the retry route does)
                    await processing.begin(uow, privacy, request_id=request.id, actor=SYSTEM_ACTOR)
            async with uows() as uow:
                done = await uow.requests.get(request.id)
                (step,) = await uow.steps.list(request.id)
        finally:
            await broker.shutdown()
    assert done is not None and done.status is RequestStatus.COMPLETE
    assert (step.status, step.attempts) == (StepStatus.DONE, 2)
    # The report (cleared with the subject once done) ends in the history: counts, and the gateway's part.
    assert done.history[-1].note == (
        "erased: 0 rows deleted, 1 masked, 1 retained; masked elsewhere: stripe:customer.email 1"
    )
    hashed = masked_email(email, privacy.erasure_salt)
    assert (await _at_stripe(stripe, customer_id))["email"] == hashed
    assert (await _profiles(app_sessions))[org].billing_email == hashed


async def test_a_customer_the_gateway_does_not_know_holds_nothing_to_erase(
    app_sessions: async_sessionmaker[AsyncSession], stripe_api_base: str
) -> None:
    """A profile's customer id Stripe answers 404 for (another account's, or gone): the step
    completes with what it could mask here, rather than failing on every retry."""
    email = _email()
    gateway = _gateway(stripe_api_base)
    services = SubscriptionsServices(SystemClock(), gateway, "https://app.example.sg")
    org, _customer = await _profile(app_sessions, services, "Kopi Pte Ltd", email)
    async with app_sessions() as session, session.begin():
        await bind_rls_scope(session, system=True)
        await session.execute(
            update(CustomerRow).where(CustomerRow.organization_id == org).values(gateway_customer_id="cus_NotHere0001")
        )

    report = await BillingProfilePersonalData(app_sessions, gateway, services.clock).erase(_subject(email), SALT)

    assert report.external == {}
    assert report.masked == {"subscriptions_billing_profile": 1}
    assert (await _profiles(app_sessions))[org].billing_email == masked_email(email, SALT)
