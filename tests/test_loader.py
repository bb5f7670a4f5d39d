"""Loading files: every RDF format, errors that name file and line, and atomic loads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import URIRef

import ipgraph
from ipgraph.errors import DataError
from ipgraph.loader import graph_name, parse_file, rdf_format

EX = "http://example.org/"
GOOD_TTL = f"""@prefix ex: <{EX}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:bureau rdfs:label "Test Bureau"@en, "测试局"@zh .
"""

Writer = Callable[[str, str], Path]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("a.ttl", GOOD_TTL),
        ("a.nt", f'<{EX}bureau> <http://www.w3.org/2000/01/rdf-schema#label> "测试局"@zh .\n'),
        (
            "a.jsonld",
            '{"@id": "http://example.org/bureau",'
            ' "http://www.w3.org/2000/01/rdf-schema#label":'
            ' {"@value": "测试局", "@language": "zh"}}',
        ),
        ("a.trig", f"@prefix ex: <{EX}> .\nex:g {{ ex:bureau ex:p ex:o . }}\n"),
        ("a.nq", f"<{EX}bureau> <{EX}p> <{EX}o> <{EX}g> .\n"),
    ],
)
def test_every_format_parses_and_keeps_unicode(write: Writer, name: str, text: str) -> None:
    parsed = parse_file(write(name, text))
    assert parsed.triple_count >= 1
    subjects = {s for g in parsed.graphs.values() for s in g.subjects()}
    assert URIRef(EX + "bureau") in subjects


def test_quad_formats_keep_their_named_graphs(write: Writer) -> None:
    parsed = parse_file(write("q.trig", f"@prefix ex: <{EX}> .\nex:g {{ ex:a ex:p ex:o . }}\n"))
    assert list(parsed.graphs) == [URIRef(EX + "g")]


def test_triples_go_to_a_graph_named_after_the_file(write: Writer) -> None:
    parsed = parse_file(write("my facts.ttl", GOOD_TTL))
    assert list(parsed.graphs) == [URIRef("https://w3id.org/ipgraph/graph/my-facts")]
    assert graph_name(Path("x/2022 report.ttl")).endswith("/graph/2022-report")


@pytest.mark.parametrize(
    ("name", "text", "line", "reason"),
    [
        ("bad.ttl", GOOD_TTL + 'ex:a ex:b "unterminated .\n', 4, "turtle"),
        ("bad.ttl", GOOD_TTL + "\nex:a ex:b .\n", 5, "turtle"),
        ("bad.nt", f"<{EX}a> <{EX}b> <{EX}c> .\n<{EX}a> <{EX}b> c .\n", 2, "nt"),
        ("bad.jsonld", '{"@id": "http://example.org/a",\n "http://e/b": [1,\n}', 3, "JSON"),
        ("bad.trig", f"@prefix ex: <{EX}> .\nex:g {{ ex:a ex:b }}\n", 2, "trig"),
    ],
)
def test_malformed_input_names_file_line_and_reason(
    write: Writer, name: str, text: str, line: int, reason: str
) -> None:
    path = write(name, text)
    with pytest.raises(DataError) as caught:
        parse_file(path)
    err = caught.value
    assert err.source == str(path)
    assert err.line == line
    assert reason in err.reason
    assert str(err).startswith(f"{path}:{line}: ")


def test_missing_file_and_unknown_extension_are_data_errors(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such file"):
        parse_file(tmp_path / "nope.ttl")
    with pytest.raises(DataError, match="unknown RDF file type"):
        rdf_format(Path("notes.docx"))


def test_non_utf8_file_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.ttl"
    path.write_bytes(b'<http://e/a> <http://e/b> "ok" .\n<http://e/a> <http://e/b> "caf\xe9" .\n')
    with pytest.raises(DataError, match="not UTF-8") as caught:
        parse_file(path)
    assert caught.value.line == 2


def test_a_bad_file_leaves_the_loaded_graph_as_it_was(
    fresh_kg: ipgraph.KnowledgeGraph, write: Writer
) -> None:
    before = set(fresh_kg.graph.quads())
    generation = fresh_kg.generation
    good = write("good.ttl", GOOD_TTL)
    bad = write("bad.ttl", GOOD_TTL + "ex:a ex:b .\n")
    with pytest.raises(DataError):
        fresh_kg.add(good, bad)  # the good file comes first and still must not be added
    assert set(fresh_kg.graph.quads()) == before
    assert fresh_kg.generation == generation


def test_loading_the_same_file_twice_does_not_duplicate(
    fresh_kg: ipgraph.KnowledgeGraph, write: Writer
) -> None:
    path = write("extra.ttl", GOOD_TTL)
    fresh_kg.add(path)
    size = len(fresh_kg.graph)
    fresh_kg.add(path)
    assert len(fresh_kg.graph) == size


def test_load_merges_user_files_into_their_own_named_graph(write: Writer) -> None:
    kg = ipgraph.load(write("extra.ttl", GOOD_TTL))
    names = [s.graph for s in kg.sources()]
    assert URIRef("https://w3id.org/ipgraph/graph/extra") in names
    assert kg.find("测试局")[0].iri == URIRef(EX + "bureau")


@pytest.mark.parametrize(
    "context",
    [
        '"https://schema.org/"',
        '[{"ex": "http://example.org/"}, "http://127.0.0.1:9/ctx.jsonld"]',
        '{"@import": "https://example.org/ctx.jsonld", "ex": "http://example.org/"}',
    ],
)
def test_jsonld_remote_context_is_refused_not_fetched(
    write: Writer, monkeypatch: pytest.MonkeyPatch, context: str
) -> None:
    # Regression: rdflib downloaded a remote @context while loading a user file.
    import urllib.request

    attempts: list[object] = []
    monkeypatch.setattr(urllib.request, "urlopen", lambda *a, **k: attempts.append(a))
    path = write("remote.jsonld", f'{{\n "@context": {context},\n "@id": "{EX}a"\n}}\n')
    with pytest.raises(DataError, match=r"remote JSON-LD @(context|import)") as caught:
        parse_file(path)
    assert caught.value.source == str(path) and caught.value.line == 2
    assert attempts == []


def test_jsonld_with_an_inline_context_loads(write: Writer) -> None:
    text = '{"@context": {"@vocab": "http://example.org/"}, "@id": "http://example.org/a", "n": 1}'
    parsed = parse_file(write("inline.jsonld", text))
    assert parsed.triple_count == 1


def test_the_vocabulary_is_named_by_the_same_rule_as_every_file() -> None:
    from ipgraph import data

    assert graph_name(data.vocabulary_file()) == data.ONTOLOGY_GRAPH
