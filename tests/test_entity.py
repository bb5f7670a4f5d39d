"""The entity summary (`ipgraph.entity`): what ``kg.entity`` and ``ipgraph show`` give."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

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


def test_show_json_gives_figures_as_numbers(run: Callable[..., Any]) -> None:
    # Regression: an xsd:decimal figure came out as the string "23000.0" from `show`, but as
    # the number 23000 from `query --format json`.
    result = run("show", "obs:transactions-universities-institutes", "--format", "json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    values = [figure["value"] for figure in summary["figures"]]
    assert values == [23000] and isinstance(values[0], int)
    literal = [link for link in summary["outgoing"] if link["predicate_label"] == "value"]
    assert [link["value"] for link in literal] == [23000]
