"""The draft as RDF (SHACL-valid, reified with spans), the review page and the diff."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import PROV

from extract_support import DATA, ID, REPO, bundled_graph, bundled_names
from ipgraph.extract import Draft, diff, extract, render_review
from ipgraph.extract.draft import ITSRDF, NIF
from ipgraph.validation import validate
from ipgraph.vocab import IPG

EN = (DATA / "en_report.md").read_text(encoding="utf-8")
ZH = (DATA / "zh_report.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def en() -> Draft:
    return extract(EN, bundled_names(), source="en_report.md")


@pytest.fixture(scope="module")
def zh() -> Draft:
    return extract(ZH, bundled_names(), source="zh_report.md")


def conforms(draft: Draft) -> list[str]:
    data = bundled_graph() + draft.graph()
    shapes = Graph().parse(REPO / "ontology" / "shapes.ttl", format="turtle")
    ontology = Graph().parse(REPO / "ontology" / "ontology.ttl", format="turtle")
    report = validate(data, shapes, ontology, str)
    return [str(r) for r in report.results]


@pytest.mark.parametrize("name", ["en", "zh"])
def test_draft_conforms_to_the_shapes(name: str, request: pytest.FixtureRequest) -> None:
    assert conforms(request.getfixturevalue(name)) == []


def test_validate_command_accepts_the_draft(
    en: Draft, write: Callable[[str, str], Path], run: Callable[..., Result]
) -> None:
    path = write("draft.ttl", en.serialize())
    result = run("validate", "--data", str(path))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("conforms")


def test_every_candidate_is_a_statement_with_passage_span_and_confidence(en: Draft) -> None:
    g = en.graph()
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
            assert 0 <= int(begin) < int(end) <= len(EN)
    # each asserted triple about a new document is backed by a statement
    notice = URIRef(next(d.iri for d in en.documents if d.title.startswith("Notice")))
    for _s, p, o in g.triples((notice, None, None)):
        assert any(
            g.value(n, RDF.predicate) == p and g.value(n, RDF.object) == o
            for n in g.subjects(RDF.subject, notice)
        ), (p, o)


def test_issuer_statement_points_at_the_issuer_name(en: Draft) -> None:
    g = en.graph()
    mof = URIRef(ID + "agency/mof")
    [node] = [n for n in g.subjects(RDF.object, mof) if g.value(n, RDF.predicate) == IPG.issuedBy]
    begin, end = int(g.value(node, NIF.beginIndex)), int(g.value(node, NIF.endIndex))  # type: ignore[arg-type]
    assert EN[begin:end] == "Ministry of Finance"


def test_chinese_only_new_entities_are_named_but_not_typed(zh: Draft) -> None:
    """No English name is invented: the class is proposed as a statement, not asserted."""
    g = zh.graph()
    nfga = URIRef(next(m.iri for m in zh.new if m.label == "国家林业和草原局"))
    assert (nfga, RDF.type, None) not in g
    assert g.value(nfga, URIRef("http://www.w3.org/2000/01/rdf-schema#label")) == Literal(
        "国家林业和草原局", lang="zh"
    )
    proposed = [n for n in g.subjects(RDF.subject, nfga) if g.value(n, RDF.predicate) == RDF.type]
    assert [g.value(n, RDF.object) for n in proposed] == [IPG.Agency]


def test_review_page_escapes_text_and_loads_nothing() -> None:
    text = (
        "# Review <b>test</b>\n\nIn 2022, CNIPA selected 12 typical cases of "
        '<script>alert("x")</script> "Bright <img src=x onerror=alert(1)> Sky" campaign.\n'
    )
    page = render_review(extract(text, bundled_names(), source="xss.md"))
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<img" not in page and "<b>" not in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page)
    assert "<link" not in page and "@import" not in page
    assert '<mark class="linked"' in page and '<mark class="figure"' in page


def test_review_page_shows_new_linked_documents_and_confidence(en: Draft) -> None:
    page = render_review(en)
    assert '<mark class="new"' in page and '<mark class="document"' in page
    assert "Ministry of Agriculture and Rural Affairs" in page
    assert "0.60" in page  # the publisher-as-issuer confidence is shown


def test_diff_reports_new_and_known(en: Draft) -> None:
    result = diff(en, bundled_graph())
    new = {str(e) for e in result.new_entities}
    known = {str(e) for e in result.known_entities}
    assert "https://w3id.org/ipgraph/draft/agency/ministry-of-agriculture-and-rural-affairs" in new
    assert ID + "agency/cnipa" in known and ID + "agency/cnipa" not in new
    mof = URIRef(ID + "agency/mof")
    notice = URIRef(next(d.iri for d in en.documents if d.title.startswith("Notice")))
    assert (notice, IPG.issuedBy, mof) in result.new_statements
    assert result.summary().startswith(f"{len(new)} new entities")


def test_diff_reports_statements_the_graph_already_has() -> None:
    text = "# R\n\nIn 2021, CNIPA issued the *Notice on Strengthening Patent Navigation*.\n"
    result = diff(extract(text, bundled_names()), bundled_graph())
    doc = URIRef(ID + "document/notice-strengthening-patent-navigation")
    assert (doc, IPG.issuedBy, URIRef(ID + "agency/cnipa")) in result.known
    assert doc in result.known_entities
    assert result.new_entities == []


def test_diff_of_a_draft_against_itself_is_all_known(en: Draft) -> None:
    result = diff(en, en.graph())
    assert result.new_statements == [] and result.new_entities == []
    assert result.known
