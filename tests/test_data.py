"""Where the bundled files are (`ipgraph.data`)."""

from __future__ import annotations

import subprocess
import sys

from rdflib import Dataset, Graph
from rdflib.namespace import OWL, RDF

from ipgraph import data


def test_the_bundled_files_exist_and_parse() -> None:
    files = data.bundled_files()
    assert files[0] == data.vocabulary_file()
    assert files[1:] == data.source_files() and files[1:]
    for path in files:
        assert path.is_file() and path.suffix in (".ttl", ".trig")
        parsed = Dataset().parse(path, format="trig" if path.suffix == ".trig" else "turtle")
        assert len(list(parsed.quads())) > 0


def test_the_vocabulary_is_an_ontology_and_the_shapes_sit_beside_it() -> None:
    vocabulary = Graph().parse(data.vocabulary_file(), format="turtle")
    assert any(vocabulary.subjects(RDF.type, OWL.Ontology))
    assert data.shapes_file().parent == data.ontology_dir()
    assert data.shapes_file() not in data.bundled_files()  # validated against, never loaded


def test_sources_are_in_a_stable_order() -> None:
    names = [p.name for p in data.source_files()]
    assert names == sorted(names)
    assert all(p.parent == data.ontology_dir() / "sources" for p in data.source_files())


def test_the_version_is_the_installed_one_and_read_only_when_asked() -> None:
    from importlib.metadata import version

    assert data.installed_version() == version("ipgraph")
    code = (
        "import ipgraph, sys; print('__version__' in vars(ipgraph)); "
        "print(ipgraph.__version__); print(ipgraph.undefined_name)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    lines = run.stdout.splitlines()
    assert lines == ["False", version("ipgraph")]
    assert "AttributeError: module 'ipgraph' has no attribute 'undefined_name'" in run.stderr
    cli = subprocess.run(
        [sys.executable, "-m", "ipgraph.cli", "--version"], capture_output=True, text=True
    )
    assert cli.stdout.strip() == f"ipgraph, version {version('ipgraph')}"
