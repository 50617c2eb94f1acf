"""The lead filters of GET /leads and GET /leads/export, parsed once as a dependency so both
routes take (and document) exactly the same query parameters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from litestar.openapi.spec import OpenAPIType, Reference, Schema
from litestar.params import QueryParameter

from nexuscore.leads.application import search
from nexuscore.leads.domain.model import MAX_TAG_LENGTH, LeadSource
from nexuscore.leads.ports.repositories import LeadFilter

_LEAD_STATUS = Reference(ref="#/components/schemas/LeadStatus")


@dataclass(frozen=True)
class LeadQuery:
    lead_filter: LeadFilter
    given: dict[str, Any]  # the filters as the client sent them, JSON-safe (export events record them)


def provide_lead_query(
    status: Annotated[
        list[str] | None,
        QueryParameter(
            description="Repeat it or separate by commas: status=new,contacted",
            # Parsed from strings (commas allowed), documented as what each value must be.
            schema_extra={
                "one_of": [Schema(type=OpenAPIType.ARRAY, items=_LEAD_STATUS), Schema(type=OpenAPIType.NULL)]
            },
        ),
    ] = None,
    owner_id: Annotated[UUID | None, QueryParameter(name="ownerId")] = None,
    source: Annotated[LeadSource | None, QueryParameter()] = None,
    tag: Annotated[str | None, QueryParameter(max_length=MAX_TAG_LENGTH)] = None,
    q: Annotated[
        str | None,
        QueryParameter(
            max_length=search.MAX_QUERY_LENGTH,
            description="Words (up to 5), each a substring of the first or last name, email or company",
        ),
    ] = None,
    created_from: Annotated[datetime | None, QueryParameter(name="createdFrom")] = None,
    created_to: Annotated[
        datetime | None, QueryParameter(name="createdTo", description="Inclusive upper bound")
    ] = None,
    # `minimum` again in schema_extra: Litestar drops a constraint whose value is 0.
    score_min: Annotated[int | None, QueryParameter(name="scoreMin", ge=0, le=100, schema_extra={"minimum": 0})] = None,
    follow_up_before: Annotated[
        date | None, QueryParameter(name="followUpBefore", description="Next follow-up strictly before this date")
    ] = None,
) -> LeadQuery:
    lead_filter = search.build_filter(
        statuses=status,
        owner_id=owner_id,
        source=source,
        tag=tag,
        q=q,
        created_from=created_from,
        created_to=created_to,
        score_min=score_min,
        follow_up_before=follow_up_before,
    )
    given = {
        "status": list(status or []),
        "ownerId": str(owner_id) if owner_id else None,
        "source": source.value if source else None,
        "tag": tag,
        "q": q,
        "createdFrom": created_from.isoformat() if created_from else None,
        "createdTo": created_to.isoformat() if created_to else None,
        "scoreMin": score_min,
        "followUpBefore": follow_up_before.isoformat() if follow_up_before else None,
    }
    return LeadQuery(lead_filter, given)
