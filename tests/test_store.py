"""Opening a store (`ipgraph.store.open_store`): specs and the environment variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipgraph.errors import UsageError
from ipgraph.store import OxigraphStore, SparqlStore, open_store


@pytest.mark.parametrize("spec", ["nothing", "oxigraph:", "sparql:", "memory:x"])
def test_unknown_spec_is_a_usage_error(spec: str) -> None:
    with pytest.raises(UsageError, match="memory"):
        open_store(spec)


def test_environment_variable_chooses_the_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("IPGRAPH_STORE", f"oxigraph:{tmp_path / 'db'}")
    assert isinstance(open_store(), OxigraphStore)
    monkeypatch.setenv("IPGRAPH_STORE", "sparql:http://127.0.0.1:9/query")
    store = open_store()
    assert isinstance(store, SparqlStore) and not store.writable
