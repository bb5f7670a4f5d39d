"""Where the bundled files are (`ipgraph.data`)."""

from __future__ import annotations

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
