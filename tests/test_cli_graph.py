"""The graph commands (`ipgraph.cli.graph`): path, neighbors, rank and render — output
and exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

import ipgraph
from ipgraph.vocab import ID
from pagecheck import embedded, tags_of

MOF = ID["agency/mof"]
Run = Callable[..., Any]


def test_cli_path_text_and_json(run: Run) -> None:
    result = run("path", "MOF", "Zhejiang", "--lang", "en")
    assert result.exit_code == 0
    assert result.stdout.startswith("Ministry of Finance ←in cooperation with— ")
    assert result.stdout.rstrip().endswith("Zhejiang")
    data = json.loads(run("path", "财政部", "浙江", "--format", "json").stdout)
    assert data["start"]["iri"] == str(MOF)


def test_cli_path_all_numbers_paths_and_reports_truncation(run: Run) -> None:
    result = run("path", "MOF", "Zhejiang", "--all", "--max-length", "6", "--limit", "2")
    lines = result.stdout.splitlines()
    assert result.exit_code == 0 and len(lines) == 2
    assert lines[0].startswith("1. [3] ") and lines[1].startswith("2. [")
    assert result.stderr.startswith("stopped at 2 paths; raise --limit")
    one = run("path", "MOF", "Zhejiang", "--all", "--limit", "1")
    assert one.stderr.startswith("stopped at 1 path; raise --limit")
    data = json.loads(run("path", "MOF", "Zhejiang", "--k", "2", "--format", "json").stdout)
    assert data["count"] == 2 and data["truncated"] is False


def test_cli_path_limit_zero_lists_every_path_and_a_negative_one_is_refused(run: Run) -> None:
    # Regression: --limit 0 was refused, while every other listing takes it as "all".
    every = run("path", "MOF", "Zhejiang", "--all", "--max-length", "6", "--limit", "0")
    one = run("path", "MOF", "Zhejiang", "--all", "--max-length", "6", "--limit", "1")
    assert every.exit_code == 0 and every.stderr == ""
    assert len(every.stdout.splitlines()) > len(one.stdout.splitlines()) == 1
    shortest = run("path", "MOF", "Zhejiang", "--k", "0", "--max-length", "6")
    assert len(shortest.stdout.splitlines()) == len(every.stdout.splitlines())
    for option in ("--limit", "--k"):
        refused = run("path", "MOF", "Zhejiang", "--all", option, "-1")
        assert refused.exit_code == 2 and refused.stdout == ""
        assert (
            refused.stderr
            == "ipgraph: error: the number of paths must be 0 (all) or more, not -1\n"
        )
    assert "0 lists all." in " ".join(run("path", "--help").stdout.split())


def test_cli_no_connection_exits_1_with_one_line(run: Run) -> None:
    result = run("path", "MOF", "MOE", "--via", "ipg:partOf")
    assert result.exit_code == 1
    assert result.stderr.startswith("ipgraph: error: no connection between Ministry of Finance")
    assert "Traceback" not in result.stderr
    bounded = run("path", "MOF", "Zhejiang", "--all", "--max-length", "2")
    assert bounded.exit_code == 1 and "within 2 hops" in bounded.stderr


def test_cli_bad_references_exit_2(run: Run) -> None:
    result = run("path", "Ministry of Magic", "MOE")
    assert result.exit_code == 2 and "no entity matches" in result.stderr
    assert run("path", "MOF", "MOE", "--via", "ipg:Nope").exit_code == 2


def test_cli_neighbors_and_rank(run: Run) -> None:
    result = run("neighbors", "CNIPA", "--depth", "2", "--type", "ipg:Ministry", "--lang", "en")
    assert result.exit_code == 0 and "Ministry of Education" in result.stdout
    data = json.loads(run("neighbors", "MOF", "--format", "json").stdout)
    assert data["center"]["iri"] == str(MOF)
    ranked = json.loads(run("rank", "--type", "ipg:Agency", "--format", "json").stdout)
    assert ranked[0]["label"] == "China National Intellectual Property Administration"
    table = run("rank", "--measure", "pagerank", "--limit", "3").stdout.splitlines()
    assert table[0].split()[:3] == ["#", "pagerank", "label"] and len(table) == 5


def test_cli_rank_limit_zero_lists_all_and_a_negative_one_is_refused(run: Run) -> None:
    # Regression: --limit 0 printed an empty table and --limit -1 all but the last entity.
    every = json.loads(run("rank", "--limit", "0", "--format", "json").stdout)
    assert len(every) > 10
    assert every[:10] == json.loads(run("rank", "--format", "json").stdout)
    refused = run("rank", "--limit", "-1")
    assert refused.exit_code == 2 and "-1 is not in the range x>=0" in refused.stderr
    assert "; 0 lists all." in " ".join(run("rank", "--help").stdout.split())


def _written(result: Result) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip())
    return embedded(path.read_text(encoding="utf-8"))


def test_cli_renders_each_kind_of_view(
    run: Callable[..., Result], tmp_path: Path, kg: ipgraph.KnowledgeGraph
) -> None:
    out = str(tmp_path / "v.html")
    assert _written(run("render", "-o", out))["kind"] == "overview"
    neighbourhood = _written(run("render", "CNIPA", "--depth", "2", "-o", out))
    assert {n["id"] for n in neighbourhood["nodes"]} == kg.view("CNIPA", depth=2).node_ids()
    assert _written(run("render", "--path", "MOF", "Zhejiang", "-o", out))["kind"] == "path"
    assert _written(run("render", "--agencies", "-o", out))["kind"] == "agencies"
    rq = tmp_path / "q.rq"
    rq.write_text("CONSTRUCT { ?d ipg:issuedBy ?a } WHERE { ?d ipg:issuedBy ?a }", "utf-8")
    assert _written(run("render", "-f", str(rq), "-o", out))["kind"] == "query"
    query = "SELECT ?m WHERE { ?m a ipg:Ministry }"
    assert _written(run("render", "--query", query, "-o", out))["kind"] == "query"


def test_cli_cap_goes_to_stderr(run: Callable[..., Result], tmp_path: Path) -> None:
    result = run("render", "--max-nodes", "5", "-o", str(tmp_path / "v.html"))
    data = _written(result)
    assert len(data["nodes"]) == 5
    assert "left out" in result.stderr and "left out" not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--depth", "2"], "--depth needs an ENTITY"),
        (["CNIPA", "--agencies"], "choose one view"),
        (["--all", "CNIPA"], "--all builds every view"),
        (["--views", "x.toml"], "--views goes with --all"),
        (["--query", "ASK { ?s ?p ?o }"], "ASK query has no graph"),
        (["-f", "no-such.rq"], "cannot read no-such.rq"),
        (["--query", "SELEC ?x"], "syntax error"),
        (["Ministry of Magic"], "no entity matches"),
        (["CNIPA", "--depth", "0"], "depth must be 1 or more"),  # regression: drew depth 1
    ],
)
def test_cli_errors_are_one_line_and_exit_2(
    run: Callable[..., Result], args: list[str], message: str
) -> None:
    result = run("render", *args)
    assert result.exit_code == 2
    assert message in result.stderr and result.stderr.count("\n") == 1


ROOT = Path(__file__).resolve().parents[1]
VIEWS_FILE = ROOT / "graphs" / "views.toml"


def test_cli_builds_the_site(run: Callable[..., Result], tmp_path: Path) -> None:
    result = run("render", "--all", "--views", str(VIEWS_FILE), "-o", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    index = Path(result.stdout.strip())
    assert index == tmp_path / "site" / "index.html" and index.is_file()
    assert (tmp_path / "site" / "mof-zhejiang.html").is_file()


def test_cli_site_without_a_views_file_has_the_built_in_views(
    run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("render", "--all")
    assert result.exit_code == 0, result.output
    assert "no graphs/views.toml here" in result.stderr
    index = Path(result.stdout.strip())
    assert index == Path("graphs/site/index.html")
    links = [a["href"] for tag, a in tags_of(index.read_text("utf-8")) if tag == "a"]
    assert links == ["overview.html", "agencies.html"]


def test_cli_paths_out_of_time_say_so(run: Run, tmp_path: Path) -> None:
    store = f"oxigraph:{tmp_path / 'store'}"  # opened fresh: the bundled graph goes in
    result = run("path", "MOF", "Zhejiang", "--all", "--timeout", "0", "--store", store)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "ipgraph: error: no connection between Ministry of Finance and Zhejiang found in 0 s;"
        " raise --timeout"
    ]
