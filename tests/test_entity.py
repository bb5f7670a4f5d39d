"""The entity summary (`ipgraph.entity`): what ``kg.entity`` gives."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pytest
from rdflib import BNode, URIRef
from rdflib.namespace import PROV
from rdflib.term import Node

import ipgraph
from hashseeds import outputs_per_seed
from ipgraph.entity import Entity, summarize
from ipgraph.errors import UsageError
from ipgraph.sparql.result import QueryResult
from ipgraph.store.base import Store
from ipgraph.vocab import ID


def test_a_passage_lists_the_facts_it_supports(kg: ipgraph.KnowledgeGraph) -> None:
    # Regression: incoming prov:wasDerivedFrom links were hidden, so "what does this passage
    # state?" had no answer in `ipgraph show`.
    psg = ID["passage/cnipa-ar2021-ch4/s01-p2"]
    expected = {s for s in kg.graph.subjects(PROV.wasDerivedFrom, psg)}
    assert expected, "the seed passage supports some facts"
    summary = kg.entity(psg)
    supported = {lk.node for lk in summary.incoming if lk.predicate == PROV.wasDerivedFrom}
    assert supported == expected
    assert kg.label(kg.resolve("MOE")) in summary.to_text()


_HUB = """
@prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:issuedBy rdfs:label "issued by"@en .
ex:partOf rdfs:label "part of"@en .
ex:cites rdfs:label "cites"@en .
ex:note rdfs:label "note"@en .
ex:hub rdfs:label "The Hub"@en, "枢纽"@zh ;
    ex:cites ex:c1, ex:c2, ex:c3, ex:c4, ex:c5, ex:c6 ;
    ex:note "gamma", "alpha", "beta", ex:n2, ex:n1 .
ex:unit1 rdfs:label "Unit one"@en ; ex:partOf ex:hub .
ex:unit2 rdfs:label "Unit two"@en ; ex:partOf ex:hub .
ex:unit3 rdfs:label "Unit three"@en ; ex:partOf ex:hub .
"""
EX = "https://example.org/"


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def hub_kg(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> ipgraph.KnowledgeGraph:
    """A hub: 7 documents issued by it, 3 units part of it, 6 citations and 5 notes from it."""
    folder = tmp_path_factory.mktemp("hub")
    docs = "".join(
        f'ex:doc{i} rdfs:label "Document {8 - i}"@en ; ex:issuedBy ex:hub .\n' for i in range(1, 8)
    )
    cited = "".join(f'ex:c{i} rdfs:label "Cited {i}"@en .\n' for i in range(1, 7))
    (folder / "hub.ttl").write_text(_HUB + docs + cited, encoding="utf-8")
    store = None if request.param == "memory" else f"oxigraph:{folder / 'store'}"
    return ipgraph.load(folder / "hub.ttl", store=store, bundled=False)


def _relations(summary: Entity) -> dict[tuple[str, str], tuple[int, int]]:
    return {(r.direction, r.predicate_label): (r.total, r.listed) for r in summary.relations}


def test_a_hub_lists_limit_per_relation_and_counts_all(hub_kg: ipgraph.KnowledgeGraph) -> None:
    summary = hub_kg.entity(EX + "hub", limit=3)
    assert _relations(summary) == {
        ("out", "cites"): (6, 3),
        ("out", "note"): (5, 3),
        ("in", "issued by"): (7, 3),
        ("in", "part of"): (3, 3),
    }
    issued = [lk for lk in summary.incoming if lk.predicate_label == "issued by"]
    # the first three by IRI (doc1..doc3), listed by their labels
    assert [(str(lk.node), lk.node_label) for lk in issued] == [
        (EX + "doc3", "Document 5"),
        (EX + "doc2", "Document 6"),
        (EX + "doc1", "Document 7"),
    ]
    notes = [lk.node_label for lk in summary.outgoing if lk.predicate_label == "note"]
    assert notes == ["alpha", "beta", "gamma"]  # literals and IRIs in one order, by text
    assert summary.label == "The Hub"


def test_a_hub_text_says_how_many_more(hub_kg: ipgraph.KnowledgeGraph) -> None:
    text = hub_kg.entity(EX + "hub", limit=3).to_text()
    assert "  ←issued by— Document 7" in text
    assert "Document 4" not in text
    assert "… and 4 more issued by (--limit 0 lists all)" in text
    assert "… and 3 more cites" in text and "more part of" not in text
    lines = text.splitlines()
    for relation in ("issued by", "cites"):  # each right under its own relation's links
        more = next(i for i, line in enumerate(lines) if f"more {relation} (" in line)
        assert f"{relation}—" in lines[more - 1] or f"{relation}→" in lines[more - 1]


def test_a_hub_json_gives_totals_and_listed(hub_kg: ipgraph.KnowledgeGraph) -> None:
    data = json.loads(json.dumps(hub_kg.entity(EX + "hub", limit=3).to_dict()))
    issued = [r for r in data["relations"] if r["predicate"] == EX + "issuedBy"]
    assert issued == [
        {
            "direction": "in",
            "predicate": EX + "issuedBy",
            "predicate_label": "issued by",
            "count": 7,
            "listed": 3,
        }
    ]
    assert len([lk for lk in data["incoming"] if lk["predicate"] == EX + "issuedBy"]) == 3
    assert sorted(lk["value"] for lk in data["outgoing"] if "value" in lk) == [
        "alpha",
        "beta",
        "gamma",
    ]


def test_limit_zero_lists_all_by_label(hub_kg: ipgraph.KnowledgeGraph) -> None:
    summary = hub_kg.entity(EX + "hub")
    issued = [lk.node_label for lk in summary.incoming if lk.predicate_label == "issued by"]
    assert issued == [f"Document {i}" for i in range(1, 8)]
    assert all(total == listed for total, listed in _relations(summary).values())
    assert "more" not in summary.to_text()
    assert "… and 5 more issued by" in summary.to_text(limit=2)  # capped when printed


def test_to_text_limit_lists_what_a_limited_read_lists(hub_kg: ipgraph.KnowledgeGraph) -> None:
    # Regression: `to_text(limit=N)` kept the first N links by label while `entity(limit=N)`
    # (what `ipgraph show --limit N` prints) keeps the first N by IRI: two different lists.
    whole = hub_kg.entity(EX + "hub").to_text(limit=3)
    assert whole == hub_kg.entity(EX + "hub", limit=3).to_text()
    assert "←issued by— Document 7" in whole and "Document 1" not in whole  # doc1..doc3
    assert "… and 4 more issued by" in whole


_TWINS = """
@prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:memberOf rdfs:label "member of"@en .
ex:member rdfs:label "member of"@en .
ex:club rdfs:label "The Club"@en .
ex:a1 rdfs:label "A one"@en ; ex:memberOf ex:club .
ex:a2 rdfs:label "A two"@en ; ex:memberOf ex:club .
ex:a3 rdfs:label "A three"@en ; ex:memberOf ex:club .
ex:b1 rdfs:label "B one"@en ; ex:member ex:club .
ex:b2 rdfs:label "B two"@en ; ex:member ex:club .
ex:b3 rdfs:label "B three"@en ; ex:member ex:club .
"""


@pytest.mark.parametrize("read_limit", [0, 2])
def test_two_relations_with_one_label_keep_their_own_lines(tmp_path: Path, read_limit: int) -> None:
    # Regression: links of two predicates labelled alike were one group: one "… and 4 more"
    # line for both, and the links of one predicate hidden by those of the other.
    path = tmp_path / "twins.ttl"
    path.write_text(_TWINS, encoding="utf-8")
    kg = ipgraph.load(path, bundled=False)
    lines = kg.entity(EX + "club", limit=read_limit).to_text(limit=2, lang="en").splitlines()
    links = lines[lines.index("links in:") + 1 :]
    assert links == [
        "  ←member of— B one",  # ex:member: b1, b2 (first by IRI), by label
        "  ←member of— B two",
        "  … and 1 more member of (--limit 0 lists all)",
        "  ←member of— A one",  # ex:memberOf
        "  ←member of— A two",
        "  … and 1 more member of (--limit 0 lists all)",
    ]


def test_to_text_writes_labels_in_the_language_asked(kg: ipgraph.KnowledgeGraph) -> None:
    mof = kg.entity("MOF")
    zh = mof.to_text(lang="zh")
    assert zh.splitlines()[0] == "财政部"
    assert "  type: 部委" in zh and "←合作单位— 专利转化专项计划" in zh
    en = mof.to_text(lang="en")
    assert en.splitlines()[0] == "Ministry of Finance"
    assert "←in cooperation with— Special plan on patent technology transfer and" in en
    assert "专利转化专项计划" not in en
    both = mof.to_text()  # as `ipgraph path` and `neighbors`: entities in both languages
    assert both.splitlines()[0] == "Ministry of Finance 财政部"
    assert "←in cooperation with— Special plan on patent technology transfer and " in both
    assert both.split("links in:")[1].splitlines()[1].endswith(" 专利转化专项计划")
    assert str(mof) == both
    with pytest.raises(UsageError, match="unknown language 'fr'"):
        mof.to_text(lang="fr")


def test_the_same_entity_reads_the_same_in_every_process() -> None:
    # China has many figures; the memory store lists them in the order of sets, which
    # changes with each process's string hashing.
    script = "import ipgraph; print(ipgraph.load().entity('China').to_text())"
    assert len(outputs_per_seed(script)) == 1


_BLANK = """
@prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:a rdfs:label "A"@en ; ex:p [ rdfs:label "x" ] .
[ ex:cites ex:a ] .
"""


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_blank_nodes_read_as_the_query_formats_write_them(tmp_path: Path, store: str) -> None:
    # Regression: `ipgraph show` printed a blank node as its bare id ("a1d0…"), the JSON
    # label too, where every query format writes "_:a1d0…".
    path = tmp_path / "blank.ttl"
    path.write_text(_BLANK, encoding="utf-8")
    where = None if store == "memory" else f"oxigraph:{tmp_path / 's'}"
    kg = ipgraph.load(path, store=where, bundled=False)
    written = {
        direction: kg.query(f"SELECT ?n WHERE {{ {pattern} }}").serialize("csv").decode().split()[1]
        for direction, pattern in (("out", f"<{EX}a> <{EX}p> ?n"), ("in", f"?n ?p <{EX}a>"))
    }
    assert all(label.startswith("_:") for label in written.values())
    summary = kg.entity(EX + "a")
    text = summary.to_text(lang="en").splitlines()
    assert f"  —ex:p→ {written['out']}" in text and f"  ←ex:cites— {written['in']}" in text
    data = summary.to_dict()
    assert [(lk["iri"], lk["label"]) for lk in data["outgoing"]] == [(written["out"],) * 2]
    assert [(lk["iri"], lk["label"]) for lk in data["incoming"]] == [(written["in"],) * 2]


class _NodeIds:
    """A store's reader that names blank nodes as Virtuoso does (``nodeID://b1``)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def select(self, text: str) -> list[tuple[str, ...]]:
        return self.store.select(text)

    def query(self, text: str) -> list[tuple[Node, ...]]:
        rows: Iterable[tuple[Node, ...]] = self.store.query(text)  # type: ignore[assignment]
        return [tuple(BNode(f"nodeID://{v}") if type(v) is BNode else v for v in r) for r in rows]


def test_blank_nodes_from_a_sparql_server_get_the_query_formats_labels(tmp_path: Path) -> None:
    path = tmp_path / "blank.ttl"
    path.write_text(_BLANK, encoding="utf-8")
    kg = ipgraph.load(path, bundled=False)
    summary = summarize(kg.graph, URIRef(EX + "a"), kg, _NodeIds(kg.store))
    served = BNode(f"nodeID://{kg.graph.value(URIRef(EX + 'a'), URIRef(EX + 'p'))}")
    label = QueryResult("SELECT", ["n"], [(served,)]).cell(served)
    assert label == "_:" + served.replace("://", "")  # its letters and digits
    assert [(lk.node_label, lk.to_dict()["iri"]) for lk in summary.outgoing] == [(label, label)]
