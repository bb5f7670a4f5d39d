"""The one table of formats (`ipgraph.formats`): suffixes, names, Oxigraph names, media types."""

from __future__ import annotations

import pyoxigraph
import pytest

from ipgraph.formats import (
    EXPORT_FORMATS,
    FORMATS,
    GRAPH_FORMATS,
    RDF_FORMATS,
    RESULT_FORMATS,
    by_name,
    by_suffix,
    suffixes,
)


def test_every_suffix_maps_to_one_format() -> None:
    every = [s for fmt in FORMATS for s in fmt.suffixes]
    assert len(every) == len(set(every)), "a suffix is claimed by two formats"
    for fmt in RDF_FORMATS:
        for suffix in fmt.suffixes:
            assert by_suffix(suffix) is fmt
            assert by_suffix(suffix.upper()) is fmt
    assert suffixes() == sorted(s for fmt in RDF_FORMATS for s in fmt.suffixes)


def test_result_suffixes_and_unknown_suffixes_are_not_rdf() -> None:
    for suffix in (".srj", ".csv", ".txt", ""):
        with pytest.raises(KeyError):
            by_suffix(suffix)


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("turtle", "ttl"),
        ("TTL", "ttl"),
        ("ntriples", "nt"),
        ("n-triples", "nt"),
        ("json-ld", "jsonld"),
        ("rdfxml", "xml"),
        ("rdf/xml", "xml"),
        ("nquads", "nq"),
        ("n-quads", "nq"),
        ("trig", "trig"),
    ],
)
def test_by_name_takes_names_aliases_and_rdflib_names(alias: str, name: str) -> None:
    assert by_name(alias).name == name


def test_by_name_keeps_graph_and_result_formats_apart() -> None:
    assert by_name("xml").rdflib == "xml" and by_name("xml").kind == "graph"
    assert by_name("xml", ("result",)).media_types[0] == "application/sparql-results+xml"
    assert by_name("json", ("result",)).kind == "result"
    with pytest.raises(KeyError):
        by_name("csv")  # a result format is no RDF format
    with pytest.raises(KeyError):
        by_name("ttl", ("result",))
    with pytest.raises(KeyError):
        by_name("yaml")


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=lambda f: f.name)
def test_every_rdf_format_has_an_oxigraph_name_that_exists(fmt: object) -> None:
    name = fmt.oxigraph  # type: ignore[attr-defined]
    assert name is not None
    assert isinstance(getattr(pyoxigraph.RdfFormat, name), pyoxigraph.RdfFormat)


def test_result_formats_have_the_sparql_1_1_media_types() -> None:
    sent = {fmt.name: fmt.media_types[0] for fmt in RESULT_FORMATS}
    assert sent == {
        "json": "application/sparql-results+json",
        "xml": "application/sparql-results+xml",
        "csv": "text/csv",
        "tsv": "text/tab-separated-values",
    }
    assert all(fmt.oxigraph is None for fmt in RESULT_FORMATS)


def test_graphs_and_datasets() -> None:
    keeps = {fmt.name for fmt in FORMATS if fmt.keeps_graphs}
    assert keeps == {"trig", "nq"}
    assert {fmt.name for fmt in FORMATS if fmt.reads_graphs} == {"trig", "nq", "jsonld"}
    assert "n3" not in {f.name for f in GRAPH_FORMATS} | {f.name for f in EXPORT_FORMATS}
    assert {f.name for f in EXPORT_FORMATS} == {"ttl", "nt", "jsonld", "xml", "trig", "nq"}
