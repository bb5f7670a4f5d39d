"""The connections the chapter states, found as paths (held to the seed).

Each row is a connection an analyst reads in "IV IP Utilization Promotion to Maximize the Value
of IP": who worked with whom, which programs were carried out where, which plans programs are
based on. A path longer than stated means a relation is missing from the data.
"""

from __future__ import annotations

import pytest
from rdflib import Dataset, URIRef

import ipgraph
from ipgraph.graph.paths import shortest_path
from ipgraph.graph.projection import build_projection
from ipgraph.vocab import ID, IPG

CNIPA = ID["agency/cnipa"]
SPECIAL_PLAN = ID["program/special-plan-patent-transfer-commercialization"]
GUIDING_OPINIONS = ID["document/guiding-opinions-ip-scientific-research-organizations"]
ONE_THEME = ID["program/one-theme-one-region-mechanism"]
PROVINCES = ["Zhejiang", "Shandong", "Inner Mongolia", "Hubei", "Jiangsu", "Shanghai", "Beijing"]

# (from, to, at most this many hops, what the chapter says)
CONNECTIONS = [
    ("MOF", SPECIAL_PLAN, 1, "02: the special plan launched with the Ministry of Finance"),
    ("MOF", "Zhejiang", 4, "design question: how is MOF connected to Zhejiang?"),
    ("MIIT", ID["category/smes"], 2, "01: promotion program on IP strategy among SMEs with MIIT"),
    ("MOE", ID["category/national-ip-pilot-demonstration-universities"], 2,
     "01: training session for presidents of pilot and demonstration universities, with MOE"),
    ("MOE", ID["category/universities-and-colleges"], 2,
     "02: guidelines on IP terms in enterprise-university-institute agreements"),
    ("MOE", "MOST", 2, "02: the same guidelines, issued jointly with MOST"),
    ("CAS", CNIPA, 2, "01: guiding opinions issued jointly with CAS"),
    ("CAE", CNIPA, 2, "01: guiding opinions issued jointly with CAE"),
    ("CAST", CNIPA, 2, "01: guiding opinions issued jointly with CAST"),
    ("WIPO", ID["program/wipo-cnipa-award-22"], 1, "01: the 22nd WIPO-CNIPA award with WIPO"),
    ("MOFCOM", CNIPA, 2, "03: notice on export bases issued jointly with MOFCOM"),
    ("NDRC", ID["program/china-brand-day-2021"], 1, "04: China Brand Day 2021 with NDRC"),
    (ID["program/china-wuxi-international-design-expo-17"], "Wuxi", 1, "01: the Wuxi expo"),
    (ID["program/campaign-rural-revitalization-gi"], ID["program/gi-utilization-promotion-project"],
     1, "04: the GI campaign is based on the GI utilization and promotion project"),
    (ID["program/pilot-demonstration-projects-cities-counties-parks"],
     ID["document/outline-ip-competitiveness-2021-2035"], 1, "05: pilots follow the outline"),
    (ID["program/pilot-demonstration-projects-cities-counties-parks"],
     ID["document/national-plan-ip-protection-utilization-14th-fyp"], 1,
     "05: pilots follow the 14th five-year national plan"),
    (ID["program/trademark-brand-guidance-centers"],
     ID["document/notice-trademark-brand-guidance-centers"], 1, "04: guidance centres notice"),
    (ID["document/guidelines-patent-navigation"], ID["concept/patent-navigation"], 1,
     "04: the patent navigation standard"),
]  # fmt: skip


@pytest.mark.parametrize(("a", "b", "most", "why"), CONNECTIONS, ids=[c[3] for c in CONNECTIONS])
def test_the_chapter_connections_are_short_paths(
    kg: ipgraph.KnowledgeGraph, a: str | URIRef, b: str | URIRef, most: int, why: str
) -> None:
    path = kg.path(a, b)
    assert 1 <= len(path) <= most, f"{why}: {path.to_text(lang='en')}"
    assert all(hop.triple() in kg.graph for hop in path.hops)


@pytest.mark.parametrize("province", PROVINCES)
def test_each_one_theme_one_region_province_reaches_cnipa_in_two_hops(
    kg: ipgraph.KnowledgeGraph, province: str
) -> None:
    path = kg.path(province, "CNIPA")
    assert len(path) <= 2, path.to_text(lang="en")
    assert kg.path(province, ONE_THEME).hops[0].predicate == IPG.carriedOutIn


def test_the_ministry_of_finance_is_the_special_plans_partner(kg: ipgraph.KnowledgeGraph) -> None:
    (hop,) = kg.path("Ministry of Finance", SPECIAL_PLAN).hops
    assert (hop.subject, hop.predicate, hop.object) == (
        SPECIAL_PLAN,
        IPG.inCooperationWith,
        kg.resolve("MOF"),
    )
    assert not hop.forward


def test_joint_issuers_meet_through_the_document_they_issued(kg: ipgraph.KnowledgeGraph) -> None:
    for partner in ("CAS", "CAE", "CAST"):
        path = kg.path(partner, "CNIPA", via="ipg:PolicyDocument")
        assert path.nodes[1] == GUIDING_OPINIONS
        assert {hop.predicate for hop in path.hops} == {IPG.issuedBy}


def test_cnipa_works_with_every_partner_agency_of_the_chapter(
    kg: ipgraph.KnowledgeGraph,
) -> None:
    partners = {
        nb.node for nb in kg.neighbors("CNIPA", depth=2, types="ipg:Organization").neighbors
    }
    for name in ("CAS", "CAE", "CAST", "MIIT", "MOE", "MOF", "MOST", "MOFCOM", "NDRC", "WIPO"):
        assert kg.resolve(name) in partners, name


def test_cnipa_is_at_the_centre_of_joint_policy_making(kg: ipgraph.KnowledgeGraph) -> None:
    for measure in ("degree", "betweenness", "pagerank"):
        assert kg.rank(measure, type="ipg:Organization", limit=1)[0].iri == CNIPA


def test_the_raw_seed_files_give_the_same_connections(seed_graph: Dataset) -> None:
    """The builder works on the seed conftest's own Dataset, without the facade."""
    G = build_projection(seed_graph)
    for province in ("zhejiang", "inner-mongolia", "beijing"):
        assert len(shortest_path(G, ID[f"region/{province}"], CNIPA)) <= 2
    assert len(shortest_path(G, ID["agency/mof"], SPECIAL_PLAN)) == 1
