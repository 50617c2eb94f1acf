"""A list's page statement is built once per filter shape and sort, its values bound.

What makes a list cheap in Python: SQLAlchemy finds the compiled form of a statement it has
seen by the cache key memoised on the statement object, so a shape's statement must be the
same object for every request and carry no value of its own. The results of these
statements are checked against both databases by the repository's contract tests.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from nexuscore.leads.adapters.sql.lead_search import FilterShape, filter_parameters, page_statements
from nexuscore.leads.domain.model import LeadSource, LeadStatus
from nexuscore.leads.ports.repositories import LeadFilter, LeadSortField


def _filter(owner: str, word: str, tag: str, day: int) -> LeadFilter:
    return LeadFilter(
        statuses=(LeadStatus.NEW, LeadStatus.QUALIFIED),
        owner_id=uuid4(),
        source=LeadSource.REFERRAL,
        tag=tag,
        text=f"{owner} {word}",
        created_from=datetime(2026, 1, day, tzinfo=UTC),
        created_to=datetime(2026, 2, day, tzinfo=UTC),
        score_min=day,
        follow_up_before=date(2026, 3, day),
    )


@pytest.mark.parametrize("postgres", [True, False])
def test_filters_of_one_shape_share_one_statement_that_holds_none_of_their_values(postgres: bool) -> None:
    first, second = _filter("Tan", "Holdings", "hot", 3), _filter("Lim", "Trading", "cold", 9)
    shape = FilterShape.of(first, postgres=postgres)
    assert FilterShape.of(second, postgres=postgres) == shape

    page, count = page_statements(shape, LeadSortField.SCORE, True)
    assert page_statements(FilterShape.of(second, postgres=postgres), LeadSortField.SCORE, True) == (page, count)
    assert page_statements(shape, LeadSortField.SCORE, False)[0] is not page  # another sort, another statement

    dialect = postgresql.dialect() if postgres else sqlite.dialect()
    for statement in (page, count):  # every filter value is bound at execution, none built in
        baked = {value for value in statement.compile(dialect=dialect).params.values() if value is not None}
        assert baked <= {0, 1}  # SQLite's own constants: the tag test's SELECT 1, a sub-select's OFFSET 0
    org = uuid4()
    params = filter_parameters(first, org, postgres=postgres)
    assert params["org_id"] == org and params["term_0"] == "%Tan%" and params["term_1"] == "%Holdings%"
    assert params["tag"] == (["hot"] if postgres else "hot")
    assert params["statuses"] == ["new", "qualified"]


def test_the_shape_names_the_filters_set_and_the_words_searched() -> None:
    assert FilterShape.of(LeadFilter(), postgres=True) == FilterShape(postgres=True)
    words = FilterShape.of(LeadFilter(text="  tan   lim  "), postgres=True)
    assert words.terms == 2 and words.searches and not words.tag
    assert FilterShape.of(LeadFilter(text="a b c d e f g"), postgres=False).terms == 5  # MAX_SEARCH_TERMS
    assert FilterShape.of(LeadFilter(tag="vip"), postgres=True).source.name == "leads_lead_tenant"
    assert FilterShape.of(LeadFilter(tag="vip"), postgres=False).source.name == "leads_lead"
