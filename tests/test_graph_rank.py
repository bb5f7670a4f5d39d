"""Centrality and communities (``ipgraph.graph.rank``), on the bundled graph."""

from __future__ import annotations

import pytest

import ipgraph
from ipgraph.errors import UsageError
from ipgraph.graph.rank import pagerank
from ipgraph.vocab import IPG


def test_cnipa_is_the_most_central_agency_by_every_measure(kg: ipgraph.KnowledgeGraph) -> None:
    for measure in ("degree", "betweenness", "pagerank"):
        top = kg.rank(measure, type="ipg:Agency", limit=3)
        assert top[0].iri == kg.resolve("CNIPA"), measure
        assert [r.score for r in top] == sorted((r.score for r in top), reverse=True)
        agencies = set(kg.instances(IPG.Agency))
        assert all(r.iri in agencies for r in top)


def test_degree_counts_relations_in_both_directions(kg: ipgraph.KnowledgeGraph) -> None:
    G = kg.projection()
    ranked = {r.iri: r.score for r in kg.rank("degree")}
    moe = kg.resolve("MOE")
    assert ranked[moe] == G.in_degree(moe) + G.out_degree(moe)


def test_pagerank_matches_networkx(kg: ipgraph.KnowledgeGraph) -> None:
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

    G = kg.projection()
    ours = pagerank(G)
    reference = _pagerank_python(G)
    assert ours.keys() == reference.keys()
    assert max(abs(ours[n] - reference[n]) for n in G) < 1e-5
    assert abs(sum(ours.values()) - 1.0) < 1e-9


def test_rank_rejects_unknown_measures_and_types(kg: ipgraph.KnowledgeGraph) -> None:
    with pytest.raises(UsageError, match="degree, betweenness, pagerank"):
        kg.rank("closeness")
    with pytest.raises(UsageError, match="class"):
        kg.rank(type="ipg:issuedBy")


def test_communities_partition_the_projection_deterministically(
    kg: ipgraph.KnowledgeGraph,
) -> None:
    groups = kg.communities()
    members = [m for c in groups for m in c.members]
    assert len(members) == len(set(members)) == kg.projection().number_of_nodes()
    assert [len(c) for c in groups] == sorted((len(c) for c in groups), reverse=True)
    from ipgraph.graph.rank import communities

    assert [c.members for c in communities(kg.projection())] == [c.members for c in groups]
    cnipa_group = next(c for c in groups if kg.resolve("CNIPA") in c.members)
    assert cnipa_group.members[0] == kg.resolve("CNIPA")  # most connected first
