"""Time to the first drawn frame of graph views at 100, 400, 2,000 and 10,000 nodes, in headless
Chromium, against the same graph drawn by stock pyvis (``pyvis.network.Network`` with its
default physics), both measured in the same browser in the same run.

For each size a synthetic graph is generated (agencies, notices, programs and provinces with
English and Chinese labels; about 1.5 links per node). ipgraph builds the view (layout in
Python) and writes the page; pyvis gets the same nodes and edges (ids, labels, titles) with
its defaults. Each page is opened from file:// with every other request refused, and the time
from navigation to the first paint on a canvas is read (a ``fill``/``stroke`` hook installed
before the page's scripts): for pyvis that is after its physics has stabilised, for ipgraph the
final drawing. Also printed: the Python time to build the view and write the page.

Run: ``.venv/bin/python benchmarks/bench_views.py [--sizes 100 400 2000 10000] [--timeout 180]``
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Route, sync_playwright

import ipgraph
from ipgraph import data
from ipgraph.views.build import View
from ipgraph.views.html import write_html

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
# The first paint of anything on a canvas, whoever draws it.
FIRST_PAINT = """
(function () {
  var proto = CanvasRenderingContext2D.prototype;
  ["fill", "stroke"].forEach(function (name) {
    var original = proto[name];
    proto[name] = function () {
      if (window.__firstPaint === undefined) window.__firstPaint = performance.now();
      return original.apply(this, arguments);
    };
  });
})();
"""

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


def pyvis_page(view: View, path: Path) -> Path:
    """The same nodes and edges drawn by stock pyvis: default options, default physics."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    net.nodes = [
        {"id": n["id"], "label": n["short"], "title": n["label"], "shape": "dot"}
        for n in view.nodes
    ]
    net.node_ids = [n["id"] for n in view.nodes]
    net.edges = [{"from": e["from"], "to": e["to"], "title": e["label"]} for e in view.edges]
    path.write_text(net.generate_html(), encoding="utf-8")
    return path


def first_frame(browser: Browser, path: Path, timeout: float) -> tuple[float | None, int]:
    """Seconds from navigation to the first paint on a canvas (None: not within timeout), and
    how many requests to the network were refused."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    refused: list[str] = []

    def guard(route: Route) -> None:
        if route.request.url.startswith(("file://", "data:")):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.add_init_script(FIRST_PAINT)
    page.goto(path.as_uri(), wait_until="commit")  # pyvis holds "load" while it settles
    try:
        page.wait_for_function("window.__firstPaint !== undefined", timeout=timeout * 1000)
        seconds: float | None = page.evaluate("window.__firstPaint") / 1000
    except Exception:
        seconds = None
    page.close()
    return seconds, len(refused)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 400, 2_000, 10_000])
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per page")
    options = parser.parse_args()
    header = (
        f"{'nodes':>6} {'edges':>6} | {'build s':>7} | {'ipgraph 1st frame s':>19} | "
        f"{'pyvis 1st frame s':>17} | {'ratio':>7}"
    )
    print(header)
    print("-" * len(header))
    refused = 0
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for size in options.sizes:
            source = Path(folder) / f"synthetic-{size}.ttl"
            source.write_text(synthetic_turtle(size), encoding="utf-8")
            kg = ipgraph.load(data.vocabulary_file(), source, bundled=False)
            build_s, view = timed(lambda kg=kg: kg.view(max_nodes=None))
            ours = write_html(view, Path(folder) / f"ipgraph-{size}.html")
            theirs = pyvis_page(view, Path(folder) / f"pyvis-{size}.html")
            mine, asked = first_frame(browser, ours, options.timeout)
            if asked:
                raise SystemExit(f"{ours.name} asked the network for something")
            stock, refused = first_frame(browser, theirs, options.timeout)

            def shown(value: float | None) -> str:
                return f"{value:.2f}" if value is not None else f">{options.timeout:.0f}"

            ratio = (
                f"{stock / mine:.1f}x"
                if stock is not None and mine
                else f">{options.timeout / mine:.0f}x"
                if mine
                else "-"
            )
            print(
                f"{len(view.nodes):>6} {len(view.edges):>6} | {build_s:>7.2f} | "
                f"{shown(mine):>19} | {shown(stock):>17} | {ratio:>7}",
                flush=True,
            )
        browser.close()
    print(
        "\n1st frame: navigation to first canvas paint, headless Chromium 1400x900, file://, "
        "same run. build: RDF -> view data with layout (ipgraph, Python). "
        "ratio: pyvis / ipgraph. pyvis's page asks a CDN for bootstrap (refused here: "
        f"{refused} requests per page); ipgraph's asks for nothing."
    )


if __name__ == "__main__":
    main()
