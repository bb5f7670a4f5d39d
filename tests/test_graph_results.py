"""What path and neighbourhood queries return (``ipgraph.graph.results``): text in both
languages, JSON-ready dicts, grouping by relation and direction."""

from __future__ import annotations

import json

import pytest

import ipgraph
from ipgraph.errors import UsageError
from ipgraph.vocab import ID, IPG

MOF = ID["agency/mof"]
SPECIAL_PLAN = ID["program/special-plan-patent-transfer-commercialization"]


def test_path_text_in_both_languages(kg: ipgraph.KnowledgeGraph) -> None:
    path = kg.path("MOF", SPECIAL_PLAN)
    plan = "Special plan on patent technology transfer and commercialization"
    assert path.to_text(lang="en") == f"Ministry of Finance ←in cooperation with— {plan}"
    assert path.to_text(lang="zh") == "财政部 ←合作单位— 专利转化专项计划"
    assert (
        path.to_text()
        == f"Ministry of Finance 财政部 ←in cooperation with— {plan} 专利转化专项计划"
    )
    assert str(path) == path.to_text()
    # an entity with no Chinese label falls back to its English one
    bases = kg.path("MOFCOM", "program/export-bases-ip-services").to_text(lang="zh")
    assert bases.startswith("商务部 ←发布机关— Notice on Application for Establishing Export Bases")
    assert bases.endswith("←贯彻落实— Export bases for IP services")
    with pytest.raises(UsageError, match="both, en, zh"):
        path.to_text(lang="fr")


def test_forward_hops_point_right(kg: ipgraph.KnowledgeGraph) -> None:
    path = kg.path(SPECIAL_PLAN, "CNIPA")
    assert path.to_text(lang="en").endswith(
        "—launched by→ China National Intellectual Property Administration"
    )
    assert path.hops[0].forward


def test_path_as_json_data(kg: ipgraph.KnowledgeGraph) -> None:
    data = json.loads(json.dumps(kg.path("MOF", "Zhejiang").to_dict()))
    assert data["start"]["iri"] == str(MOF) and data["start"]["label_zh"] == "财政部"
    assert data["end"]["iri"] == str(ID["region/zhejiang"])
    assert data["length"] == len(data["hops"]) == len(data["nodes"]) - 1
    steps = zip(data["nodes"], data["nodes"][1:], strict=False)
    for hop, (here, there) in zip(data["hops"], steps, strict=True):
        walked = (here["iri"], there["iri"]) if hop["forward"] else (there["iri"], here["iri"])
        assert (hop["subject"]["iri"], hop["object"]["iri"]) == walked
        assert hop["predicate"]["iri"].startswith("https://w3id.org/ipgraph/ontology#")
        assert hop["predicate"]["label"]
    assert "Zhejiang" in data["text"]


def test_neighbors_are_grouped_by_relation_and_direction(kg: ipgraph.KnowledgeGraph) -> None:
    around = kg.neighbors("MOF")
    groups = around.groups()
    assert (1, IPG.inCooperationWith, False) in groups
    assert [nb.node for nb in groups[(1, IPG.inCooperationWith, False)]] == [SPECIAL_PLAN]
    data = around.to_dict()
    assert data["center"]["label_zh"] == "财政部"
    assert {g["direction"] for g in data["groups"]} <= {"in", "out"}
    text = around.to_text(lang="en")
    assert "←in cooperation with— (1)" in text and "Special plan" in text
