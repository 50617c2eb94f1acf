"""Which targets processing drives in this build: the subscriptions context, through
`subscriptions.api` (rule 3's door), in `adapters/subscriptions_sync.py`, and the billing
context through `billing.api`, in `adapters/billing_sync.py`.

- Subscription events (`checkout.session.completed`, `customer.subscription.*`) drive
  subscriptions' version-guarded `sync_subscription`; an object that is not one of ours ends
  `ignored` with the reason (see that module for the outcome mapping and the creation race).
- `customer.updated` drives subscriptions' `sync_billing_profile` (the gateway's customer into
  the billing profile, version-guarded; our own pushes coming back change nothing).
- Invoice events (`invoice.*`, `credit_note.created`) drive billing's gateway-invoice use cases,
  which refetch through billing's own Stripe gateway on the process's one Stripe client
  (STRIPE_SECRET_KEY; without it they end `ignored`).
- Gateway: refetches (subscriptions, customers) and the event list for `webhooks backfill` go
  through subscriptions' one gateway of the process (Stripe's pinned client when
  STRIPE_SECRET_KEY is set, the local gateway's store otherwise).
"""

from __future__ import annotations

from functools import partial

from nexuscore.billing import api as billing
from nexuscore.platform.modules import Infrastructure
from nexuscore.subscriptions import api as subscriptions
from nexuscore.webhooks.adapters.billing_sync import BillingContextSync
from nexuscore.webhooks.adapters.subscriptions_sync import (
    SubscriptionsBillingProfileSync,
    SubscriptionsContextSync,
    SubscriptionsGatewayObjects,
)
from nexuscore.webhooks.ports.targets import Targets


def default_targets(infra: Infrastructure) -> Targets:
    services = partial(subscriptions.services_for, infra.sessions)
    return Targets(
        subscriptions=SubscriptionsContextSync(infra.sessions, services),
        billing_profiles=SubscriptionsBillingProfileSync(infra.sessions, services),
        gateway=SubscriptionsGatewayObjects(services),
        invoices=BillingContextSync(
            infra.sessions,
            billing.build_services(infra.settings, infra.clock, infra.mailer),
            billing.invoice_gateway(infra.stripe),
        ),
    )
