"""What a draft would add to a graph (`ipgraph.extract.diff`): new and known entities and
statements."""

from __future__ import annotations

from rdflib import URIRef

from extract_support import ID, bundled_graph, bundled_names
from ipgraph.extract import Draft, diff, extract
from ipgraph.vocab import IPG


def test_diff_reports_new_and_known(en_draft: Draft) -> None:
    result = diff(en_draft, bundled_graph())
    new = {str(e) for e in result.new_entities}
    known = {str(e) for e in result.known_entities}
    assert "https://w3id.org/ipgraph/draft/agency/ministry-of-agriculture-and-rural-affairs" in new
    assert ID + "agency/cnipa" in known and ID + "agency/cnipa" not in new
    mof = URIRef(ID + "agency/mof")
    notice = URIRef(next(d.iri for d in en_draft.documents if d.title.startswith("Notice")))
    assert (notice, IPG.issuedBy, mof) in result.new_statements
    assert result.summary().startswith(f"{len(new)} new entities")


def test_diff_reports_statements_the_graph_already_has() -> None:
    text = "# R\n\nIn 2021, CNIPA issued the *Notice on Strengthening Patent Navigation*.\n"
    result = diff(extract(text, bundled_names()), bundled_graph())
    doc = URIRef(ID + "document/notice-strengthening-patent-navigation")
    assert (doc, IPG.issuedBy, URIRef(ID + "agency/cnipa")) in result.known
    assert doc in result.known_entities
    assert result.new_entities == []


def test_diff_of_a_draft_against_itself_is_all_known(en_draft: Draft) -> None:
    result = diff(en_draft, en_draft.graph())
    assert result.new_statements == [] and result.new_entities == []
    assert result.known
