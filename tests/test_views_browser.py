"""Graph views in a real headless Chromium (Debian's, driven by Playwright).

Each page is opened from file:// with every request recorded and anything that is not a
file:// URL aborted; the tests then read what vis-network actually drew.
"""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from playwright.sync_api import Browser, Page, Request, Route

import ipgraph
from ipgraph.views.build import View
from ipgraph.views.html import write_html

pytestmark = pytest.mark.browser

EVIL_TTL = """
@prefix ipg: <https://w3id.org/ipgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/evil/doc> a ipg:Notice ;
    rdfs:label "<script>window.__pwned=1</script>"@en ;
    ipg:issuedBy <https://w3id.org/ipgraph/id/agency/cnipa> , <https://example.org/evil/agency> .
<https://example.org/evil/agency> a ipg:Agency ;
    rdfs:label "<img src=x onerror=\\"window.__pwned=1\\">"@en .
"""
SCRIPT_LABEL = "<script>window.__pwned=1</script>"
IMG_LABEL = '<img src=x onerror="window.__pwned=1">'


@dataclass
class Opened:
    """A page opened from file://, with what it asked for and what it complained about."""

    page: Page
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def js(self, expression: str) -> Any:
        return self.page.evaluate(expression)


@pytest.fixture(scope="module")
def views(kg: ipgraph.KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The five kinds of view, and the injection sample, written to a temporary folder."""
    folder = tmp_path_factory.mktemp("views")
    evil_file = folder / "evil.ttl"
    evil_file.write_text(EVIL_TTL, encoding="utf-8")
    built = {
        "overview": kg.view(),
        "neighbourhood": kg.view("CNIPA", depth=2),
        "path": kg.view(path=("MOF", "Zhejiang")),
        "agencies": kg.view(agencies=True),
        "query": kg.view(query="CONSTRUCT { ?d ipg:issuedBy ?a } WHERE { ?d ipg:issuedBy ?a }"),
        "fixed": kg.view(layout="fixed"),
        "physics": kg.view(layout="physics"),
        "moe": kg.view("MOE", depth=1),
        "lanes": kg.view(path=("MIIT", "universities")),
        "evil": ipgraph.load(evil_file).view(),
    }
    return {name: (write_html(view, folder / f"{name}.html"), view) for name, view in built.items()}


def open_view(browser: Browser, path: Path, width: int = 1280, height: int = 800) -> Opened:
    page = browser.new_page(viewport={"width": width, "height": height}, accept_downloads=True)
    opened = Opened(page)

    def guard(route: Route, request: Request) -> None:
        if request.url.startswith(("file://", "data:")):
            route.continue_()
        else:
            opened.blocked.append(request.url)
            route.abort()

    page.route("**/*", guard)
    page.on("request", lambda request: opened.requests.append(request.url))
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: opened.errors.append(str(exc)))
    page.goto(path.as_uri())
    page.wait_for_function("window.ipgraph && window.ipgraph.ready === true", timeout=60_000)
    first = page.evaluate("ipgraph.firstFrame")
    print(f"{path.name}: first frame drawn {first:.0f} ms after navigation")  # never asserted
    return opened


@pytest.fixture
def opened(
    browser: Browser, views: dict[str, Any], request: pytest.FixtureRequest
) -> Iterator[Opened]:
    """The view named by the test's ``view`` parameter, opened and settled."""
    path, _ = views[request.param]
    result = open_view(browser, path)
    yield result
    result.page.close()


ALL = ["overview", "neighbourhood", "path", "agencies", "query", "fixed", "physics", "evil"]


@pytest.mark.parametrize("opened", ALL, indirect=True)
def test_page_loads_offline_without_errors(opened: Opened) -> None:
    assert opened.errors == []
    assert opened.blocked == []
    assert all(url.startswith("file://") for url in opened.requests)
    assert len(opened.requests) == 1  # the page itself, nothing else


@pytest.mark.parametrize("opened", ALL, indirect=True)
def test_the_page_unpacks_exactly_the_view(
    opened: Opened, views: dict[str, Any], request: pytest.FixtureRequest
) -> None:
    view: View = views[request.node.callspec.params["opened"]][1]
    assert opened.js("ipgraph.data") == json.loads(json.dumps(view.to_dict()))


@pytest.mark.parametrize("opened", ALL, indirect=True)
def test_nodes_and_edges_drawn_equal_the_view(
    opened: Opened, views: dict[str, Any], request: pytest.FixtureRequest
) -> None:
    view: View = views[request.node.callspec.params["opened"]][1]
    counts = opened.js(
        "[ipgraph.network.body.data.nodes.length, ipgraph.network.body.data.edges.length,"
        " ipgraph.network.body.nodeIndices.length, ipgraph.network.body.edgeIndices.length]"
    )
    assert counts == [len(view.nodes), len(view.edges), len(view.nodes), len(view.edges)]
    drawn = set(opened.js("ipgraph.network.body.nodeIndices"))
    assert drawn == view.node_ids()
    # The layout stays still once it has settled.
    assert opened.js("ipgraph.network.physics.options.enabled") is False


@pytest.mark.parametrize("opened", ["overview", "agencies"], indirect=True)
@pytest.mark.parametrize("text", ["工信部", "MIIT", "ministry of industry", "工业和信息化部"])
def test_search_selects_miit(opened: Opened, text: str, kg: ipgraph.KnowledgeGraph) -> None:
    opened.page.fill("#search", text)
    assert opened.js("ipgraph.network.getSelectedNodes()") == [str(kg.resolve("MIIT"))]
    assert "Ministry of Industry and Information Technology" in opened.page.inner_text("#details")
    assert "工业和信息化部" in opened.page.inner_text("#search-status")
    opened.page.fill("#search", "no such thing at all")
    assert opened.js("ipgraph.network.getSelectedNodes()") == []
    assert opened.page.inner_text("#search-status") == "no match"


@pytest.mark.parametrize("opened", ["overview"], indirect=True)
def test_class_checkboxes_filter_nodes(opened: Opened, views: dict[str, Any]) -> None:
    view: View = views["overview"][1]
    agencies = sum(1 for n in view.nodes if n["group"] == "agency")
    box = opened.page.locator('#legend input[data-group="agency"]')
    box.uncheck()
    assert opened.js("ipgraph.network.body.nodeIndices.length") == len(view.nodes) - agencies
    box.check()
    assert opened.js("ipgraph.network.body.nodeIndices.length") == len(view.nodes)
    legend = opened.page.inner_text("#legend")
    for entry in view.legend:
        assert f"{entry['label']} · {entry['label_zh']} ({entry['count']})" in legend


@pytest.mark.parametrize("opened", ["overview", "path", "fixed"], indirect=True)
def test_screenshot_is_not_blank(opened: Opened) -> None:
    colours = png_colours(opened.page.locator("#graph").screenshot())
    assert len(colours) > 30
    agency_red = (0xC0, 0x39, 0x2B)  # the agency class colour is drawn
    assert agency_red in colours


@pytest.mark.parametrize("opened", ["evil"], indirect=True)
def test_injected_labels_render_as_text(opened: Opened) -> None:
    page = opened.page
    assert page.evaluate("typeof window.__pwned") == "undefined"
    for text, label in (("pwned=1</script>", SCRIPT_LABEL), ("onerror", IMG_LABEL)):
        page.fill("#search", text)
        details = page.locator("#details")
        assert label in details.inner_text()
        assert details.locator("img, script").count() == 0
        # Hover the node: the page shows its tooltip, built from text nodes only.
        node = page.evaluate("ipgraph.network.getSelectedNodes()[0]")
        point = page.evaluate(f"ipgraph.network.canvasToDOM(ipgraph.network.getPosition({node!r}))")
        box = page.locator("#graph").bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
        tooltip = page.locator("#tooltip")
        tooltip.wait_for(state="visible", timeout=5_000)
        assert label in tooltip.inner_text()
        assert tooltip.locator("img, script").count() == 0
        page.mouse.move(1, 1)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert opened.errors == []


def test_the_built_site_opens_offline(
    browser: Browser, kg: ipgraph.KnowledgeGraph, tmp_path: Path
) -> None:
    index = kg.render_site(Path(__file__).parents[1] / "graphs" / "views.toml", tmp_path)
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(index.as_uri())
    links = page.locator("a")
    assert links.count() >= 7
    links.first.click()
    page.wait_for_function("window.ipgraph && window.ipgraph.ready === true", timeout=60_000)
    assert all(url.startswith("file://") for url in requests)
    page.close()


def positions(opened: Opened) -> dict[str, tuple[float, float]]:
    # The nodes drawn: filters hide nodes in place, they stay in the network.
    found = opened.js("ipgraph.network.getPositions(ipgraph.network.body.nodeIndices)")
    return {key: (round(p["x"], 3), round(p["y"], 3)) for key, p in found.items()}


def click_node(opened: Opened, node: str, clicks: int = 1) -> None:
    point = opened.js(f"ipgraph.network.canvasToDOM(ipgraph.network.getPosition({node!r}))")
    box = opened.page.locator("#graph").bounding_box()
    assert box is not None
    opened.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"], click_count=clicks)


@pytest.mark.parametrize("opened", ["overview"], indirect=True)
def test_hiding_and_showing_classes_and_relations_keeps_every_position(opened: Opened) -> None:
    before = positions(opened)
    for group in opened.js("ipgraph.data.legend.map(function (g) { return g.key; })"):
        box = opened.page.locator(f'#legend input[data-group="{group}"]')
        box.uncheck()
        assert set(positions(opened)) < set(before)
        box.check()
    relation = opened.page.locator("#relations input").first
    edges = opened.js("ipgraph.network.body.edgeIndices.length")
    relation.uncheck()
    assert opened.js("ipgraph.network.body.edgeIndices.length") < edges
    relation.check()
    assert positions(opened) == before


@pytest.mark.parametrize("opened", ["overview"], indirect=True)
def test_first_frame_is_fitted_and_still(opened: Opened) -> None:
    assert opened.js("ipgraph.network.physics.options.enabled") is False
    assert opened.js("ipgraph.network.getScale()") > 0.5  # labels readable, not a speck
    box = opened.page.locator("#graph").bounding_box()
    assert box is not None
    dom = opened.js(
        "Object.values(ipgraph.network.getPositions()).map(function (p) {"
        " return ipgraph.network.canvasToDOM(p); })"
    )
    xs, ys = [p["x"] for p in dom], [p["y"] for p in dom]
    assert min(xs) >= 0 and max(xs) <= box["width"] and min(ys) >= 0 and max(ys) <= box["height"]
    # The drawing uses the canvas: most of its width or height.
    assert (max(xs) - min(xs)) / box["width"] > 0.6 or (max(ys) - min(ys)) / box["height"] > 0.6
    before = positions(opened)
    opened.page.wait_for_timeout(500)
    assert positions(opened) == before


@pytest.mark.parametrize("opened", ["overview"], indirect=True)
def test_click_highlights_neighbours_and_background_clears(
    opened: Opened, kg: ipgraph.KnowledgeGraph
) -> None:
    miit = str(kg.resolve("MIIT"))
    click_node(opened, miit)
    neighbours = set(opened.js(f"ipgraph.network.getConnectedNodes({miit!r})"))
    assert set(opened.js("ipgraph.highlighted()")) == neighbours | {miit}
    assert "工业和信息化部" in opened.page.inner_text("#details")
    box = opened.page.locator("#graph").bounding_box()
    assert box is not None
    opened.page.mouse.click(box["x"] + 3, box["y"] + box["height"] - 3)  # empty corner
    assert "工业和信息化部" not in opened.page.inner_text("#details")
    assert len(opened.js("ipgraph.highlighted()")) == opened.js("ipgraph.nodes.length")


@pytest.mark.parametrize("opened", ["moe"], indirect=True)
def test_double_click_expands_and_hide_hides(
    opened: Opened, views: dict[str, Any], kg: ipgraph.KnowledgeGraph
) -> None:
    view: View = views["moe"][1]
    before = positions(opened)
    beyond: dict[str, set[str]] = {node: set() for node in view.node_ids()}
    for e in view.reserve["edges"]:
        for here, there in ((e["from"], e["to"]), (e["to"], e["from"])):
            if here in beyond and there not in beyond:
                beyond[here].add(there)
    cnipa = max(sorted(beyond), key=lambda node: len(beyond[node]))  # the most to add
    ring = beyond[cnipa]
    assert ring, "MOE's neighbours have neighbours of their own"
    click_node(opened, cnipa, clicks=2)
    after = positions(opened)
    assert set(after) == set(before) | ring
    assert {key: after[key] for key in before} == before  # nothing already drawn moved
    assert opened.js("ipgraph.network.body.edgeIndices.length") > len(view.edges)
    legend = opened.page.inner_text("#legend")
    assert "(0)" not in legend
    opened.js(f"ipgraph.hide({cnipa!r})")
    assert cnipa not in positions(opened)
    opened.page.click("#unhide")
    assert cnipa in positions(opened)
    opened.page.click("#reset")
    assert positions(opened) == before


@pytest.mark.parametrize("opened", ["lanes", "path"], indirect=True)
def test_paths_read_left_to_right(opened: Opened, views: dict[str, Any]) -> None:
    view: View = views[opened.page.url.rsplit("/", 1)[-1].removesuffix(".html")][1]
    x = {key: p[0] for key, p in positions(opened).items()}
    y = {key: p[1] for key, p in positions(opened).items()}
    hop = {n["id"]: n["hop"] for n in view.nodes}
    start, end = view.meta["focus"]
    assert x[start] == min(x.values()) < max(x.values()) == x[end]
    assert y[start] == y[end]
    for a in hop:
        for b in hop:
            if hop[a] < hop[b]:
                assert x[a] < x[b]


@pytest.mark.parametrize("opened", ["overview"], indirect=True)
def test_keyboard_search_moves_the_camera_only_on_enter(opened: Opened) -> None:
    page = opened.page
    camera = opened.js("[ipgraph.network.getViewPosition(), ipgraph.network.getScale()]")
    page.fill("#search", "ministry")
    first = opened.js("ipgraph.network.getSelectedNodes()")
    assert len(first) == 1
    assert opened.js("[ipgraph.network.getViewPosition(), ipgraph.network.getScale()]") == camera
    assert page.locator("#matches li").count() > 1
    page.press("#search", "ArrowDown")
    second = opened.js("ipgraph.network.getSelectedNodes()")
    assert second != first
    assert page.locator('#matches li[aria-selected="true"]').count() == 1
    page.press("#search", "ArrowUp")
    assert opened.js("ipgraph.network.getSelectedNodes()") == first
    assert opened.js("[ipgraph.network.getViewPosition(), ipgraph.network.getScale()]") == camera
    page.press("#search", "Enter")
    centre = opened.js("ipgraph.network.getViewPosition()")
    target = opened.js(f"ipgraph.network.getPosition({first[0]!r})")
    assert abs(centre["x"] - target["x"]) < 1 and abs(centre["y"] - target["y"]) < 1


@pytest.mark.parametrize("opened", ["agencies"], indirect=True)
def test_png_and_graphml_downloads(opened: Opened, views: dict[str, Any], tmp_path: Path) -> None:
    with opened.page.expect_download() as caught:
        opened.page.click("#png")
    png = Path(caught.value.path()).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert caught.value.suggested_filename == "agencies.png"
    assert (0xC0, 0x39, 0x2B) in png_colours(png)  # the agencies are in the picture
    with opened.page.expect_download() as caught:
        opened.page.click("#graphml")
    target = tmp_path / "agencies.graphml"
    caught.value.save_as(target)
    graph = nx.read_graphml(target)
    view: View = views["agencies"][1]
    assert set(graph.nodes) == view.node_ids()
    assert graph.number_of_edges() == len(view.edges)
    weights = sorted(d["weight"] for _, _, d in graph.edges(data=True))
    assert weights == sorted(e["weight"] for e in view.edges)
    assert opened.blocked == []


@pytest.mark.parametrize("opened", ["overview"], indirect=True)
def test_gexf_download_is_the_subgraph_shown(
    opened: Opened, views: dict[str, Any], kg: ipgraph.KnowledgeGraph, tmp_path: Path
) -> None:
    view: View = views["overview"][1]
    miit, cnipa = str(kg.resolve("MIIT")), str(kg.resolve("CNIPA"))
    opened.page.fill("#search", "工信部")
    opened.page.locator("#details button", has_text="Hide").click()
    with opened.page.expect_download() as caught:
        opened.page.click("#gexf")
    assert caught.value.suggested_filename == "overview.gexf"
    target = tmp_path / "overview.gexf"
    caught.value.save_as(target)
    text = target.read_text(encoding="utf-8")
    assert '<gexf xmlns="http://gexf.net/1.3"' in text and 'version="1.3"' in text
    graph = nx.read_gexf(target, version="1.3")
    shown = view.node_ids() - {miit}
    assert set(graph.nodes) == shown
    links = [e for e in view.edges if miit not in (e["from"], e["to"])]
    assert graph.number_of_edges() == len(links)
    assert graph.nodes[cnipa]["label"] == "China National Intellectual Property Administration"
    assert graph.nodes[cnipa]["zh"] == "国家知识产权局"
    assert graph.nodes[cnipa]["class"] == "agency"
    where = opened.js(f"ipgraph.network.getPosition({cnipa!r})")
    position = graph.nodes[cnipa]["viz"]["position"]
    assert (position["x"], position["y"]) == pytest.approx((where["x"], -where["y"]))
    assert opened.blocked == []


def test_narrow_screens_collapse_the_panel(browser: Browser, views: dict[str, Any]) -> None:
    opened = open_view(browser, views["overview"][0], width=420, height=800)
    page = opened.page
    graph = page.locator("#graph").bounding_box()
    assert graph is not None and graph["width"] >= 400
    panel = page.locator("#panel").bounding_box()
    assert panel is not None and panel["x"] + panel["width"] <= 0  # slid out of sight
    page.click("#panel-toggle")
    page.wait_for_timeout(300)
    panel = page.locator("#panel").bounding_box()
    assert panel is not None and panel["x"] >= 0 and panel["width"] <= 420
    page.fill("#search", "工信部")
    assert "工业和信息化部" in page.inner_text("#details")
    assert opened.errors == [] and opened.blocked == []
    page.close()


def test_a_2000_node_view_opens_with_every_node_and_pans(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from ipgraph import synth

    folder = tmp_path_factory.mktemp("big")
    synth.write(folder / "synthetic.nt", 30_000, seed=1)
    big = ipgraph.load(folder / "synthetic.nt", bundled=False).view(max_nodes=2000)
    page_file = write_html(big, folder / "big.html")
    opened = open_view(browser, page_file, width=1400, height=900)
    assert opened.js("ipgraph.network.body.nodeIndices.length") == len(big.nodes) == 2000
    assert opened.js("ipgraph.network.physics.options.enabled") is False
    # It pans: while dragged the page moves a picture of the last frame (never a blank canvas),
    # and on release the view has moved by the drag and is drawn again in full.
    page, scale = opened.page, opened.js("ipgraph.network.getScale()")
    before = opened.js("ipgraph.network.getViewPosition()")
    box = page.locator("#graph").bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 120, y + 60, steps=6)
    assert len(png_colours(page.locator("#graph").screenshot())) > 30
    page.mouse.up()
    after = opened.js("ipgraph.network.getViewPosition()")
    assert after["x"] == pytest.approx(before["x"] - 120 / scale, abs=2 / scale)
    assert after["y"] == pytest.approx(before["y"] - 60 / scale, abs=2 / scale)
    assert opened.errors == [] and opened.blocked == []
    opened.page.close()


def png_colours(data: bytes) -> set[tuple[int, int, int]]:
    """The distinct RGB colours of an 8-bit RGB(A) PNG (a tiny decoder: zlib + unfiltering)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    width = height = channels = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour_type = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour_type in (2, 6), "only 8-bit RGB or RGBA"
            channels = 3 if colour_type == 2 else 4
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    colours: set[tuple[int, int, int]] = set()
    for row in range(height):
        start = row * (stride + 1)
        kind_of_filter = raw[start]
        line = bytearray(raw[start + 1 : start + 1 + stride])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = previous[x]
            c = previous[x - channels] if x >= channels else 0
            if kind_of_filter == 1:
                line[x] = (line[x] + a) & 0xFF
            elif kind_of_filter == 2:
                line[x] = (line[x] + b) & 0xFF
            elif kind_of_filter == 3:
                line[x] = (line[x] + ((a + b) >> 1)) & 0xFF
            elif kind_of_filter == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                predictor = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[x] = (line[x] + predictor) & 0xFF
        for x in range(0, stride, channels):
            colours.add((line[x], line[x + 1], line[x + 2]))
        previous = line
    return colours
