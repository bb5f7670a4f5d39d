"""Render time and page size of graph views at 100, 1,000 and 10,000 nodes, against pyvis.

For each size a synthetic graph is generated (agencies, notices, programs and provinces with
English and Chinese labels; about 1.5 links per node), then timed in the same run:

- ``view``: ipgraph from RDF to the view data (projection, labels, tooltips, degree, layout);
- ``html``: ipgraph from the view data to the self-contained page (what ``render`` adds);
- ``pyvis add``: pyvis's ``Network.add_node`` / ``add_edge`` for the same nodes and edges,
  then ``generate_html`` (``cdn_resources="in_line"``);
- ``pyvis lists``: pyvis with its ``nodes`` / ``edges`` lists assigned directly, then
  ``generate_html``.

The ratios compare pyvis's APIs with ipgraph's ``html`` step on the same nodes and edges.
pyvis's ``add_edge`` scans every node and edge already added, so it grows quadratically; use
``--sizes`` to skip the largest size when in a hurry.

Run: ``.venv/bin/python benchmarks/bench_views.py [--sizes 100 1000 10000]``
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import ipgraph
from ipgraph import data
from ipgraph.views.build import View
from ipgraph.views.html import to_html

KINDS = [
    ("Agency", "agency", "Agency", "机构"),
    ("Notice", "document", "Notice", "通知"),
    ("SpecialPlan", "program", "Plan", "计划"),
    ("Province", "region", "Province", "省"),
]
LINKS = {  # subject kind -> (predicate, object kind)
    "document": ("issuedBy", "agency"),
    "program": ("carriedOutIn", "region"),
    "region": ("partOf", "region"),
    "agency": ("targets", "program"),
}


def synthetic_turtle(size: int, seed: int = 5) -> str:
    """``size`` entities with labels in two languages and about 1.5 links each."""
    rng = random.Random(seed)
    lines = [
        "@prefix ipg: <https://w3id.org/ipgraph/ontology#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix id: <https://w3id.org/ipgraph/id/> .",
    ]
    by_kind: dict[str, list[str]] = {kind: [] for _, kind, _, _ in KINDS}
    for i in range(size):
        cls, kind, en, zh = KINDS[i % len(KINDS)]
        iri = f"id:{kind}\\/n{i}"
        by_kind[kind].append(iri)
        lines.append(
            f'{iri} a ipg:{cls} ; rdfs:label "{en} number {i}"@en , "{zh}{i}号"@zh ; '
            f'skos:altLabel "{en[:3].upper()}{i}"@en .'
        )
    for kind, iris in by_kind.items():
        predicate, target_kind = LINKS[kind]
        targets = by_kind[target_kind]
        for position, iri in enumerate(iris):
            picks = {targets[position // 2]} if position // 2 < len(targets) else set()
            if rng.random() < 0.5:
                picks.add(rng.choice(targets))
            for target in sorted(picks - {iri}):
                lines.append(f"{iri} ipg:{predicate} {target} .")
    return "\n".join(lines) + "\n"


def timed(work: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def pyvis_add(view: View) -> str:
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    for node in view.nodes:
        net.add_node(
            node["id"],
            label=node["short"],
            title=node["label"],
            size=node["size"],
            shape="dot",
            x=node.get("x"),
            y=node.get("y"),
        )
    for edge in view.edges:
        net.add_edge(edge["from"], edge["to"], title=edge["label"])
    html: str = net.generate_html()
    return html


def pyvis_lists(view: View) -> str:
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    net.nodes = [
        {
            "id": n["id"],
            "label": n["short"],
            "title": n["label"],
            "size": n["size"],
            "shape": "dot",
            **({"x": n["x"], "y": n["y"]} if "x" in n else {}),
        }
        for n in view.nodes
    ]
    net.node_ids = [n["id"] for n in view.nodes]
    net.edges = [{"from": e["from"], "to": e["to"], "title": e["label"]} for e in view.edges]
    html: str = net.generate_html()
    return html


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000])
    options = parser.parse_args()
    header = (
        f"{'nodes':>6} {'edges':>6} | {'view s':>7} {'html s':>7} {'page KiB':>8} | "
        f"{'pyvis add s':>11} {'ratio':>7} | {'pyvis lists s':>13} {'ratio':>6} {'KiB':>6}"
    )
    print(header)
    print("-" * len(header))
    warm = View("overview", "warm", "warm", "warm")  # read vis-network and templates once
    to_html(warm), pyvis_add(warm), pyvis_lists(warm)
    with tempfile.TemporaryDirectory() as folder:
        for size in options.sizes:
            source = Path(folder) / f"synthetic-{size}.ttl"
            source.write_text(synthetic_turtle(size), encoding="utf-8")
            kg = ipgraph.load(data.vocabulary_file(), source, bundled=False)
            view_s, view = timed(lambda kg=kg: kg.view(max_nodes=None))
            html_s, page = timed(lambda view=view: to_html(view))
            add_s, _ = timed(lambda view=view: pyvis_add(view))
            lists_s, lists_page = timed(lambda view=view: pyvis_lists(view))
            print(
                f"{len(view.nodes):>6} {len(view.edges):>6} | {view_s:>7.3f} {html_s:>7.3f} "
                f"{len(page.encode()) / 1024:>8.0f} | {add_s:>11.3f} {add_s / html_s:>6.1f}x | "
                f"{lists_s:>13.3f} {lists_s / html_s:>5.1f}x "
                f"{len(lists_page.encode()) / 1024:>6.0f}"
            )
    print(
        "\nview: RDF -> view data (ipgraph); html: view data -> page (ipgraph). "
        "ratio: pyvis time / ipgraph html time, same nodes and edges, same run."
    )


if __name__ == "__main__":
    main()
