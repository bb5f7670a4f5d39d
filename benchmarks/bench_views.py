"""Time to the first drawn frame of graph views at 100, 400, 2,000 and 10,000 nodes, in headless
Chromium, against the same graph drawn by stock pyvis (``pyvis.network.Network`` with its
default physics), both measured in the same browser in the same run; and how smoothly each
ipgraph page pans.

For each size a synthetic graph is generated (agencies, notices, programs and provinces with
English and Chinese labels; about 1.5 links per node). A denser 2,000-node view is added (the
2,000 best-connected nodes of ``ipgraph.synth``'s 30,000-statement graph, about 4 links per
node, what tests/test_views_browser.py opens). ipgraph builds the view (layout in Python) and
writes the page; pyvis gets the same nodes and edges (ids, labels, titles) with its defaults.
Each page is opened from file:// with every other request refused, and the time from
navigation to the first paint on a canvas is read (a ``fill``/``stroke`` hook installed before
the page's scripts): for pyvis that is after its physics has stabilised, for ipgraph the final
drawing. Also printed: the Python time to build the view.

Panning: the mouse drags the ipgraph drawing around a circle (120 moves, real input events)
while the page counts the frames vis-network draws and times each redraw (``beforeDrawing`` to
``afterDrawing``, names included); the 100-node view is the baseline of the same run.

Run: ``.venv/bin/python benchmarks/bench_views.py [--sizes 100 400 2000 10000] [--dense]
[--no-pyvis] [--timeout 180]``
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Route, sync_playwright

import ipgraph
from ipgraph import data, synth
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


def open_page(browser: Browser, path: Path) -> tuple[Page, list[str]]:
    """A 1400x900 page opening ``path`` with the first-paint hook; requests off file:// are
    refused and listed."""
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
    return page, refused


def first_frame(page: Page, timeout: float) -> float | None:
    """Seconds from navigation to the first paint on a canvas (None: not within timeout)."""
    try:
        page.wait_for_function("window.__firstPaint !== undefined", timeout=timeout * 1000)
        seconds: float = page.evaluate("window.__firstPaint") / 1000
    except Exception:
        return None
    return seconds


FRAMES = """
(function () {
  var network = ipgraph.network, start = null;
  window.__frames = [];
  network.on("beforeDrawing", function () { start = performance.now(); });
  network.on("afterDrawing", function () {
    if (start !== null) window.__frames.push([start, performance.now()]);
  });
})();
"""


FULL_REDRAW = """
(function () {
  var times = [];
  for (var i = 0; i < 5; i++) {
    var start = performance.now();
    ipgraph.network.redraw();  // synchronous: nodes, links and names
    times.push(performance.now() - start);
  }
  times.sort(function (a, b) { return a - b; });
  return times[2];
})()
"""


def full_redraw(page: Page) -> float:
    """The median time of five full redraws (what a zoom step costs), in ms."""
    page.wait_for_function("window.ipgraph && window.ipgraph.ready === true", timeout=600_000)
    ms: float = page.evaluate(FULL_REDRAW)
    return ms


def pan(page: Page, moves: int = 120) -> tuple[float, float, float]:
    """Drag the drawing around a circle: frames drawn per second during the drag, and the
    median and slowest frame drawn during it, in ms."""
    page.wait_for_function("window.ipgraph && window.ipgraph.ready === true", timeout=600_000)
    page.evaluate(FRAMES)
    box = page.locator("#graph").bounding_box()
    assert box is not None
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx + 150, cy)
    page.mouse.down()
    start = page.evaluate("performance.now()")
    for step in range(1, moves + 1):
        angle = 2 * math.pi * step / moves
        page.mouse.move(cx + 150 * math.cos(angle), cy + 150 * math.sin(angle))
    page.wait_for_timeout(50)
    end = page.evaluate("performance.now()")
    page.mouse.up()
    frames = [f for f in page.evaluate("window.__frames") if start <= f[0] <= end]
    if not frames:
        return 0.0, 0.0, 0.0
    redraws = [f[1] - f[0] for f in frames]
    return len(frames) / (end - start) * 1000, statistics.median(redraws), max(redraws)


def cases(folder: Path, sizes: list[int], dense: bool) -> Iterator[tuple[str, float, View]]:
    """(name, build seconds, view) for each synthetic size, then the dense 2,000-node view."""
    for size in sizes:
        source = folder / f"synthetic-{size}.ttl"
        source.write_text(synthetic_turtle(size), encoding="utf-8")
        kg = ipgraph.load(data.vocabulary_file(), source, bundled=False)
        build_s, view = timed(lambda kg=kg: kg.view(max_nodes=None))
        yield str(size), build_s, view
    if dense:
        source = folder / "synth-30000.nt"
        synth.write(source, 30_000, seed=1)
        kg = ipgraph.load(data.vocabulary_file(), source, bundled=False)
        build_s, view = timed(lambda: kg.view(max_nodes=2000))
        yield "2000-dense", build_s, view


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 400, 2_000, 10_000])
    parser.add_argument(
        "--dense",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="add the dense 2,000-node view (default: yes)",
    )
    parser.add_argument("--pyvis", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per page")
    options = parser.parse_args()
    header = (
        f"{'view':>10} {'nodes':>6} {'edges':>6} | {'build s':>7} | {'1st frame s':>11} | "
        f"{'pyvis s':>7} | {'ratio':>6} | {'redraw ms':>9} | {'pan fps':>7} | "
        f"{'frame ms':>8} | {'max ms':>6}"
    )
    print(header)
    print("-" * len(header))
    refused: list[str] = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, build_s, view in cases(Path(folder), options.sizes, options.dense):
            ours = write_html(view, Path(folder) / f"ipgraph-{name}.html")
            page, asked = open_page(browser, ours)
            mine = first_frame(page, options.timeout)
            redraw_ms = full_redraw(page)
            fps, median_ms, max_ms = pan(page)
            page.close()
            if asked:
                raise SystemExit(f"{ours.name} asked the network for something")
            stock = None
            if options.pyvis:
                theirs = pyvis_page(view, Path(folder) / f"pyvis-{name}.html")
                page, refused = open_page(browser, theirs)
                stock = first_frame(page, options.timeout)
                page.close()

            def shown(value: float | None) -> str:
                if not options.pyvis:
                    return "-"
                return f"{value:.2f}" if value is not None else f">{options.timeout:.0f}"

            ratio = (
                "-"
                if not options.pyvis or not mine
                else f"{stock / mine:.1f}x"
                if stock is not None
                else f">{options.timeout / mine:.0f}x"
            )
            first = f"{mine:.2f}" if mine is not None else f">{options.timeout:.0f}"
            print(
                f"{name:>10} {len(view.nodes):>6} {len(view.edges):>6} | {build_s:>7.2f} | "
                f"{first:>11} | {shown(stock):>7} | {ratio:>6} | {redraw_ms:>9.1f} | {fps:>7.0f} | "
                f"{median_ms:>8.1f} | {max_ms:>6.1f}",
                flush=True,
            )
        browser.close()
    print(
        "\n1st frame: navigation to first canvas paint, headless Chromium 1400x900, file://, "
        "same run. build: RDF -> view data with layout (ipgraph, Python). "
        "ratio: pyvis / ipgraph. redraw: one full drawing of the page's graph (median of 5). "
        "pan: a 120-move mouse drag; fps = frames drawn per second during it (bounded by the "
        "rate the mouse moves arrive), frame = one frame's drawing during the drag (median, "
        "slowest); views over 1,500 nodes move a picture of the last frame while dragged. "
        "pyvis's page asks a CDN for "
        f"bootstrap (refused here: {len(refused)} requests per page); ipgraph's asks for nothing."
    )


if __name__ == "__main__":
    main()
