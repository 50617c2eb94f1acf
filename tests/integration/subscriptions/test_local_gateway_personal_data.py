"""Subscriptions' PersonalDataProvider on PostgreSQL with the local gateway (its objects in
`subscriptions_local_gateway_object`): billing profiles put through the use case, so the gateway
holds their customers and its `customer.*` events. She is the contact of her own business (in
her name) and of Teh Tarik; another Zelda Quokka, with another address, is the contact of a
third organisation. The export finds exactly her rows and copies; erasure masks them (at the
gateway, through its port, and in the copies), and the other person's stay as they were."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nexuscore.kernel.clock import FixedClock
from nexuscore.kernel.ids import new_id
from nexuscore.kernel.personal_data import SubjectKind, SubjectQuery, masked_email, salted_hash
from nexuscore.kernel.tenancy import Role, TenantContext
from nexuscore.platform.database import bind_rls_scope
from nexuscore.subscriptions.adapters.gateways.local import LocalPaymentGateway
from nexuscore.subscriptions.adapters.gateways.local_store import SqlLocalGatewayStore
from nexuscore.subscriptions.adapters.sql.personal_data import BillingProfilePersonalData
from nexuscore.subscriptions.adapters.sql.tables import BillingProfileRow, LocalGatewayObjectRow
from nexuscore.subscriptions.adapters.sql.unit_of_work import SqlSubscriptionsUnitOfWork
from nexuscore.subscriptions.application.billing_profiles import BillingProfileInput, put_billing_profile
from nexuscore.subscriptions.application.services import SubscriptionsServices

pytestmark = pytest.mark.integration

NOW = datetime(2026, 8, 14, 2, 0, tzinfo=UTC)
SALT = b"integration-salt"
EMAIL, NAME, NAMESAKE = "zelda@quokka.sg", "Zelda Quokka", "zq@namesake.sg"
ZELDA = SubjectQuery(SubjectKind.USER, user_id=new_id(), emails=(EMAIL,), names=(NAME,))
_T, _L = "subscriptions_billing_profile", "subscriptions_local_gateway_object"


async def _profile(
    app_sessions: async_sessionmaker[AsyncSession], services: SubscriptionsServices, legal_name: str, email: str
) -> tuple[UUID, str]:
    org = new_id()
    async with app_sessions() as session:
        uow = SqlSubscriptionsUnitOfWork(session, services.clock)
        await uow.bind_tenant(org)
        data = BillingProfileInput(legal_name, email, ("1 Tea Road",), "123456", "SG", "201912345K")
        made = await put_billing_profile(uow, services, tenant=TenantContext(org, new_id(), Role.OWNER), data=data)
    assert made.gateway_customer_id is not None
    return org, made.gateway_customer_id


async def _objects(app_sessions: async_sessionmaker[AsyncSession]) -> dict[str, tuple[str, dict[str, Any]]]:
    async with app_sessions() as session:
        return {r.id: (r.kind, r.data) for r in await session.scalars(select(LocalGatewayObjectRow))}


def _customer_of(data: dict[str, Any]) -> str | None:
    """The customer a stored customer, or an event about one, is."""
    obj = data["data"]["object"] if data.get("object") == "event" else data
    return str(obj["id"]) if obj.get("object") == "customer" else None


async def test_export_and_erasure_with_the_local_gateways_copies(
    app_sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FixedClock(NOW)
    gateway = LocalPaymentGateway(SqlLocalGatewayStore(app_sessions), clock, api_base_url="http://api.test")
    services = SubscriptionsServices(clock, gateway, "https://app.example.sg")
    sole, sole_customer = await _profile(app_sessions, services, NAME, EMAIL)
    teh, teh_customer = await _profile(app_sessions, services, "Teh Tarik Pte Ltd", EMAIL)
    other, other_customer = await _profile(app_sessions, services, NAME, NAMESAKE)
    before = await _objects(app_sessions)
    provider = BillingProfilePersonalData(app_sessions, gateway, clock)

    # Access: her two profiles' contact, and the gateway's copies of her customers (the
    # customers and their creation events); nothing of the other Zelda Quokka's.
    records = await provider.export(ZELDA)
    profiles = {(r.record_id, r.fields["billing_email"]) for r in records if r.table == _T}
    assert profiles == {(str(sole), EMAIL), (str(teh), EMAIL)}
    copies = {r.record_id: r.fields for r in records if r.table == _L}
    assert {_customer_of(before[oid][1]) for oid in copies} == {sole_customer, teh_customer}
    assert {before[oid][0] for oid in copies} == {"customer", "event"} and len(copies) == 4
    assert set(copies[sole_customer]["values"]) == {EMAIL, NAME}
    assert copies[teh_customer]["values"] == [EMAIL]

    report = await provider.erase(ZELDA, SALT)

    # At the gateway, through its port: her email on both customers, her name on her own.
    assert report.external == {"local:customer.email": 2, "local:customer.name": 1}
    # Here: both profiles; the copies still naming her (the events of the customers' creation:
    # the customers themselves were masked at the gateway).
    assert report.masked == {_T: 2, _L: 2}
    after = await _objects(app_sessions)
    hashed = masked_email(EMAIL, SALT)
    assert (after[sole_customer][1]["email"], after[sole_customer][1]["name"]) == (hashed, salted_hash(NAME, SALT))
    assert (after[teh_customer][1]["email"], after[teh_customer][1]["name"]) == (hashed, "Teh Tarik Pte Ltd")
    for oid, (_, data) in after.items():
        text = str(data)
        assert EMAIL not in text
        if NAME in text:  # only the other Zelda Quokka's customer and its event name her
            assert _customer_of(data) == other_customer, oid
    assert after[other_customer] == before[other_customer]
    assert {oid for oid in before if _customer_of(before[oid][1]) == other_customer} <= {
        oid for oid in after if after[oid] == before.get(oid)
    }
    async with app_sessions() as session, session.begin():
        await bind_rls_scope(session, system=True)
        rows = {r.organization_id: r for r in await session.scalars(select(BillingProfileRow))}
    assert rows[sole].billing_email == hashed and rows[sole].legal_name == NAME  # kept for the tax invoices
    assert rows[teh].billing_email == hashed
    assert (rows[other].billing_email, rows[other].legal_name) == (NAMESAKE, NAME)

    # Idempotent: a retried step finds nothing of hers, here or at the gateway.
    again = await provider.erase(ZELDA, SALT)
    assert (again.external, again.masked) == ({}, {})
    assert await provider.export(ZELDA) == []
