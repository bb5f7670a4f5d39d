"""The neighbours a page embeds and those a served page fetches (views/expand.py)."""

from __future__ import annotations

import pytest

import ipgraph
from ipgraph.errors import EntityNotFound, UsageError
from ipgraph.views.expand import MAX_EXPAND, expand


def test_fetched_neighbours_are_what_a_one_node_view_embeds(kg: ipgraph.KnowledgeGraph) -> None:
    """The server answers with the same nodes and links (sources included) as a page
    built around the node embeds for expansion."""
    cnipa = str(kg.resolve("CNIPA"))
    alone = kg.view(query=f"SELECT ?x WHERE {{ VALUES ?x {{ <{cnipa}> }} }}")
    assert alone.node_ids() == {cnipa}
    fetched = expand(kg, cnipa, limit=MAX_EXPAND)
    assert fetched["nodes"] == alone.reserve["nodes"]
    strip = [{k: v for k, v in e.items() if k != "id"} for e in alone.reserve["edges"]]
    assert [{k: v for k, v in e.items() if k != "id"} for e in fetched["edges"]] == strip
    assert all(e["id"].startswith("rx") for e in fetched["edges"])


def test_the_limit_keeps_the_best_linked(kg: ipgraph.KnowledgeGraph) -> None:
    cnipa = str(kg.resolve("CNIPA"))
    every = expand(kg, cnipa, limit=MAX_EXPAND)
    few = expand(kg, cnipa, limit=3)
    assert [n["id"] for n in few["nodes"]] == [n["id"] for n in every["nodes"]][:3]
    assert few["truncated"] and not every["truncated"]
    assert few["neighbours"] == every["neighbours"] == len(every["nodes"])


def test_bad_limits_and_unknown_nodes_are_refused(kg: ipgraph.KnowledgeGraph) -> None:
    cnipa = str(kg.resolve("CNIPA"))
    for limit in (0, MAX_EXPAND + 1):
        with pytest.raises(UsageError, match="limit"):
            expand(kg, cnipa, limit=limit)
    with pytest.raises(EntityNotFound):
        expand(kg, "https://example.org/nothing")
