"""Name search on a SPARQL server (`ipgraph.store.remote_names`): misspelt Latin words are
corrected by bounded queries, as the local name index corrects them, and say ``typo``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

import ipgraph
from ipgraph.refs import pick_entity
from ipgraph.store import open_store
from ipgraph.store.remote_names import remote_name_search, typo_query
from ipgraph.vocab import ID, IPG

if TYPE_CHECKING:
    from virtuoso import VirtuosoServer

pytest_plugins = ["virtuoso"]  # the `virtuoso` fixture (tests/virtuoso.py)

MOF = str(ID["agency/mof"])
MOE = str(ID["agency/moe"])
MIIT = str(ID["agency/miit"])


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Minstry of Finanse", MOF),
        ("Ministry of Educaton", MOE),  # one word right, one wrong
        ("ministry of industry and informaton technology", MIIT),
    ],
)
def test_misspelt_names_are_found_as_typos(
    kg: ipgraph.KnowledgeGraph, typed: str, meant: str
) -> None:
    hits = remote_name_search(kg.store, typed, limit=5, text_index=False)
    assert hits and hits[0].iri == meant
    assert {h.how for h in hits} == {"typo"}
    assert pick_entity(hits) == (None, [])  # a guess suggests, never resolves


def test_names_that_match_are_not_corrected(kg: ipgraph.KnowledgeGraph) -> None:
    hits = remote_name_search(kg.store, "Ministry of Finance", limit=5, text_index=False)
    assert hits[0].iri == MOF and hits[0].how == "exact"
    assert "typo" not in {h.how for h in hits}


def test_nothing_close_finds_nothing(kg: ipgraph.KnowledgeGraph) -> None:
    assert remote_name_search(kg.store, "Qwxzvbn Plokijuh", text_index=False) == []
    assert remote_name_search(kg.store, "财政部部部部", text_index=False) == []


def test_typo_hits_keep_the_type_filter_and_the_limit(kg: ipgraph.KnowledgeGraph) -> None:
    agencies = remote_name_search(
        kg.store, "Minstry", limit=3, types=[str(IPG.Ministry)], text_index=False
    )
    assert 0 < len(agencies) <= 3
    assert all(ID["agency/"] in h.iri for h in agencies)
    assert (
        remote_name_search(kg.store, "Minstry", limit=3, types=[str(IPG.Passage)], text_index=False)
        == []
    )


def test_the_candidate_query_is_bounded() -> None:
    for text_index in (False, True):
        assert typo_query("finanse", text_index).endswith("LIMIT 200")
    assert "bif:contains '\"fina*\"'" in typo_query("finanse", text_index=True)


def test_typos_on_virtuoso_without_and_with_its_text_index(virtuoso: VirtuosoServer) -> None:
    store = open_store(f"sparql:{virtuoso.url}")
    for text_index in (False, True):
        if text_index:
            virtuoso.enable_text_index()
        hits = remote_name_search(store, "Minstry of Industry and Informaton", 5, None, text_index)
        assert hits and hits[0].iri == MIIT, text_index
        assert {h.how for h in hits} == {"typo"}
    cli_hits = store.names().nearest("Minstry of Finanse")
    assert MOF in [h.iri for h in cli_hits]
