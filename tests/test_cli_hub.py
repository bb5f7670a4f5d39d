"""Commands about a hub entity (thousands of links on a large store): `neighbors` lists at
most ``--limit`` per relation with a count of the rest, and `render ENTITY --depth N` on a
persistent store reads at most ``--max-nodes`` entities, its banner counting the others."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from pagecheck import embedded

Run = Callable[..., Result]
SPOKES = 60  # documents issued by the hub


def _hub_turtle() -> str:
    lines = [
        "@prefix ex: <https://example.org/hub/> .",
        "@prefix ipg: <https://w3id.org/ipgraph/ontology#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        'ex:hub a ipg:Agency ; rdfs:label "Hub Agency"@en .',
    ]
    for n in range(SPOKES):
        lines.append(
            f'ex:doc{n:03d} a ipg:PolicyDocument ; rdfs:label "Hub document {n:03d}"@en ; '
            "ipg:issuedBy ex:hub ."
        )
    return "\n".join(lines) + "\n"


@pytest.fixture
def hub_store(run: Run, tmp_path: Path, write: Callable[[str, str], Path]) -> str:
    spec = f"oxigraph:{tmp_path / 'db'}"
    assert run("load", "--store", spec, str(write("hub.ttl", _hub_turtle())), "-q").exit_code == 0
    return spec


def test_neighbors_lists_at_most_limit_per_relation_with_the_count(
    run: Run, hub_store: str
) -> None:
    result = run("neighbors", "Hub Agency", "--store", hub_store, "--limit", "5", "--lang", "en")
    assert result.exit_code == 0, result.output
    listed = [line for line in result.stdout.splitlines() if line.startswith("    Hub document")]
    assert len(listed) == 5
    assert f"({SPOKES})" in result.stdout
    assert f"… and {SPOKES - 5} more" in result.stdout
    data = json.loads(
        run("neighbors", "Hub Agency", "--store", hub_store, "-n", "5", "--format", "json").stdout
    )
    (group,) = data["groups"]
    assert group["count"] == SPOKES and group["listed"] == len(group["entities"]) == 5


def test_neighbors_limit_zero_lists_all(run: Run, hub_store: str) -> None:
    result = run("neighbors", "Hub Agency", "--store", hub_store, "--limit", "0")
    listed = [line for line in result.stdout.splitlines() if "Hub document" in line]
    assert len(listed) == SPOKES and "more" not in result.stdout


def test_render_hub_reads_at_most_max_nodes_and_counts_the_rest(
    run: Run, hub_store: str, tmp_path: Path
) -> None:
    out = tmp_path / "hub.html"
    result = run(
        "render", "Hub Agency", "--depth", "1", "--max-nodes", "10",
        "--store", hub_store, "-o", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    total = SPOKES + 1
    assert (
        f"Showing 10 of {total} nodes: the store was read for the first neighbours by IRI, "
        f"{total - 10} were left out" in result.stderr.replace("\n", " ")
    )
    view = embedded(out.read_text(encoding="utf-8"))
    assert len(view["nodes"]) == 10
    assert view["meta"]["total_nodes"] == total and view["meta"]["omitted_nodes"] == total - 10


def test_show_lists_at_most_limit_links_per_relation(run: Run, hub_store: str) -> None:
    capped = run("show", "Hub Agency", "--store", hub_store, "--limit", "5").stdout
    assert capped.count("←issued by— Hub document") == 5
    assert f"… and {SPOKES - 5} more issued by" in capped
    every = run("show", "Hub Agency", "--store", hub_store, "--limit", "0").stdout
    assert every.count("←issued by— Hub document") == SPOKES and "more" not in every
