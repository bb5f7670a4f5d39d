"""Terms between rdflib and pyoxigraph (`ipgraph.store.oxterms`)."""

from __future__ import annotations

from rdflib import Literal, URIRef

import ipgraph
from ipgraph.vocab import ID

MOE = ID["agency/moe"]


def test_a_native_result_has_rdflib_terms(oxigraph_kg: ipgraph.KnowledgeGraph) -> None:
    result = oxigraph_kg.query(
        "SELECT ?m ?n ?l WHERE { BIND(agency:moe AS ?m) BIND(3 AS ?n) BIND('x'@en AS ?l) }"
    )
    assert result.rows == [(MOE, Literal(3), Literal("x", lang="en"))]
    assert isinstance(result.rows[0][0], URIRef)
