"""The facade: resolving references, finding, entity summaries, caches, export, validation."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

import ipgraph
from ipgraph.errors import AmbiguousEntity, EntityNotFound, UsageError
from ipgraph.vocab import ID, IPG

Writer = Callable[[str, str], Path]
CNIPA = ID["agency/cnipa"]


@pytest.mark.parametrize(
    "ref",
    [
        "CNIPA",
        "cnipa",
        "国家知识产权局",
        "China National Intellectual Property Administration",
        "agency/cnipa",
        "https://w3id.org/ipgraph/id/agency/cnipa",
        "<https://w3id.org/ipgraph/id/agency/cnipa>",
        "id:agency/cnipa",
    ],
)
def test_every_kind_of_reference_resolves(kg: ipgraph.KnowledgeGraph, ref: str) -> None:
    assert kg.resolve(ref) == CNIPA


@pytest.mark.parametrize(
    ("ref", "slug"),
    [
        ("MIIT", "agency/miit"),
        ("工信部", "agency/miit"),
        ("MOE", "agency/moe"),
        ("教育部", "agency/moe"),
        ("MOF", "agency/mof"),
        ("MOFCOM", "agency/mofcom"),
        ("NDRC", "agency/ndrc"),
        ("CAS", "org/cas"),
        ("WIPO", "org/wipo"),
    ],
)
def test_acronyms_resolve_to_the_agency(kg: ipgraph.KnowledgeGraph, ref: str, slug: str) -> None:
    iri = kg.resolve(ref)
    assert iri.endswith(slug.split("/")[1]), (ref, iri)


def test_unknown_reference_suggests_candidates(kg: ipgraph.KnowledgeGraph) -> None:
    with pytest.raises(EntityNotFound) as caught:
        kg.resolve("Ministry of Finanse")
    assert "Ministry of Finance" in caught.value.candidates[0]
    with pytest.raises(EntityNotFound):
        kg.resolve("https://w3id.org/ipgraph/id/agency/nowhere")
    with pytest.raises(UsageError, match="unknown prefix"):
        kg.expand("nope:thing")


def test_ambiguous_reference_lists_candidates(kg: ipgraph.KnowledgeGraph) -> None:
    with pytest.raises(AmbiguousEntity) as caught:
        kg.resolve("Ministry")
    assert len(caught.value.candidates) >= 5


def test_find_is_ranked_and_bilingual(kg: ipgraph.KnowledgeGraph) -> None:
    assert kg.find("MIIT")[0].iri == kg.find("工业和信息化部")[0].iri
    found = kg.find("patent navigation")
    assert found and all(m.score >= found[-1].score for m in found)
    assert kg.find("zzzzqqqq") == []


def test_find_limit_zero_gives_every_match(kg: ipgraph.KnowledgeGraph) -> None:
    # Regression: limit 0 was an error here while `entity` and `neighbors` read it as "all".
    every = kg.find("patent", limit=0)
    assert len(every) > 10
    assert every == kg.find("patent", limit=100_000)
    assert every[:10] == kg.find("patent")
    with pytest.raises(UsageError, match=r"limit must be 0 \(every match\) or more, not -1"):
        kg.find("patent", limit=-1)


def test_find_by_type_includes_subclasses(kg: ipgraph.KnowledgeGraph) -> None:
    found = kg.find("ministry", limit=50, types=["ipg:Agency"])
    ministries = [m for m in found if IPG.Ministry in m.types]
    assert len(ministries) == 5  # MIIT, MOE, MOF, MOST, MOFCOM: ipg:Ministry ⊑ ipg:Agency
    assert all(IPG.Agency in m.types for m in found if m not in ministries)  # general offices
    national = {m.iri for m in kg.find("national", limit=50, types=["ipg:Agency"])}
    assert {CNIPA, kg.resolve("NDRC")} <= national
    assert all(
        IPG.Agency in kg.labels.types[i] or IPG.Ministry in kg.labels.types[i] for i in national
    )


def test_find_by_an_unknown_class_is_a_usage_error(kg: ipgraph.KnowledgeGraph) -> None:
    # Regression: a typo in the class silently found nothing ("nothing matches 'MOE'").
    with pytest.raises(UsageError, match="unknown class 'ipg:Agncy'; did you mean ipg:Agency"):
        kg.find("MOE", types=["ipg:Agncy"])
    assert kg.find("知识产权", types=["ipg:PolicyDocument"])  # a class with subclasses only


def test_entity_summary(kg: ipgraph.KnowledgeGraph) -> None:
    cnipa = kg.entity("CNIPA")
    assert cnipa.iri == CNIPA
    assert "国家知识产权局" in cnipa.labels["zh"]
    assert "CNIPA" in cnipa.alt_labels
    assert "http://www.wikidata.org/entity/Q985999" in cnipa.same_as
    assert cnipa.incoming, "documents and programs point at CNIPA"
    assert cnipa.provenance
    data = cnipa.to_dict()
    assert data["iri"] == str(CNIPA) and data["incoming"]


def test_figures_carry_value_qualifier_unit_and_period(kg: ipgraph.KnowledgeGraph) -> None:
    figures = [
        f for iri in kg.instances("ipg:Observation") for f in kg.entity(iri).figures if f.iri == iri
    ]
    assert len(figures) >= 15
    assert all(f.value is not None and f.period for f in figures)
    values = {f.value.toPython() for f in figures if f.value is not None}
    assert {23000, 73000, 865000, 150000} <= {int(v) for v in values}


def test_label_falls_back_from_entity_to_term_to_curie(kg: ipgraph.KnowledgeGraph) -> None:
    assert kg.label(CNIPA) == "China National Intellectual Property Administration"
    assert kg.label(CNIPA, lang="zh") == "国家知识产权局"
    assert kg.label(IPG.issuedBy) == "issued by"
    assert kg.label(URIRef("http://example.org/unlabelled")) == "http://example.org/unlabelled"


def test_adding_data_invalidates_the_label_index(
    fresh_kg: ipgraph.KnowledgeGraph, write: Writer
) -> None:
    assert fresh_kg.find("测试局") == []
    fresh_kg.add(
        write(
            "more.ttl",
            '<https://example.org/b> <http://www.w3.org/2000/01/rdf-schema#label> "测试局"@zh .\n',
        )
    )
    assert fresh_kg.find("测试局")[0].iri == URIRef("https://example.org/b")


def test_export_turtle_is_isomorphic_to_the_graph(kg: ipgraph.KnowledgeGraph) -> None:
    exported = Graph().parse(data=kg.export("ttl"), format="turtle")
    union = Graph()
    for triple in kg.graph.triples((None, None, None)):
        union.add(triple)
    assert isomorphic(exported, union)
    with pytest.raises(UsageError, match="unknown export format"):
        kg.export("docx")


def test_validate_reports_violations_as_data(kg: ipgraph.KnowledgeGraph, write: Writer) -> None:
    assert kg.validate().conforms
    orphan = write(
        "orphan.ttl",
        "@prefix ipg: <https://w3id.org/ipgraph/ontology#> .\n"
        "<https://w3id.org/ipgraph/id/document/orphan> a ipg:Notice .\n",
    )
    report = kg.validate(orphan)
    assert not report.conforms
    assert {r.focus for r in report.results} == {"https://w3id.org/ipgraph/id/document/orphan"}
    assert all(r.message for r in report.results)
    assert len(kg.graph) == len(ipgraph.load().graph), "validate(extra) must not load the file"


def test_load_without_bundled_data(write: Writer) -> None:
    kg = ipgraph.load(
        write("only.ttl", "<http://e/a> <http://www.w3.org/2000/01/rdf-schema#label> 'A' .\n"),
        bundled=False,
    )
    assert len(kg.graph) == 1


# -- named queries as text ---------------------------------------------------------------------

NAMED_PARAMS: dict[str, dict[str, str]] = json.loads(
    (Path(__file__).parent / "data" / "queries" / "params.json").read_text("utf-8")
)


@pytest.mark.parametrize("name", sorted(NAMED_PARAMS))
def test_bind_named_text_answers_as_query_named(kg: ipgraph.KnowledgeGraph, name: str) -> None:
    params = NAMED_PARAMS[name]
    bound = kg.bind_named(name, params)
    assert set(bound.bindings) == set(params)
    assert "VALUES" in bound.text and bound.text != kg.named_queries()[name].text
    ran, direct = kg.query(bound.text), kg.query_named(name, **params)
    assert ran.kind == direct.kind
    if ran.kind == "SELECT":
        assert ran.rows == direct.rows and ran.rows
    elif ran.kind == "ASK":
        assert ran.boolean == direct.boolean
    else:
        assert isomorphic(ran.graph, direct.graph) and len(ran.graph)


def test_bind_named_resolves_entities_and_binds_edited_text(kg: ipgraph.KnowledgeGraph) -> None:
    bound = kg.bind_named("issued-together", {"a": "MOE", "b": "科技部"})
    assert bound.bindings == {"a": ID["agency/moe"], "b": ID["agency/most"]}
    edited = "SELECT ?other WHERE { ?entity ipg:issuedBy ?other }"
    bound = kg.bind_named("connections", {"entity": "CNIPA"}, text=edited)
    assert bound.text == (
        f"SELECT ?other WHERE {{ VALUES ( ?entity ) {{ ( <{CNIPA}> ) }} "
        "?entity ipg:issuedBy ?other }"
    )


def test_bind_named_without_parameters_leaves_the_text(kg: ipgraph.KnowledgeGraph) -> None:
    bound = kg.bind_named("joint-documents")
    assert bound.text == kg.named_queries()["joint-documents"].text
    assert bound.bindings == {}


@pytest.mark.parametrize(
    ("name", "params", "error"),
    [
        ("no-such-query", {}, UsageError),
        ("connections", {}, UsageError),  # a required parameter missing
        ("connections", {"other": "1"}, UsageError),
        ("connections", {"entity": "Ministry of Magic"}, EntityNotFound),
    ],
)
def test_bind_named_refuses_what_it_cannot_bind(
    kg: ipgraph.KnowledgeGraph, name: str, params: dict[str, str], error: type[Exception]
) -> None:
    with pytest.raises(error):
        kg.bind_named(name, params)
