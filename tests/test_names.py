"""The persistent name index (`ipgraph.store.names`): newcomers' searches against the bundled
graph, persistence, per-graph replacement, type filters and suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

import ipgraph
from ipgraph.errors import StoreError, UsageError
from ipgraph.store.names import NameIndex, NameRecord, name_records
from ipgraph.vocab import ID, IPG

WEIGHTS = {str(IPG.Observation): 0.5, str(IPG.Passage): 0.3}

# What a newcomer types, and the entity they mean: each must come in the top 3.
NEWCOMER_QUERIES = [
    # English names, any case, plurals and stems
    ("Ministry of Finance", "agency/mof"),
    ("ministry of education", "agency/moe"),
    ("university", "category/universities-and-colleges"),
    ("universities", "category/universities-and-colleges"),
    ("college", "category/universities-and-colleges"),
    ("research institutes", "category/scientific-research-institutes"),
    ("small and medium enterprises", "category/smes"),
    ("geographical indications", "concept/geographical-indication"),
    ("Wuxi design expo", "program/china-wuxi-international-design-expo-17"),
    ("patent navigation guidelines", "document/guidelines-patent-navigation"),
    ("Zhejiang province", "region/zhejiang"),
    # acronyms and English short forms
    ("MIIT", "agency/miit"),
    ("miit", "agency/miit"),
    ("NDRC", "agency/ndrc"),
    ("MOST", "agency/most"),
    ("SME", "category/smes"),
    ("GIs", "concept/geographical-indication"),
    ("Blue Sky", "program/blue-sky-campaign"),
    ("IP Service Tour", "program/ip-service-tour"),
    # Chinese names, short forms and abbreviations
    ("工信部", "agency/miit"),
    ("工业和信息化部", "agency/miit"),
    ("发改委", "agency/ndrc"),
    ("国家发改委", "agency/ndrc"),
    ("科技部", "agency/most"),
    ("国知局", "agency/cnipa"),
    ("国家知识产权局", "agency/cnipa"),
    ("高校", "category/universities-and-colleges"),
    ("大学", "category/universities-and-colleges"),
    ("高等院校", "category/universities-and-colleges"),
    ("科研院所", "category/scientific-research-institutes"),
    ("浙江", "region/zhejiang"),
    ("蓝天", "program/blue-sky-campaign"),
    ("中共中央", "org/cpc-central-committee"),
    # common Chinese short titles of documents
    ("知识产权强国建设纲要", "document/outline-ip-competitiveness-2021-2035"),
    ("十四五规划", "document/national-plan-ip-protection-utilization-14th-fyp"),
    ("十四五知识产权规划", "document/national-plan-ip-protection-utilization-14th-fyp"),
    ("专利导航指南", "document/guidelines-patent-navigation"),
    # identifiers, whole, by their beginning, in other spacing and full width
    ("GB/T 39551-2020", "document/guidelines-patent-navigation"),
    ("GB/T 39551", "document/guidelines-patent-navigation"),
    ("gb/t39551", "document/guidelines-patent-navigation"),
    ("ＧＢ／Ｔ　３９５５１", "document/guidelines-patent-navigation"),
    ("39551", "document/guidelines-patent-navigation"),
    # typos in Latin names
    ("Minstry of Finance", "agency/mof"),
    ("Ministry of Finanse", "agency/mof"),
    ("Guidlines for Patent Navigaton", "document/guidelines-patent-navigation"),
    ("Zhejaing", "region/zhejiang"),
]


@pytest.fixture(scope="module")
def index() -> NameIndex:
    kg = ipgraph.load()
    built = NameIndex.open(None, type_weights=WEIGHTS)
    built.replace_graph("urn:test:bundled", name_records(kg.graph))
    return built


@pytest.mark.parametrize(("query", "wanted"), NEWCOMER_QUERIES)
def test_newcomer_query_finds_the_entity_in_the_top_3(
    index: NameIndex, query: str, wanted: str
) -> None:
    hits = index.search(query, limit=3)
    assert str(ID[wanted]) in [h.iri for h in hits], (query, hits)


def test_exact_names_rank_first_and_say_how(index: NameIndex) -> None:
    cases = {
        "MIIT": ("agency/miit", "exact"),
        "GB/T 39551": ("document/guidelines-patent-navigation", "identifier"),
        "universities": ("category/universities-and-colleges", "exact"),
        "university": ("category/universities-and-colleges", "stem"),
        "发改委": ("agency/ndrc", "abbreviation"),
        "高校": ("category/universities-and-colleges", "abbreviation"),
        "大学": ("category/universities-and-colleges", "related"),
        "Minstry of Finance": ("agency/mof", "typo"),
    }
    for query, (wanted, how) in cases.items():
        top = index.search(query, limit=1)[0]
        assert (top.iri, top.how) == (str(ID[wanted]), how), query


def test_better_ways_of_matching_score_higher(index: NameIndex) -> None:
    exact = index.search("Ministry of Finance")[0]
    typo = index.search("Minstry of Finance")[0]
    assert exact.iri == typo.iri
    assert exact.score == 1.0 > typo.score
    assert exact.matched == typo.matched == "Ministry of Finance"


def test_one_hit_per_entity_best_first(index: NameIndex) -> None:
    for query in ("university", "patent", "知识产权", "Ministry"):
        hits = index.search(query, limit=20)
        assert hits, query
        assert len({h.iri for h in hits}) == len(hits)
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_entities_outrank_observations_that_match_as_well(index: NameIndex) -> None:
    kg = ipgraph.load()
    plain = NameIndex.open(None)
    plain.replace_graph("g", name_records(kg.graph))
    award = str(ID["program/wipo-cnipa-award-22"])
    query = "WIPO CNIPA award"
    assert index.search(query, limit=1)[0].iri == award
    # Without weights the shorter observation name wins: the weights are what decide.
    assert plain.search(query, limit=1)[0].iri != award


def test_vocabulary_terms_are_not_names(index: NameIndex) -> None:
    assert all("/ontology#" not in h.iri for h in index.search("Ministry", limit=50))


def test_types_filter(index: NameIndex) -> None:
    observations = index.search("universities", limit=20, types=[str(IPG.Observation)])
    assert observations
    assert all("/observation/" in h.iri for h in observations)
    ministries = index.search("ministry", limit=20, types=[str(IPG.Ministry)])
    assert {h.iri for h in ministries} >= {str(ID["agency/mof"]), str(ID["agency/moe"])}
    assert str(ID["agency/cnipa"]) not in {h.iri for h in ministries}  # an Agency


def test_nearest_suggests_when_nothing_matches(index: NameIndex) -> None:
    assert index.search("Ministry of Magic") == []
    suggestions = index.nearest("Ministry of Magic")
    assert suggestions
    assert all(h.iri.startswith(str(ID["agency/"])) for h in suggestions)
    assert index.nearest("Ministry of Finance")[0].iri == str(ID["agency/mof"])


def test_nothing_to_search() -> None:
    index = NameIndex.open(None)
    assert index.search("  ") == []
    assert index.nearest("MIIT") == []
    with pytest.raises(UsageError, match="limit"):
        index.search("MIIT", limit=0)


# -- earlier names and Chinese substrings, on graphs of the test's own --------------------------

EARLIER_NAMES = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix agency: <https://w3id.org/ipgraph/id/agency/> .
@prefix ipg: <https://w3id.org/ipgraph/ontology#> .
agency:cnipa a ipg:Agency ;
    rdfs:label "China National Intellectual Property Administration"@en , "国家知识产权局"@zh ;
    skos:altLabel "CNIPA"@en , "State Intellectual Property Office"@en , "SIPO"@en .
agency:samr a ipg:Agency ;
    rdfs:label "State Administration for Market Regulation"@en , "国家市场监督管理总局"@zh ;
    skos:altLabel "SAMR"@en , "State Administration for Industry and Commerce"@en ,
        "SAIC"@en , "国家工商行政管理总局"@zh .
agency:state-council a ipg:Agency ; rdfs:label "State Council"@en , "国务院"@zh .
agency:sto a ipg:Agency ; rdfs:label "State Trademark Office"@en .
"""


def test_earlier_names_find_the_agency_that_bore_them() -> None:
    index = NameIndex.open(None)
    index.replace_graph("g", name_records(Graph().parse(data=EARLIER_NAMES, format="turtle")))
    cases = {
        "State Intellectual Property Office": "agency/cnipa",
        "state intellectual property office": "agency/cnipa",
        "SIPO": "agency/cnipa",
        "State Administration for Industry and Commerce": "agency/samr",
        "SAIC": "agency/samr",
        "国家工商行政管理总局": "agency/samr",
        "工商总局": "agency/samr",  # its common short form, characters in order
    }
    for query, wanted in cases.items():
        assert index.search(query, limit=1)[0].iri == str(ID[wanted]), query


def test_chinese_substring_finds_names_containing_it() -> None:
    index = NameIndex.open(None)
    index.replace_graph(
        "g",
        [
            NameRecord("urn:tsinghua", "清华大学", "zh", "label"),
            NameRecord("urn:pku", "北京大学", "zh", "label"),
            NameRecord("urn:beijing", "北京市", "zh", "label"),
            NameRecord("urn:daxue", "大型学术会议", "zh", "label"),
        ],
    )
    hits = index.search("大学")
    assert {h.iri for h in hits[:2]} == {"urn:tsinghua", "urn:pku"}
    assert all(h.how == "chinese" for h in hits[:2])
    assert index.search("北京", limit=1)[0].iri == "urn:beijing"  # the shorter name first


# -- persistence and keeping in step ----------------------------------------------------------


def _records(*names: tuple[str, str]) -> list[NameRecord]:
    return [NameRecord(iri, text, "en", "label", ("urn:T",)) for iri, text in names]


def test_file_index_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "names.sqlite"
    index = NameIndex.open(path)
    kg = ipgraph.load()
    stored = index.replace_graph("urn:bundled", name_records(kg.graph))
    entities = len(index)
    index.close()
    again = NameIndex.open(path)
    assert stored > entities > 100
    assert len(again) == entities
    assert again.graphs() == ["urn:bundled"]
    assert again.search("工信部")[0].iri == str(ID["agency/miit"])
    assert again.search("Minstry of Finance")[0].iri == str(ID["agency/mof"])
    again.close()


def test_replace_graph_keeps_names_in_step(tmp_path: Path) -> None:
    index = NameIndex.open(tmp_path / "names.sqlite")
    index.replace_graph("urn:a", _records(("urn:x", "Old Bureau"), ("urn:y", "Harbour Office")))
    index.replace_graph("urn:b", _records(("urn:z", "Old Town Museum")))
    assert {h.iri for h in index.search("old")} == {"urn:x", "urn:z"}

    index.replace_graph("urn:a", _records(("urn:x", "New Bureau")))
    assert {h.iri for h in index.search("old")} == {"urn:z"}
    assert [h.iri for h in index.search("new bureau")] == ["urn:x"]
    assert index.search("Harbour Office") == []
    assert index.search("harbor", limit=5) == []  # a stale word to correct towards finds nothing
    assert len(index) == 2

    index.drop_graph("urn:b")
    assert index.search("museum") == []
    assert index.graphs() == ["urn:a"]
    index.drop_graph("urn:b")  # again: nothing to do

    index.replace_graph("urn:a", [])
    assert len(index) == 0 and index.graphs() == []


def test_a_failed_load_leaves_the_names_as_they_were() -> None:
    index = NameIndex.open(None)
    index.replace_graph("urn:a", _records(("urn:x", "Old Bureau")))

    def broken() -> object:
        yield from _records(("urn:y", "Half Loaded"))
        raise RuntimeError("the file ends mid-way")

    with pytest.raises(RuntimeError):
        index.replace_graph("urn:a", broken())  # type: ignore[arg-type]
    assert [h.iri for h in index.search("old bureau")] == ["urn:x"]
    assert index.search("half loaded") == []


def test_not_an_index_file(tmp_path: Path) -> None:
    path = tmp_path / "names.sqlite"
    path.write_text("this is not a database, " * 100)
    with pytest.raises(StoreError, match="name index"):
        NameIndex.open(path)
