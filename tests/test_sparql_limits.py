"""Structural limits refuse queries before any parser sees them (issue 11)."""

from __future__ import annotations

import math
from pathlib import Path
from unittest import mock

import pytest

from ipgraph.errors import QueryForbidden, UsageError
from ipgraph.sparql import limits
from ipgraph.sparql.limits import check_limits, check_timeout, measure

QUERIES = Path(__file__).resolve().parents[1] / "src" / "ipgraph" / "sparql" / "queries"


def test_nested_groups_are_refused_before_parsing() -> None:
    text = "SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o " + "} " * 5000
    with (
        mock.patch("rdflib.plugins.sparql.processor.prepareQuery") as parse,
        pytest.raises(QueryForbidden, match=r"nests 5,000 brackets deep; the limit is 100"),
    ):
        check_limits(text)
    parse.assert_not_called()


def test_nested_parentheses_are_refused() -> None:
    text = "ASK { FILTER(" + "(" * 400 + "1" + ")" * 400 + ") }"
    with pytest.raises(QueryForbidden, match="402 brackets deep"):
        check_limits(text)


def test_brackets_in_strings_iris_and_comments_do_not_count() -> None:
    text = 'ASK { ?s ?p "' + "{" * 500 + '" . ?s ?q <urn:x' + "(" * 10 + "> # " + "[" * 500 + "\n}"
    assert check_limits(text).depth == 1


def test_a_long_query_is_refused_by_length() -> None:
    with pytest.raises(QueryForbidden, match="characters long; the limit is 100,000"):
        check_limits("ASK {}" + " " * 100_000)


def test_a_long_property_path_is_refused() -> None:
    text = "SELECT * WHERE { ?s " + "/".join(["ipg:p"] * 1500) + " ?o }"
    with pytest.raises(QueryForbidden, match="path of 1,499 steps; the limit is 50"):
        check_limits(text)


def test_path_steps_are_counted_per_triple_pattern() -> None:
    pattern = "?s " + "/".join(["ipg:p"] * 40) + " ?o"
    assert check_limits(f"SELECT * WHERE {{ {pattern} . {pattern} ; ipg:q/ipg:r ?x }}")


def test_datatype_markers_and_logical_or_are_not_path_steps() -> None:
    text = 'ASK { ?s ?p "2021"^^xsd:gYear FILTER(?p = ?q || ?p = ?r) }'
    assert measure(text).path_steps == 0


def test_many_triple_patterns_are_refused() -> None:
    body = " ".join(f"?s{i} ipg:p ?o{i} ." for i in range(2_001))
    with pytest.raises(QueryForbidden, match="2,001 triple patterns; the limit is 2,000"):
        check_limits("SELECT * WHERE { " + body + " }")


def test_the_named_queries_pass() -> None:
    files = sorted(QUERIES.glob("*.rq"))
    assert files
    for path in files:
        shape = check_limits(path.read_text(encoding="utf-8"))
        assert shape.depth < limits.MAX_NESTING // 10


def test_a_long_query_is_measured() -> None:
    text = "SELECT * WHERE { " + "?s ipg:p ?o . " * 6_000 + "}"
    assert measure(text).triple_patterns == 6_000


@pytest.mark.parametrize("value", ["nan", math.nan, math.inf, "-inf", -1, 0, "soon", True])
def test_bad_time_limits_are_refused(value: object) -> None:
    with pytest.raises(UsageError, match="must be positive and finite"):
        check_timeout(value)  # type: ignore[arg-type]


def test_time_limits() -> None:
    assert check_timeout(3) == 3.0
    assert check_timeout("0.5") == 0.5
    assert check_timeout(None) is None
    assert check_timeout(None, default=limits.DEFAULT_TIMEOUT) == 60.0
