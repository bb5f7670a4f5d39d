"""Provenance per statement: every statement answers `why`, and the wrong statements of the
first paragraph-by-paragraph reading stay fixed (issue 10)."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

import ipgraph
from ipgraph import data
from ipgraph.vocab import GRAPH, ID, IPG, PREFIXES

PSG = "https://w3id.org/ipgraph/id/passage/cnipa-ar2021-ch4/"
OBS = "https://w3id.org/ipgraph/id/observation/cnipa-ar2021-ch4/"
SKOS = PREFIXES["skos"]


@pytest.fixture(scope="module")
def kg() -> ipgraph.KnowledgeGraph:
    return ipgraph.load()


def graphs_of(kg: ipgraph.KnowledgeGraph, s: URIRef, p: URIRef, o: Any) -> set[URIRef]:
    return {URIRef(str(getattr(g, "identifier", g))) for *_, g in kg.graph.quads((s, p, o, None))}


def kinds(kg: ipgraph.KnowledgeGraph) -> dict[URIRef, str]:
    """Each named graph's kind, read from the data (not from the code under test)."""
    out: dict[URIRef, str] = {}
    for name in kg.store.graph_names():
        if name == data.ONTOLOGY_GRAPH:
            out[name] = "vocabulary"
        elif (name, RDF.type, IPG.Passage) in kg.graph:
            out[name] = "passage"
        elif (name, RDF.type, IPG.Source) in kg.graph:
            out[name] = "source"
        elif (name, RDF.type, IPG.CuratorInference) in kg.graph:
            out[name] = "curation"
    return out


# -- every statement has exactly one provenance --------------------------------------------


def test_every_named_graph_is_a_passage_a_source_or_a_curator_inference(
    kg: ipgraph.KnowledgeGraph,
) -> None:
    known = kinds(kg)
    unknown = sorted(str(g) for g in kg.store.graph_names() if g not in known)
    assert unknown == [], "describe these graphs (ipg:Passage, ipg:Source, ipg:CuratorInference)"


def test_curation_graphs_are_named_under_graph_curation_and_justified(
    kg: ipgraph.KnowledgeGraph,
) -> None:
    for name, kind in kinds(kg).items():
        if kind == "curation":
            assert str(name).startswith(str(GRAPH["curation/"]))
            comment = kg.graph.value(name, RDFS.comment)
            assert isinstance(comment, Literal) and len(comment) > 20, name


def test_every_triple_sits_in_exactly_one_provenance_graph(kg: ipgraph.KnowledgeGraph) -> None:
    # Exactly one: a union default graph (Oxigraph) returns a triple once per graph holding it.
    known = kinds(kg)
    where: dict[tuple[Any, Any, Any], list[URIRef]] = defaultdict(list)
    for s, p, o, g in kg.graph.quads((None, None, None, None)):
        name = URIRef(str(g.identifier if hasattr(g, "identifier") else g))
        if known.get(name) != "vocabulary":
            where[(s, p, o)].append(name)
    assert where
    bad = {t: gs for t, gs in where.items() if len(gs) != 1 or gs[0] not in known}
    assert bad == {}


def test_a_graph_describes_itself_inside_itself(kg: ipgraph.KnowledgeGraph) -> None:
    for name, kind in kinds(kg).items():
        if kind in ("source", "curation"):
            assert name in graphs_of(kg, name, RDF.type, None), name


def test_every_second_source_has_url_date_publisher_and_reliability(
    kg: ipgraph.KnowledgeGraph,
) -> None:
    schema = PREFIXES["schema"]
    dcterms = PREFIXES["dcterms"]
    others = [n for n, k in kinds(kg).items() if k == "source" and "cnipa-ar2021-ch4" not in n]
    assert len(others) >= 6  # the second sources
    for name in others:
        for prop in (schema.url, dcterms.issued, dcterms.publisher, dcterms.language):
            assert kg.graph.value(name, prop) is not None, (name, prop)
    official = [n for n in others if (n, IPG.reliability, IPG.OfficialPublication) in kg.graph]
    assert len(official) >= 6


def test_every_statement_answers_why(kg: ipgraph.KnowledgeGraph) -> None:
    facts = kg.data_graph()
    subjects = {s for s in facts.subjects() if isinstance(s, URIRef)}
    for subject in sorted(subjects):
        statements = kg.why(subject)
        expected = set(facts.predicate_objects(subject))
        assert {(st.predicate, st.object) for st in statements} >= expected, subject
        assert all(st.sources for st in statements), subject


# -- why -------------------------------------------------------------------------------------


def test_why_reports_the_passage_locator(kg: ipgraph.KnowledgeGraph) -> None:
    (statement,) = kg.why("Wuxi", "rdf:type", "ipg:City")
    (source,) = statement.sources
    assert (source.kind, source.section, source.paragraph) == ("stated", "01", 5)
    assert source.graph == URIRef(PSG + "s01-p5")
    assert "section 01, paragraph 5" in source.label


def test_why_reports_a_second_source_with_url_publisher_and_date(
    kg: ipgraph.KnowledgeGraph,
) -> None:
    plan = "document/national-plan-ip-protection-utilization-14th-fyp"
    (statement,) = kg.why(plan, "eli:date_document")
    kinds_ = {s.kind for s in statement.sources}
    assert kinds_ == {"second source"}
    source = statement.sources[0]
    assert source.url and source.url.startswith("http")
    assert source.date and source.publisher


def test_why_reports_an_inference_with_its_justification(kg: ipgraph.KnowledgeGraph) -> None:
    (statement,) = kg.why("Wuxi", "ipg:partOf")
    (source,) = statement.sources
    assert source.kind == "inferred"
    assert source.graph == GRAPH["curation/administrative-divisions"]
    assert source.justification and "Wuxi" in source.justification


def test_why_matches_a_literal_by_its_text(kg: ipgraph.KnowledgeGraph) -> None:
    (statement,) = kg.why(
        "document/notice-promoting-regulating-ip-operation",
        "eli:id_local",
        "国知发运字〔2021〕22号",
    )
    assert statement.sources[0].url == "http://www.gov.cn/zhengce/2021-07/31/content_5628631.htm"


def test_why_on_the_seed_source_itself_is_its_self_description(
    kg: ipgraph.KnowledgeGraph,
) -> None:
    statements = kg.why("passage/cnipa-ar2021-ch4/s02-p1", "ipg:section")
    assert [s.kind for s in statements[0].sources] == ["stated"]
    assert "description of itself" in statements[0].sources[0].label


def test_why_cli_text_and_json(run: Any) -> None:
    result = run("why", "China Brand Day 2021", "ipg:ledBy")
    assert result.exit_code == 0, result.output
    assert "second source" in result.stdout and "ndrc.gov.cn" in result.stdout
    result = run("why", "Wuxi", "ipg:partOf", "--format", "json")
    (item,) = json.loads(result.stdout)
    assert item["predicate"] == "ipg:partOf"
    assert item["sources"][0]["kind"] == "inferred"
    assert run("why", "Wuxi", "ipg:issuedBy").exit_code == 1


def test_why_agrees_on_oxigraph(kg: ipgraph.KnowledgeGraph, tmp_path: Any) -> None:
    pytest.importorskip("pyoxigraph")
    ox = ipgraph.load(store=f"oxigraph:{tmp_path / 'db'}")
    for ref in ("China Brand Day 2021", "document/guidelines-patent-navigation", "Wuxi"):
        mine = [(st.predicate, st.object, [s.graph for s in st.sources]) for st in kg.why(ref)]
        theirs = [(st.predicate, st.object, [s.graph for s in st.sources]) for st in ox.why(ref)]
        assert mine == theirs, ref


def _view_links(view: Any) -> list[tuple[URIRef, URIRef, URIRef]]:
    return [
        (URIRef(e["from"]), URIRef(e["predicate"]), URIRef(e["to"]))
        for e in view.edges
        if not e["from"].startswith("_") and not e["to"].startswith("_")
    ]


@pytest.mark.parametrize("view", ["overview", "CNIPA"])
def test_statement_sources_of_a_view_are_those_why_gives_per_statement(
    kg: ipgraph.KnowledgeGraph, view: str
) -> None:
    """The batched sources of every link of a view equal `why`, asked one statement at a time
    (and a statement in no named graph, a derived link, has none)."""
    from ipgraph.provenance import statement_sources

    built = kg.view(max_nodes=None) if view == "overview" else kg.view(view, depth=1)
    links = _view_links(built)
    assert len(links) > 20
    batched = statement_sources(kg, links)
    for link in links:
        statements = kg.why(*link)
        expected = list(statements[0].sources) if statements else []
        assert batched.get(link, []) == expected, link


def test_statement_sources_by_lookup_and_by_query_agree(kg: ipgraph.KnowledgeGraph) -> None:
    """A SPARQL server is asked by VALUES queries, a local store by quad lookups: same graphs."""
    from ipgraph import provenance

    links = _view_links(kg.view(max_nodes=None))
    assert provenance._graphs_by_lookup(kg, links) == provenance._graphs_by_query(kg, links)


def test_statement_sources_agree_on_oxigraph(kg: ipgraph.KnowledgeGraph, tmp_path: Any) -> None:
    pytest.importorskip("pyoxigraph")
    from ipgraph.provenance import statement_sources

    ox = ipgraph.load(store=f"oxigraph:{tmp_path / 'db'}")
    links = _view_links(kg.view("CNIPA", depth=1))
    mine = {t: [s.graph for s in found] for t, found in statement_sources(kg, links).items()}
    theirs = {t: [s.graph for s in found] for t, found in statement_sources(ox, links).items()}
    assert mine == theirs and mine


# -- timeline ------------------------------------------------------------------------------


def test_timeline_is_in_date_order_and_covers_documents_events_figures(
    kg: ipgraph.KnowledgeGraph,
) -> None:
    entries = kg.timeline()
    assert [e.date for e in entries] == sorted(e.date for e in entries)
    assert {"issued", "in force", "held", "figure", "renamed"} <= {e.kind for e in entries}


def test_timeline_of_an_entity_keeps_what_involves_it(kg: ipgraph.KnowledgeGraph) -> None:
    entries = kg.timeline("State Council")
    plan = ID["document/national-plan-ip-protection-utilization-14th-fyp"]
    assert ("2021-10-09", "issued", plan) in {(e.date, e.kind, e.item) for e in entries}
    assert all(e.item != ID["document/gbt-39551-1"] for e in entries)


def test_timeline_cli(run: Any) -> None:
    result = run("timeline", "CNIPA", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {"date": "2018-08-28", "kind": "renamed"}.items() <= rows[0].items()


# -- the wrong statements found by the paragraph-by-paragraph reading ----------------------


def test_growth_is_against_2020_not_compared_to_the_2021_count(kg: ipgraph.KnowledgeGraph) -> None:
    growth = URIRef(OBS + "transactions-universities-institutes-growth")
    assert kg.graph.value(growth, IPG.comparedTo) is None
    assert kg.graph.value(growth, IPG.basePeriod) == Literal("2020", datatype=PREFIXES["xsd"].gYear)
    # no year-on-year growth is compared to a figure of its own reference period
    rows = kg.query(
        """ASK { ?g ipg:measure <https://w3id.org/ipgraph/id/measure/year-on-year-growth> ;
                    ipg:comparedTo ?c ;
                    ipg:referencePeriod ?y . ?c ipg:referencePeriod ?y }"""
    )
    assert rows.boolean is False


def test_nearly_twice_is_compared_to_the_domestic_growth_rate(kg: ipgraph.KnowledgeGraph) -> None:
    ratio = URIRef(OBS + "transactions-universities-institutes-growth-vs-domestic")
    base = kg.graph.value(ratio, IPG.comparedTo)
    assert base == URIRef(OBS + "domestic-transactions-growth")
    assert kg.graph.value(base, IPG.about) == ID["region/china"]
    assert (
        ratio,
        IPG.comparedTo,
        URIRef(OBS + "transactions-universities-institutes-growth"),
    ) not in kg.graph


def test_the_standard_is_issued_by_samr_and_sac_and_drafted_by_cnipa(
    kg: ipgraph.KnowledgeGraph,
) -> None:
    series = ID["document/guidelines-patent-navigation"]
    assert kg.graph.value(series, IPG.publishedBy) is None
    issuers = set(kg.graph.objects(series, IPG.issuedBy))
    assert issuers == {ID["agency/samr"], ID["agency/sac"]}
    assert (series, IPG.draftedBy, ID["agency/cnipa"]) in kg.graph
    assert (series, RDF.type, IPG.StandardSeries) in kg.graph
    assert len(set(kg.graph.objects(series, PREFIXES["dcterms"].hasPart))) >= 2


def test_brand_day_is_led_by_ndrc(kg: ipgraph.KnowledgeGraph) -> None:
    day = ID["program/china-brand-day-2021"]
    assert (day, IPG.inCooperationWith, ID["agency/ndrc"]) not in kg.graph
    assert (day, IPG.ledBy, ID["agency/ndrc"]) in kg.graph
    assert graphs_of(kg, day, IPG.ledBy, ID["agency/ndrc"]) == {
        ID["source/ndrc-brand-day-2021-preparation-2020-09-21"]
    }


def test_the_110_universities_do_not_carry_the_demonstration_only_label(
    kg: ipgraph.KnowledgeGraph,
) -> None:
    group = ID["category/national-ip-demonstration-universities"]
    assert Literal("国家知识产权示范高校", lang="zh") not in set(
        kg.graph.objects(group, RDFS.label)
    )
    pilot = ID["category/national-ip-pilot-demonstration-universities"]
    assert (group, SKOS.exactMatch, pilot) in kg.graph


@pytest.mark.parametrize(
    ("passage", "subject", "predicate"),
    [
        ("s05-p3", "document/outline-ip-competitiveness-2021-2035", IPG.issuedBy),
        ("s05-p3", "document/national-plan-ip-protection-utilization-14th-fyp", IPG.issuedBy),
        ("s01-p5", "region/wuxi", IPG.partOf),
        ("s04-p1", "document/guidelines-patent-navigation", IPG.publishedBy),
        ("s04-p1", "document/guidelines-patent-navigation", IPG.issuedBy),
    ],
)
def test_passages_hold_only_what_they_state(
    kg: ipgraph.KnowledgeGraph, passage: str, subject: str, predicate: URIRef
) -> None:
    graph = kg.graph.graph(URIRef(PSG + passage))
    assert list(graph.objects(ID[subject], predicate)) == []


def test_the_plans_issuers_come_from_second_sources(kg: ipgraph.KnowledgeGraph) -> None:
    outline = ID["document/outline-ip-competitiveness-2021-2035"]
    assert set(kg.graph.objects(outline, IPG.issuedBy)) == {
        ID["org/cpc-central-committee"],
        ID["agency/state-council"],
    }
    for st in kg.why(outline, "ipg:issuedBy"):
        assert [s.kind for s in st.sources] == ["second source"]


def test_the_source_year_is_the_period_it_covers_and_it_appeared_in_2022(
    kg: ipgraph.KnowledgeGraph,
) -> None:
    report = ID["source/cnipa-ar2021"]
    chapter = ID["source/cnipa-ar2021-ch4"]
    assert kg.graph.value(chapter, IPG.year) is None and kg.graph.value(report, IPG.year) is None
    dcterms = PREFIXES["dcterms"]
    assert str(kg.graph.value(report, dcterms.temporal)) == "2021"
    assert str(kg.graph.value(report, dcterms.issued)) == "2022-06-01"


def test_the_outline_title_uses_the_em_dash(kg: ipgraph.KnowledgeGraph) -> None:
    outline = ID["document/outline-ip-competitiveness-2021-2035"]
    zh = {str(t) for t in kg.graph.objects(outline, RDFS.label) if t.language == "zh"}
    assert zh == {"知识产权强国建设纲要（2021—2035年）"}
    assert "\u2014" in next(iter(zh)) and "\uff0d" not in next(iter(zh))


# -- what the seed lacked ------------------------------------------------------------------


def test_nationwide_scopes(kg: ipgraph.KnowledgeGraph) -> None:
    scoped = set(kg.graph.subjects(IPG.scope, ID["region/china"]))
    for local in (
        "ip-service-providers-count",
        "transactions-universities-institutes",
        "patent-navigation-service-bases-count",
        "trademark-brand-guidance-centers-count",
        "ip-service-tour-enterprises",
        "gi-first-batch-count",
    ):
        assert URIRef(OBS + local) in scoped, local


def test_blue_sky_combats_four_kinds_of_illegal_acts(kg: ipgraph.KnowledgeGraph) -> None:
    acts = set(kg.graph.objects(ID["program/blue-sky-campaign"], IPG.combats))
    assert len(acts) == 4
    assert all((a, RDF.type, IPG.IllegalActType) in kg.graph for a in acts)


def test_ip_operation_notice_carries_its_indicator_set(kg: ipgraph.KnowledgeGraph) -> None:
    notice = ID["document/notice-promoting-regulating-ip-operation"]
    (indicators,) = kg.graph.objects(notice, PREFIXES["dcterms"].hasPart)
    assert (indicators, RDF.type, IPG.IndicatorSet) in kg.graph
    assert (
        kg.graph.value(indicators, IPG.evaluates)
        == ID["program/publicly-funded-ip-operation-projects"]
    )


def test_what_the_gi_campaign_and_one_theme_for_one_region_are_based_on(
    kg: ipgraph.KnowledgeGraph,
) -> None:
    for program in ("campaign-rural-revitalization-gi", "one-theme-one-region-mechanism"):
        bases = set(kg.graph.objects(ID[f"program/{program}"], IPG.basedOn))
        directives = [b for b in bases if (b, RDF.type, IPG.Directive) in kg.graph]
        assert directives, program
        assert all(kg.graph.value(d, IPG.issuerUnknown) == Literal(True) for d in directives)


def test_both_figures_of_a_disagreement_are_kept_with_their_sources(
    kg: ipgraph.KnowledgeGraph,
) -> None:
    ours = URIRef(OBS + "transactions-universities-institutes")
    others = set(kg.graph.subjects(IPG.disagreesWith, ours))
    assert len(others) == 1
    (other,) = others
    assert kg.graph.value(other, IPG.value) == Literal("27000.0", datatype=PREFIXES["xsd"].decimal)
    assert graphs_of(kg, other, IPG.value, None) != graphs_of(kg, ours, IPG.value, None)


def test_the_plans_carry_indicators_with_2025_targets(kg: ipgraph.KnowledgeGraph) -> None:
    plan = ID["document/national-plan-ip-protection-utilization-14th-fyp"]
    indicators = set(kg.graph.objects(plan, IPG.hasIndicator))
    assert len(indicators) == 8
    for target in kg.graph.objects(plan, IPG.target):
        assert str(kg.graph.value(target, IPG.referencePeriod)) == "2025"
        assert kg.graph.value(target, IPG.measure) in indicators
    outline = ID["document/outline-ip-competitiveness-2021-2035"]
    assert len(set(kg.graph.objects(outline, IPG.target))) == 4


def test_names_official_translated_and_former(kg: ipgraph.KnowledgeGraph) -> None:
    cnipa = ID["agency/cnipa"]
    assert Literal("SIPO", lang="en") in set(kg.graph.objects(cnipa, IPG.formerName))
    assert kg.resolve("SIPO") == cnipa
    assert kg.resolve("国家发展改革委") == ID["agency/ndrc"]
    assert kg.resolve("市场监管总局") == ID["agency/samr"]
    plan = ID["document/national-plan-ip-protection-utilization-14th-fyp"]
    assert kg.graph.value(plan, IPG.officialName).language == "zh"  # type: ignore[union-attr]
    assert kg.graph.value(plan, IPG.translatedName).language == "en"  # type: ignore[union-attr]
