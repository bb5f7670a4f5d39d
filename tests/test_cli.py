"""The foundation commands: info, validate, find, show, export — output and exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from rdflib import Dataset, Graph

import ipgraph

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


def test_find_acronyms_and_chinese(run: Run) -> None:
    result = run("find", "工信部", "--format", "json")
    assert result.exit_code == 0
    assert (
        json.loads(result.stdout)[0]["label"] == "Ministry of Industry and Information Technology"
    )
    table = run("find", "moe").stdout
    assert table.splitlines()[2].split()[1:4] == ["Ministry", "of", "Education"]
    assert "教育部" in table


def test_find_with_type_filter(run: Run) -> None:
    found = json.loads(run("find", "patent", "--type", "ipg:PolicyDocument", "-f", "json").stdout)
    assert found
    assert all(any("ontology#" in t for t in m["types"]) for m in found)


def test_find_nothing_exits_1(run: Run) -> None:
    result = run("find", "qqqqxxxxzzzz")
    assert result.exit_code == 1
    assert "nothing matches" in result.stderr
    assert result.stdout == ""


def test_show_prints_labels_links_figures_and_sources(run: Run) -> None:
    result = run("show", "CNIPA")
    assert result.exit_code == 0
    out = result.stdout
    assert "国家知识产权局" in out
    assert "links in:" in out and "source:" in out
    mof = json.loads(run("show", "财政部", "--format", "json").stdout)
    assert mof["labels"]["en"] == ["Ministry of Finance"]
    assert mof["provenance"], "every agency has a source passage"


def test_show_unknown_entity_lists_candidates_exit_2(run: Run) -> None:
    result = run("show", "Ministry of Finanse")
    assert result.exit_code == 2
    assert result.stderr.startswith("ipgraph: error: no entity matches")
    assert "Ministry of Finance" in result.stderr
    assert "Traceback" not in result.output


def test_show_ambiguous_entity_lists_candidates_exit_2(run: Run) -> None:
    result = run("show", "Ministry")
    assert result.exit_code == 2
    assert "ambiguous" in result.stderr and "Ministry of Education" in result.stderr


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


def test_data_option_adds_user_files(run: Run, write: Writer) -> None:
    extra = write(
        "extra.ttl",
        '<https://example.org/bureau> <http://www.w3.org/2000/01/rdf-schema#label> "测试局"@zh .\n',
    )
    result = run("find", "测试局", "--data", str(extra))
    assert result.exit_code == 0
    assert "example.org/bureau" in result.stdout


def test_malformed_data_file_is_one_line_exit_2(run: Run, write: Writer) -> None:
    bad = write("bad.ttl", "@prefix x: <http://e/> .\n\nx:a x:b\n")
    result = run("info", "--data", str(bad))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert f"{bad}:" in result.stderr and "Traceback" not in result.output
