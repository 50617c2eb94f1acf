"""Published facade of the leads context: its routes and background tasks for the platform.

- `LEADS_ROUTES`: controllers under `/api/v1/orgs/{org_id:uuid}/leads`.
- `provide_leads_uow`, `provide_lead_members`, `provide_lead_entitlements`: the app-level
  dependencies `leads_uow`, `lead_members` and `lead_entitlements` those routes declare.
- `register_leads_tasks(broker, sessions, clock, entitlements)`: the CSV import task;
  `DefaultLeadEntitlements(limit)` is the entitlements adapter until subscriptions exist.
"""

from __future__ import annotations

from litestar import Controller

from nexuscore.leads.adapters.entitlements import DefaultLeadEntitlements
from nexuscore.leads.adapters.http.controllers import LeadsController
from nexuscore.leads.adapters.http.dependencies import (
    provide_lead_entitlements,
    provide_lead_members,
    provide_leads_uow,
)
from nexuscore.leads.adapters.http.imports_controllers import LeadImportsController
from nexuscore.leads.adapters.tasks.imports import IMPORT_TASK, register_leads_tasks

# Each controller module of adapters/http appends its controllers here.
LEADS_ROUTES: list[type[Controller]] = []
LEADS_ROUTES.append(LeadsController)
LEADS_ROUTES.append(LeadImportsController)

__all__ = [
    "IMPORT_TASK",
    "LEADS_ROUTES",
    "DefaultLeadEntitlements",
    "provide_lead_entitlements",
    "provide_lead_members",
    "provide_leads_uow",
    "register_leads_tasks",
]
