"""Finding entities by label and resolving references, on a small graph of our own."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ipgraph.errors import AmbiguousEntity, EntityNotFound
from ipgraph.labels import EXACT, PREFIX, LabelIndex, normalize

EX = "http://example.org/"


def _graph() -> Graph:
    g = Graph()
    entries = {
        "mof": ("Ministry of Finance", "财政部", ["MOF"]),
        "mofcom": ("Ministry of Commerce", "商务部", ["MOFCOM"]),
        "moe": ("Ministry of Education", "教育部", ["MOE"]),
        "zj": ("Zhejiang Province", "浙江省", ["Zhejiang"]),
        "sh1": ("Shanghai", "上海市", []),
        "sh2": ("Shanghai", None, []),
    }
    for slug, (en, zh, alts) in entries.items():
        iri = URIRef(EX + slug)
        g.add((iri, RDFS.label, Literal(en, lang="en")))
        if zh:
            g.add((iri, RDFS.label, Literal(zh, lang="zh")))
        for alt in alts:
            g.add((iri, SKOS.altLabel, Literal(alt)))
    g.add((URIRef(EX + "Agency"), RDF.type, OWL.Class))
    g.add((URIRef(EX + "Agency"), RDFS.label, Literal("Ministry class", lang="en")))
    return g


@pytest.fixture(scope="module")
def index() -> LabelIndex:
    return LabelIndex.build(_graph())


def test_normalize_folds_case_width_and_space() -> None:
    assert normalize("ＭＩＩＴ") == "miit"
    assert normalize(" Ministry\tof  Finance ") == "ministry of finance"


def test_acronym_is_an_exact_match_in_any_case(index: LabelIndex) -> None:
    top = index.find("mof")[0]
    assert top.iri == URIRef(EX + "mof")
    assert top.score == EXACT
    assert top.label == "Ministry of Finance"


def test_chinese_labels_match(index: LabelIndex) -> None:
    assert index.find("财政部")[0].iri == URIRef(EX + "mof")
    assert index.find("浙江")[0].iri == URIRef(EX + "zj")


def test_ranking_puts_prefix_before_substring(index: LabelIndex) -> None:
    found = index.find("ministry of")
    assert {m.iri for m in found[:3]} == {URIRef(EX + s) for s in ("mof", "mofcom", "moe")}
    assert all(m.score == PREFIX for m in found[:3])


def test_vocabulary_terms_are_not_entities(index: LabelIndex) -> None:
    assert URIRef(EX + "Agency") not in index
    assert all(m.iri != URIRef(EX + "Agency") for m in index.find("class"))


def test_fuzzy_matches_rank_below_real_ones(index: LabelIndex) -> None:
    found = index.find("Minstry of Finanse")
    assert found[0].iri == URIRef(EX + "mof")
    assert found[0].score < 0.6


def test_resolve_exact_then_unique_substring(index: LabelIndex) -> None:
    assert index.resolve_label("MOFCOM") == URIRef(EX + "mofcom")
    assert index.resolve_label("zhejiang") == URIRef(EX + "zj")
    assert index.resolve_label("Ministry of Educ") == URIRef(EX + "moe")


def test_resolve_ambiguous_lists_candidates(index: LabelIndex) -> None:
    with pytest.raises(AmbiguousEntity) as caught:
        index.resolve_label("Shanghai")
    assert len(caught.value.candidates) == 2
    assert all(EX + "sh" in c for c in caught.value.candidates)
    with pytest.raises(AmbiguousEntity):
        index.resolve_label("Ministry")


def test_resolve_unknown_suggests_near_misses(index: LabelIndex) -> None:
    with pytest.raises(EntityNotFound) as caught:
        index.resolve_label("Ministry of Finanse")
    assert "Ministry of Finance" in caught.value.candidates[0]
    assert "did you mean" in str(caught.value)


def test_label_prefers_the_asked_language(index: LabelIndex) -> None:
    assert index.label(URIRef(EX + "moe"), "zh") == "教育部"
    assert index.label(URIRef(EX + "sh2"), "zh") == "Shanghai"
