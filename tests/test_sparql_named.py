"""The named competency queries, each held to its expected answer on the seed graph.

Expected answers live in ``tests/data/queries/NAME.csv`` (SELECT: header = variables, IRIs
written short: ``agency/moe`` for ``https://w3id.org/ipgraph/id/agency/moe``, ``ipg:Ministry``
for vocabulary terms) or ``NAME.json`` (ASK: ``{"boolean": ...}``; CONSTRUCT:
``{"triples": [...]}``). They were written from the source chapter (seed 000) and then checked
against the graph. Rows are compared in order when the query has ORDER BY, as a multiset
otherwise. Parameters for the parametrised queries are in ``params.json``.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from rdflib import URIRef

import ipgraph
from ipgraph.errors import UsageError
from ipgraph.sparql import QueryResult, check_query, named_queries
from ipgraph.terms import plain
from ipgraph.vocab import ID, PREFIXES

DATA = Path(__file__).parent / "data" / "queries"
PARAMS: dict[str, dict[str, str]] = json.loads((DATA / "params.json").read_text("utf-8"))
QUERIES = named_queries()


def short(term: Any) -> str:
    """The short, readable form the expected-answer files use."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        if text.startswith(str(ID)):
            return text[len(str(ID)) :]
        for prefix, ns in PREFIXES.items():
            if prefix != "id" and text.startswith(str(ns)):
                return f"{prefix}:{text[len(str(ns)) :]}"
        return text
    value = plain(term)
    return str(value).lower() if isinstance(value, bool) else str(value)


def ordered(text: str) -> bool:
    """Whether the query fixes the order of its rows (an ORDER BY in the algebra)."""
    return "OrderBy" in repr(check_query(text).query.algebra)


def expected_file(name: str) -> Path:
    for suffix in (".csv", ".json"):
        if (DATA / f"{name}{suffix}").is_file():
            return DATA / f"{name}{suffix}"
    raise AssertionError(f"no expected answer for named query {name!r} in {DATA}")


def test_there_are_at_least_25_named_queries() -> None:
    assert len(QUERIES) >= 25


def test_every_named_query_has_an_expected_answer_and_no_answer_is_orphaned() -> None:
    answers = {p.stem for p in DATA.iterdir() if p.suffix in (".csv", ".json")} - {"params"}
    assert answers == set(QUERIES)
    assert set(PARAMS) <= set(QUERIES)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_named_query_has_title_description_and_declared_params(name: str) -> None:
    query = QUERIES[name]
    assert query.title and not query.title.endswith(".")
    assert len(query.description) > 20
    required = {p.name for p in query.params if not p.optional}
    assert required <= set(PARAMS.get(name, {})), "give test values in params.json"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_named_query_answer_on_the_seed_graph(kg: ipgraph.KnowledgeGraph, name: str) -> None:
    result = kg.query_named(name, **PARAMS.get(name, {}))
    path = expected_file(name)
    if path.suffix == ".json":
        expected = json.loads(path.read_text("utf-8"))
        if result.kind == "ASK":
            assert result.boolean is expected["boolean"]
        else:
            assert result.graph is not None
            got = sorted([short(s), short(p), short(o)] for s, p, o in result.graph)
            assert got == sorted(expected["triples"])
        return
    with path.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    assert result.kind == "SELECT"
    assert result.vars == header
    got = [[short(value) for value in row] for row in result.rows]
    if ordered(QUERIES[name].text):
        assert got == rows
    else:
        assert Counter(map(tuple, got)) == Counter(map(tuple, rows))


def test_issued_together_is_false_for_bodies_that_never_co_issued(
    kg: ipgraph.KnowledgeGraph,
) -> None:
    assert kg.query_named("issued-together", a="MOF", b="MOE").boolean is False
    assert kg.query_named("issued-together", a="CAS", b="中国工程院").boolean is True


def test_entity_params_take_iri_curie_label_and_acronym(kg: ipgraph.KnowledgeGraph) -> None:
    answers = [
        kg.query_named("source-of", entity=ref).rows
        for ref in ("MOE", "教育部", "agency:moe", str(ID["agency/moe"]), ID["agency/moe"])
    ]
    assert answers[0] and all(a == answers[0] for a in answers)


def test_missing_required_param_names_it(kg: ipgraph.KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match=r"needs entity \(--param entity=\.\.\.\)"):
        kg.query_named("connections")


def test_unknown_param_lists_the_declared_ones(kg: ipgraph.KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match=r"has no parameter 'entiti'.*it has: entity"):
        kg.query_named("connections", entiti="MOE")


def test_unknown_query_name_suggests_close_names(kg: ipgraph.KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match="did you mean: joint-documents"):
        kg.query_named("joint-document")


def test_named_queries_need_no_prefix_beyond_the_projects() -> None:
    """Each .rq parses with ipgraph.vocab.PREFIXES alone (and its own PREFIX lines)."""
    for query in QUERIES.values():
        check_query(query.text, prefixes=PREFIXES)


def test_result_of_named_query_is_a_query_result(kg: ipgraph.KnowledgeGraph) -> None:
    assert isinstance(kg.query_named("timeline"), QueryResult)


def test_one_query_read_alone_equals_the_listed_one(monkeypatch: pytest.MonkeyPatch) -> None:
    from ipgraph.sparql import named

    listed = named.named_queries()
    monkeypatch.setattr(named, "_NAMED_CACHE", {})  # as in a fresh process
    monkeypatch.setattr(named, "_ALL_READ", [])
    assert named.named_query("connections") == listed["connections"]
    assert list(named.named_queries()) == list(listed)  # then all, still in name order
    with pytest.raises(UsageError, match="did you mean: connections"):
        named.named_query("conections")
