"""The entity summary (`ipgraph.entity`): what ``kg.entity`` gives."""

from __future__ import annotations

from rdflib.namespace import PROV

import ipgraph
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
