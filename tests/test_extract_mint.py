"""New entities minted in the draft namespace (`ipgraph.extract.mint`)."""

from __future__ import annotations

from extract_support import DRAFT
from ipgraph.extract import Draft


def test_new_entities_are_minted_in_the_draft_namespace(en_draft: Draft) -> None:
    new = {m.label: m for m in en_draft.new}
    mara = new["Ministry of Agriculture and Rural Affairs"]
    assert mara.iri == DRAFT + "agency/ministry-of-agriculture-and-rural-affairs"
    assert mara.cls.endswith("#Ministry")
    assert any(a.startswith("acronym:MARA:") for a in mara.alternatives)
    assert new["National Forestry and Grassland Administration"].cls.endswith("#Agency")
    assert new["Clean Air"].cls.endswith("#Campaign")
