"""The leads context's own problem shapes, for the OpenAPI document (what `DuplicateLead` sends)."""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from nexuscore.platform.http.problem_docs import Problem, ProblemDoc


class MatchedOn(StrEnum):
    """The contact field two leads share."""

    EMAIL = "email"
    PHONE = "phone"


class DuplicateLeadProblem(Problem):
    """409 `duplicate-lead`: an active lead already has this email or phone."""

    existing_lead_id: UUID | None = None
    matched_on: MatchedOn | None = None


DUPLICATE_LEAD = ProblemDoc(
    409,
    "`duplicate-lead`: an active lead has this email or phone (`existingLeadId`, `matchedOn`)",
    DuplicateLeadProblem,
)
