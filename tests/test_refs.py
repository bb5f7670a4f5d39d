"""References (`ipgraph.refs.References`): names, acronyms, CURIEs and id paths resolved to
IRIs; class, relation and entity names told apart for ``via`` / ``avoid``."""

from __future__ import annotations

import pytest
from rdflib import URIRef

import ipgraph
from ipgraph.errors import AmbiguousEntity, EntityNotFound, UsageError
from ipgraph.refs import as_list
from ipgraph.vocab import ID, IPG

MOE = ID["agency/moe"]


@pytest.mark.parametrize(
    "ref",
    [
        "Ministry of Education",
        "教育部",
        "MOE",
        "moe",
        "id:agency/moe",
        "agency:moe",
        "agency/moe",
        f"<{MOE}>",
        str(MOE),
        MOE,
    ],
)
def test_every_kind_of_reference_names_the_same_entity(
    kg: ipgraph.KnowledgeGraph, ref: str
) -> None:
    assert kg.refs.resolve(ref) == MOE


def test_unknown_references_raise_entity_not_found_with_candidates(
    kg: ipgraph.KnowledgeGraph,
) -> None:
    with pytest.raises(EntityNotFound) as caught:
        kg.refs.resolve("Ministry of Educaton")
    assert any("Ministry of Education" in c for c in caught.value.candidates)
    with pytest.raises(EntityNotFound) as by_path:
        kg.refs.resolve("agency/ministry-of-educaton")
    assert any("Ministry of Education" in c for c in by_path.value.candidates)


def test_ambiguous_names_list_their_entities(kg: ipgraph.KnowledgeGraph) -> None:
    with pytest.raises(AmbiguousEntity) as caught:
        kg.refs.resolve("Ministry")
    assert len(caught.value.candidates) > 1


def test_expand_turns_curies_and_paths_into_iris(kg: ipgraph.KnowledgeGraph) -> None:
    assert kg.refs.expand("ipg:Agency") == IPG.Agency
    assert kg.refs.expand("agency/moe") == MOE
    with pytest.raises(UsageError, match="unknown prefix 'nope'"):
        kg.refs.expand("nope:x")
    with pytest.raises(UsageError, match="not an IRI or CURIE"):
        kg.refs.expand("Ministry of Education")


def test_classes_include_subclasses_and_refuse_typos(kg: ipgraph.KnowledgeGraph) -> None:
    found = kg.refs.classes(["ipg:Agency"])
    assert found[0] == IPG.Agency and IPG.Ministry in found
    with pytest.raises(UsageError, match="unknown class 'ipg:Agncy'; did you mean ipg:Agency"):
        kg.refs.classes(["ipg:Agncy"])


def test_constraints_tell_classes_relations_and_entities_apart(
    kg: ipgraph.KnowledgeGraph,
) -> None:
    G = kg.projection()
    via = kg.refs.constraints(G, via=["ipg:PolicyDocument", "issuedBy"])
    assert IPG.PolicyDocument in via.via_types
    assert via.via_predicates == frozenset({IPG.issuedBy})
    avoid = kg.refs.constraints(G, avoid=["CNIPA", "ipg:Agency", "ipg:launchedBy"])
    assert kg.resolve("CNIPA") in avoid.avoid_nodes
    assert IPG.Agency in avoid.avoid_types
    assert IPG.launchedBy in avoid.avoid_predicates
    with pytest.raises(UsageError, match="neither a class nor a relation"):
        kg.refs.constraints(G, via="CNIPA")  # an entity is fine to avoid, not to go via


def test_endpoint_refuses_what_the_projection_leaves_out(kg: ipgraph.KnowledgeGraph) -> None:
    G = kg.projection()
    assert kg.refs.endpoint(G, "MOE") == MOE
    with pytest.raises(UsageError, match="not an entity"):
        kg.refs.endpoint(G, "ipg:Agency")


def test_as_list() -> None:
    assert as_list(None) == []
    assert as_list("CNIPA") == ["CNIPA"]
    assert as_list(("a", URIRef("urn:b"))) == ["a", URIRef("urn:b")]
