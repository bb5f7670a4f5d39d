"""The data commands (`ipgraph.cli.data`): info, validate, export, load and synth — output
and exit codes."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest
from click.testing import Result
from rdflib import Dataset, Graph

import ipgraph
from ipgraph import synth
from ipgraph.vocab import ID

Run = Callable[..., Result]
Writer = Callable[[str, str], Path]

BAD_DOC = """@prefix ipg: <https://w3id.org/ipgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/ipgraph/id/document/orphan> a ipg:Notice ;
    rdfs:label "Notice with no issuer"@en .
"""


def test_info_counts_classes_and_sources(run: Run, kg: ipgraph.KnowledgeGraph) -> None:
    result = run("info", "--format", "json")
    assert result.exit_code == 0
    summary = json.loads(result.stdout)
    assert summary["triples"] == len(kg.graph)
    graphs = {s["graph"].rsplit("/", 1)[-1] for s in summary["sources"]}
    assert {"ontology", "cnipa-ar2021-ch4"} <= graphs
    assert summary["classes"]["ipg:Ministry"] >= 5
    text = run("info").stdout
    assert "entities per class" in text and "ipg:Agency" in text


def test_validate_conforms(run: Run) -> None:
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("conforms")


def test_validate_lists_violations_exit_1(run: Run, write: Writer) -> None:
    result = run("validate", str(write("orphan.ttl", BAD_DOC)), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    focus = {r["focus"] for r in report["results"]}
    assert "https://w3id.org/ipgraph/id/document/orphan" in focus


def test_validate_unreadable_input_exit_2(run: Run, write: Writer) -> None:
    result = run("validate", str(write("broken.ttl", "@prefix x: <http://e/> .\nx:a x:b .\n")))
    assert result.exit_code == 2
    assert "broken.ttl:2:" in result.stderr


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "xml"])
def test_export_merged_formats_round_trip(run: Run, kg: ipgraph.KnowledgeGraph, fmt: str) -> None:
    result = run("export", "--format", fmt)
    assert result.exit_code == 0
    parsed = Graph().parse(
        data=result.stdout, format={"ttl": "turtle", "jsonld": "json-ld"}.get(fmt, fmt)
    )
    assert len(parsed) == len(set(kg.graph.triples((None, None, None))))


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_export_quad_formats_keep_named_graphs(
    run: Run, kg: ipgraph.KnowledgeGraph, fmt: str
) -> None:
    result = run("export", "--format", fmt)
    parsed = Dataset().parse(data=result.stdout, format=fmt)
    assert len(list(parsed.quads())) == len(list(kg.graph.quads()))
    names = {str(g.identifier) for g in parsed.graphs() if len(g)}
    assert "https://w3id.org/ipgraph/id/passage/cnipa-ar2021-ch4/s01-p1" in names  # a passage graph


def test_malformed_data_file_is_one_line_exit_2(run: Run, write: Writer) -> None:
    bad = write("bad.ttl", "@prefix x: <http://e/> .\n\nx:a x:b\n")
    result = run("info", "--data", str(bad))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert f"{bad}:" in result.stderr and "Traceback" not in result.output


def test_cli_synth_writes_a_loadable_file(run: Callable[..., Result], tmp_path: Path) -> None:
    target = tmp_path / "s.nt"
    result = run("synth", "--triples", "1000", "--seed", "3", "-o", str(target))
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8").splitlines() == list(synth.generate(1000, seed=3))
    assert run("synth", "--triples", "200", "--seed", "3").output.count("\n") >= 180


EXTRA = """@prefix ex: <https://example.org/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:thing rdfs:label "A thing"@en ; ex:rel <relative/item> .
"""


def test_cli_load_into_oxigraph(
    run: Callable[..., Result], tmp_path: Path, write: Callable[[str, str], Path]
) -> None:
    extra = write("extra.ttl", EXTRA)
    spec = f"oxigraph:{tmp_path / 'db'}"
    result = run("load", "--store", spec, str(extra))
    assert result.exit_code == 0 and "graph/extra\t2 triples" in result.output
    again = run("load", "--store", spec, str(extra), "-q")
    assert again.exit_code == 0
    found = run("find", "A thing", "--store", spec)
    assert found.exit_code == 0 and "A thing" in found.output
    assert run("load", "--store", "memory", str(extra)).exit_code == 2


def test_cli_export_projection_writes_graphml(run: Callable[..., object]) -> None:
    result = run("export", "--projection", "graphml")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    back = nx.read_graphml(io.BytesIO(result.output.encode("utf-8")))  # type: ignore[attr-defined]
    assert str(ID["agency/mof"]) in back
