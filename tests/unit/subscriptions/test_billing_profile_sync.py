"""`sync_billing_profile`: the gateway's customer taken into the billing profile, guarded by
the gateway's time against the profile's last change; our own pushes never come back as
changes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from nexuscore.kernel.errors import ValidationError
from nexuscore.kernel.ids import new_id
from nexuscore.subscriptions.adapters.gateways.stripe_shapes import customer_snapshot
from nexuscore.subscriptions.application.billing_profiles import (
    BillingProfileInput,
    put_billing_profile,
    sync_billing_profile,
)
from nexuscore.subscriptions.domain.model import OverseasEvidence, ProfileSyncOutcome
from tests.unit.subscriptions.conftest import World

Outcome = ProfileSyncOutcome


async def profiled(world: World) -> dict[str, Any]:
    data = BillingProfileInput(
        "Acme Pte Ltd",
        "billing@acme.sg",
        ("1 Raffles Place", "#10-01"),
        "048616",
        "SG",
        uen="201912345K",
        belonging_country=None,
    )
    profile = await put_billing_profile(world.uow(), world.services, tenant=world.owner, data=data)
    assert profile.gateway_customer_id is not None
    return await world.gateway.retrieve_customer_object(profile.gateway_customer_id)


async def test_our_own_push_coming_back_changes_nothing(world: World) -> None:
    pushed = await profiled(world)
    before = world.state.profiles[world.org]
    # the event of our push: at the profile's own time (stale), or a moment later (the same values)
    same_time = customer_snapshot(pushed, observed_at=world.clock.now())
    assert await sync_billing_profile(world.uow(), world.services, customer=same_time) is Outcome.STALE
    later = customer_snapshot(pushed, observed_at=world.clock.now() + timedelta(seconds=2))
    assert await sync_billing_profile(world.uow(), world.services, customer=later) is Outcome.UNCHANGED
    assert world.state.profiles[world.org] == before


async def test_a_change_at_the_gateway_is_taken_when_newer(world: World) -> None:
    pushed = await profiled(world)
    edited = pushed | {
        "name": "Acme Holdings Pte Ltd",
        "email": "Finance@Acme.sg",
        "address": {
            "line1": "2 Shenton Way",
            "line2": "#20-02, SGX Centre 1",
            "postal_code": "068804",
            "country": "sg",
        },
        "tax_ids": {"object": "list", "data": [{"type": "sg_gst", "value": "M91234567X"}]},
    }
    at = world.clock.now() + timedelta(minutes=5)
    outcome = await sync_billing_profile(
        world.uow(), world.services, customer=customer_snapshot(edited, observed_at=at)
    )
    assert outcome is Outcome.APPLIED
    profile = world.state.profiles[world.org]
    assert (profile.legal_name, profile.billing_email) == ("Acme Holdings Pte Ltd", "finance@acme.sg")
    assert profile.address_lines == ("2 Shenton Way", "#20-02", "SGX Centre 1") and profile.country == "SG"
    assert (profile.uen, profile.gst_registration_number) == (None, "M91234567X")  # the gateway's tax ids
    assert profile.updated_at == at
    # an older event arriving late changes nothing
    older = customer_snapshot(pushed, observed_at=at - timedelta(minutes=1))
    assert await sync_billing_profile(world.uow(), world.services, customer=older) is Outcome.STALE
    assert world.state.profiles[world.org].legal_name == "Acme Holdings Pte Ltd"


async def test_without_tax_ids_in_the_object_ours_are_kept(world: World) -> None:
    pushed = await profiled(world)
    payload = {k: v for k, v in pushed.items() if k != "tax_ids"} | {"email": "ap@acme.sg"}
    at = world.clock.now() + timedelta(minutes=1)
    outcome = await sync_billing_profile(
        world.uow(), world.services, customer=customer_snapshot(payload, observed_at=at)
    )
    assert outcome is Outcome.APPLIED
    profile = world.state.profiles[world.org]
    assert (profile.billing_email, profile.uen) == ("ap@acme.sg", "201912345K")


async def test_overseas_evidence_is_ours_alone(world: World) -> None:
    data = BillingProfileInput(
        "Kiwi Ltd", "ap@kiwi.nz", ("1 Queen St",), "1010", "NZ", None, None, "NZ", OverseasEvidence.BILLING_ADDRESS
    )
    profile = await put_billing_profile(world.uow(), world.services, tenant=world.owner, data=data)
    assert profile.gateway_customer_id is not None
    pushed = await world.gateway.retrieve_customer_object(profile.gateway_customer_id)
    renamed = customer_snapshot(pushed | {"name": "Kiwi Group Ltd"}, observed_at=world.clock.now() + timedelta(1))
    assert await sync_billing_profile(world.uow(), world.services, customer=renamed) is Outcome.APPLIED
    stored = world.state.profiles[world.org]
    assert (stored.legal_name, stored.belonging_country, stored.belonging_evidence) == (
        "Kiwi Group Ltd",
        "NZ",
        OverseasEvidence.BILLING_ADDRESS,
    )


async def test_customers_not_ours_and_refused_data(world: World) -> None:
    pushed = await profiled(world)
    later = world.clock.now() + timedelta(minutes=1)
    stranger = pushed | {"id": "cus_someone_else"}  # our organisation's metadata, another customer
    assert (
        await sync_billing_profile(world.uow(), world.services, customer=customer_snapshot(stranger, observed_at=later))
        is Outcome.NOT_OURS
    )
    other_org = pushed | {"metadata": {"organization_id": str(new_id())}}
    assert (
        await sync_billing_profile(
            world.uow(), world.services, customer=customer_snapshot(other_org, observed_at=later)
        )
        is Outcome.NOT_OURS
    )
    no_org = pushed | {"metadata": {}}
    assert (
        await sync_billing_profile(world.uow(), world.services, customer=customer_snapshot(no_org, observed_at=later))
        is Outcome.NOT_OURS
    )
    bad_uen = pushed | {"tax_ids": {"object": "list", "data": [{"type": "sg_uen", "value": "nonsense"}]}}
    with pytest.raises(ValidationError):
        await sync_billing_profile(world.uow(), world.services, customer=customer_snapshot(bad_uen, observed_at=later))
    assert world.state.profiles[world.org].uen == "201912345K"
