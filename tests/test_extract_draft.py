"""The draft as RDF (`ipgraph.extract.draft`): SHACL-valid, every candidate a reified
statement with its passage, span and confidence."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import PROV

from extract_support import EN_TEXT, ID, REPO, bundled_graph
from ipgraph.extract import Draft
from ipgraph.extract.draft import ITSRDF, NIF
from ipgraph.validation import validate
from ipgraph.vocab import IPG


def conforms(draft: Draft) -> list[str]:
    data = bundled_graph() + draft.graph()
    shapes = Graph().parse(REPO / "ontology" / "shapes.ttl", format="turtle")
    ontology = Graph().parse(REPO / "ontology" / "ontology.ttl", format="turtle")
    report = validate(data, shapes, ontology, str)
    return [str(r) for r in report.results]


@pytest.mark.parametrize("name", ["en_draft", "zh_draft"])
def test_draft_conforms_to_the_shapes(name: str, request: pytest.FixtureRequest) -> None:
    assert conforms(request.getfixturevalue(name)) == []


def test_validate_command_accepts_the_draft(
    en_draft: Draft, write: Callable[[str, str], Path], run: Callable[..., Result]
) -> None:
    path = write("draft.ttl", en_draft.serialize())
    result = run("validate", "--data", str(path))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("conforms")


def test_every_candidate_is_a_statement_with_passage_span_and_confidence(en_draft: Draft) -> None:
    g = en_draft.graph()
    statements = set(g.subjects(RDF.subject, None))
    assert statements
    for node in statements:
        s, p, o = (g.value(node, x) for x in (RDF.subject, RDF.predicate, RDF.object))
        assert isinstance(s, URIRef) and isinstance(p, URIRef) and o is not None
        passage = g.value(node, PROV.wasDerivedFrom)
        assert (passage, RDF.type, IPG.Passage) in g
        confidence = g.value(node, ITSRDF.taConfidence)
        assert isinstance(confidence, Literal) and 0 < float(confidence) <= 1
        begin, end = g.value(node, NIF.beginIndex), g.value(node, NIF.endIndex)
        if begin is not None:
            assert 0 <= int(begin) < int(end) <= len(EN_TEXT)
    # each asserted triple about a new document is backed by a statement
    notice = URIRef(next(d.iri for d in en_draft.documents if d.title.startswith("Notice")))
    for _s, p, o in g.triples((notice, None, None)):
        assert any(
            g.value(n, RDF.predicate) == p and g.value(n, RDF.object) == o
            for n in g.subjects(RDF.subject, notice)
        ), (p, o)


def test_issuer_statement_points_at_the_issuer_name(en_draft: Draft) -> None:
    g = en_draft.graph()
    mof = URIRef(ID + "agency/mof")
    [node] = [n for n in g.subjects(RDF.object, mof) if g.value(n, RDF.predicate) == IPG.issuedBy]
    begin, end = int(g.value(node, NIF.beginIndex)), int(g.value(node, NIF.endIndex))  # type: ignore[arg-type]
    assert EN_TEXT[begin:end] == "Ministry of Finance"


def test_chinese_only_new_entities_are_named_but_not_typed(zh_draft: Draft) -> None:
    """No English name is invented: the class is proposed as a statement, not asserted."""
    g = zh_draft.graph()
    nfga = URIRef(next(m.iri for m in zh_draft.new if m.label == "国家林业和草原局"))
    assert (nfga, RDF.type, None) not in g
    assert g.value(nfga, URIRef("http://www.w3.org/2000/01/rdf-schema#label")) == Literal(
        "国家林业和草原局", lang="zh"
    )
    proposed = [n for n in g.subjects(RDF.subject, nfga) if g.value(n, RDF.predicate) == RDF.type]
    assert [g.value(n, RDF.object) for n in proposed] == [IPG.Agency]
