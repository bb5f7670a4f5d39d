"""What people see in a graph view, checked in a real headless Chromium (Debian's, Playwright).

Views open fitted to their nodes and labels, path views name every relation readably,
filters leave the picture exactly as it was, counts follow the filters, expansions land in
free space and in view, narrow screens show details, and typing in the search changes no
filter. Pages are opened from file:// with every other request aborted.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Request, Route
from tests.canvas_texts import RECORD, drawn_texts

import ipgraph
from ipgraph.views.build import View
from ipgraph.views.html import write_html

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 1400, 900
PATHS = {
    "path": ("MOF", "Zhejiang"),
    "lanes": ("SAC", "Shanghai"),
    "long": (
        "https://w3id.org/ipgraph/id/agency/state-council",
        "https://w3id.org/ipgraph/id/region/wuxi",
    ),
}


@pytest.fixture(scope="module")
def views(kg: ipgraph.KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("behaviour")
    built: dict[str, View] = {
        "overview": kg.view(),
        "mof": kg.view("MOF", depth=2),
        "agencies": kg.view(agencies=True),
        **{name: kg.view(path=pair) for name, pair in PATHS.items()},
    }
    return {name: (write_html(view, folder / f"{name}.html"), view) for name, view in built.items()}


def open_page(browser: Browser, path: Path, width: int = WIDTH, height: int = HEIGHT) -> Page:
    page = browser.new_page(viewport={"width": width, "height": height})
    errors: list[str] = []

    def guard(route: Route, request: Request) -> None:
        if request.url.startswith(("file://", "data:")):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", guard)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.as_uri())
    page.wait_for_function("window.ipgraph && window.ipgraph.ready === true", timeout=60_000)
    assert errors == []
    return page


@pytest.fixture
def page(browser: Browser, views: dict[str, Any], request: pytest.FixtureRequest) -> Iterator[Page]:
    """The view named by the test's ``page`` parameter, opened at 1400 x 900."""
    opened = open_page(browser, views[request.param][0])
    yield opened
    opened.close()


def camera(page: Page) -> tuple[float, float, float]:
    at = page.evaluate("[ipgraph.network.getViewPosition(), ipgraph.network.getScale()]")
    return (at[0]["x"], at[0]["y"], at[1])


def close(a: tuple[float, ...], b: tuple[float, ...], tolerance: float = 0.01) -> bool:
    return all(abs(x - y) <= tolerance * max(1.0, abs(x)) for x, y in zip(a, b, strict=True))


# Every node drawn, with its disc and its name's box (ipgraph.nameBox), in the canvas's pixels.
DRAWN = """(() => {
  const net = ipgraph.network;
  net.redraw();
  const dom = (x, y) => net.canvasToDOM({ x: x, y: y });
  return net.body.nodeIndices.map((id) => {
    const n = net.body.nodes[id], r = n.options.size, s = net.getScale();
    const c = dom(n.x, n.y);
    return { id: id, x: c.x, y: c.y, r: r * s, label: ipgraph.nameBox(id) };
  });
})()"""


@pytest.mark.parametrize("page", ["mof", "agencies", "overview", "path", "lanes"], indirect=True)
def test_views_open_fitted_with_every_label_inside_and_reset_returns_there(page: Page) -> None:
    box = page.locator("#graph").bounding_box()
    assert box is not None
    drawn = page.evaluate(DRAWN)
    labels = [n["label"] for n in drawn if n["label"]]
    assert labels, "labels are drawn at the opening zoom"
    for left, top, right, bottom in labels:
        assert left >= 0 and top >= 0 and right <= box["width"] and bottom <= box["height"]
    # The drawing, labels included, is centred: as much room left as right.
    left = min(min(n["x"] - n["r"] for n in drawn), min(label[0] for label in labels))
    right = max(max(n["x"] + n["r"] for n in drawn), max(label[2] for label in labels))
    assert abs(left - (box["width"] - right)) < 4
    opening = camera(page)
    page.click("#fit")
    assert close(camera(page), opening)
    page.evaluate("ipgraph.network.moveTo({ position: { x: 400, y: -300 }, scale: 0.3 })")
    page.click("#reset")
    assert close(camera(page), opening)


# The middle of every link shown, in the canvas's pixels, with its relation's name.
MIDDLES = """(() => {
  const net = ipgraph.network;
  return ipgraph.data.edges.map((e) => {
    const a = net.body.nodes[e.from], b = net.body.nodes[e.to];
    const m = net.canvasToDOM({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
    return { label: e.label, middle: [m.x, m.y] };
  });
})()"""


def overlaps(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def disc_overlaps(box: list[float], x: float, y: float, r: float) -> bool:
    nearest_x = min(max(x, box[0]), box[2])
    nearest_y = min(max(y, box[1]), box[3])
    return (nearest_x - x) ** 2 + (nearest_y - y) ** 2 < r * r


@pytest.mark.parametrize("page", list(PATHS), indirect=True)
def test_path_views_show_every_relation_name_readably(
    page: Page, views: dict[str, Any], request: pytest.FixtureRequest
) -> None:
    view: View = views[request.node.callspec.params["page"]][1]
    box = page.locator("#graph").bounding_box()
    assert box is not None
    page.add_init_script(RECORD)
    page.reload()
    page.wait_for_function("window.ipgraph && window.ipgraph.ready === true", timeout=60_000)
    links = page.evaluate(MIDDLES)
    nodes = page.evaluate(DRAWN)
    texts = drawn_texts(page)
    assert sorted(link["label"] for link in links) == sorted(e["label"] for e in view.edges)
    names = {link["label"] for link in links}
    drawn = [t for t in texts if t["text"] in names]
    assert sorted(t["text"] for t in drawn) == sorted(link["label"] for link in links)
    for text in drawn:
        name, label = text["text"], text["box"]
        assert not text["rotated"], name
        assert text["px"] >= 11.5, f"{name!r} is {text['px']:.1f} px high"
        assert label[0] >= 0 and label[1] >= 0
        assert label[2] <= box["width"] and label[3] <= box["height"]
        # At the middle of its link, and covered by no node and no other name.
        centre = ((label[0] + label[2]) / 2, (label[1] + label[3]) / 2)
        assert any(
            link["label"] == name
            and abs(centre[0] - link["middle"][0]) < 2
            and abs(centre[1] - link["middle"][1]) < 2
            for link in links
        ), f"{name!r} is not at the middle of its link"
        for node in nodes:
            assert not disc_overlaps(label, node["x"], node["y"], node["r"]), (name, node["id"])
        for other in texts:
            assert other is text or not overlaps(label, other["box"]), (name, other["text"])
    hops = max(n["hop"] for n in view.nodes)
    if hops <= 4:
        assert camera(page)[2] >= 1.0  # the chain fits at zoom 1: names at their full size


PNG = b"\x89PNG\r\n\x1a\n"


def pixels(data: bytes) -> list[bytes]:
    """The rows of an 8-bit RGB(A) PNG's pixels (zlib and the five row filters undone)."""
    assert data[:8] == PNG
    pos, idat, width, channels = 8, b"", 0, 0
    height = 0
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height = int.from_bytes(body[:4], "big"), int.from_bytes(body[4:8], "big")
            channels = 3 if body[9] == 2 else 4
        elif kind == b"IDAT":
            idat += body
    raw, stride, rows = zlib.decompress(idat), width * channels, []
    previous = bytearray(stride)
    for row in range(height):
        start = row * (stride + 1)
        kind_of_filter, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b, c = previous[x], previous[x - channels] if x >= channels else 0
            if kind_of_filter == 1:
                line[x] = (line[x] + a) & 0xFF
            elif kind_of_filter == 2:
                line[x] = (line[x] + b) & 0xFF
            elif kind_of_filter == 3:
                line[x] = (line[x] + ((a + b) >> 1)) & 0xFF
            elif kind_of_filter == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return rows


def changed(before: bytes, after: bytes) -> int:
    """How many pixels differ between two screenshots of the same size."""
    first, second = pixels(before), pixels(after)
    return sum(
        sum(1 for i in range(0, len(a), 3) if a[i : i + 3] != b[i : i + 3])
        for a, b in zip(first, second, strict=True)
    )


@pytest.mark.parametrize("page", ["overview", "mof"], indirect=True)
def test_hiding_and_showing_every_class_and_relation_leaves_the_picture_unchanged(
    page: Page,
) -> None:
    graph = page.locator("#graph")
    before = graph.screenshot()
    for box in page.locator("#legend input, #relations input").all():
        if not box.is_visible():
            continue
        box.uncheck()
        box.check()
    page.evaluate("ipgraph.network.redraw()")
    after = graph.screenshot()
    assert changed(before, after) == 0


@pytest.mark.parametrize("page", ["overview"], indirect=True)
def test_link_count_follows_the_class_filters(page: Page) -> None:
    for box in page.locator("#legend input").all():
        if box.is_visible():
            box.uncheck()
    assert page.inner_text("#counts").startswith("0 nodes · 0 links")


@pytest.mark.parametrize("page", ["mof"], indirect=True)
def test_link_count_leaves_out_the_links_of_a_hidden_node(
    page: Page, views: dict[str, Any], kg: ipgraph.KnowledgeGraph
) -> None:
    view: View = views["mof"][1]
    mof = str(kg.resolve("MOF"))
    page.evaluate(f"ipgraph.hide({mof!r})")
    kept = [e for e in view.edges if mof not in (e["from"], e["to"])]
    assert page.inner_text("#counts").startswith(f"{len(view.nodes) - 1} nodes · {len(kept)} links")
    assert page.evaluate("ipgraph.network.body.edgeIndices.length") == len(kept)


# Where every node drawn is, in graph units, with its radius.
WORLD = """(() => {
  const net = ipgraph.network, out = {};
  net.body.nodeIndices.forEach((id) => {
    const n = net.body.nodes[id];
    out[id] = [n.x, n.y, n.options.size];
  });
  return out;
})()"""


@pytest.mark.parametrize("page", ["mof"], indirect=True)
def test_expansion_lands_in_free_space_and_is_brought_into_view(
    page: Page, kg: ipgraph.KnowledgeGraph
) -> None:
    cnipa = str(kg.resolve("CNIPA"))
    old = page.evaluate(WORLD)
    scale = camera(page)[2]
    point = page.evaluate(f"ipgraph.network.canvasToDOM(ipgraph.network.getPosition({cnipa!r}))")
    box = page.locator("#graph").bounding_box()
    assert box is not None
    page.mouse.dblclick(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_function("ipgraph.moving === false", timeout=20_000)
    world = page.evaluate(WORLD)
    fresh = set(world) - set(old)
    assert len(fresh) > 10, "CNIPA has many neighbours to add"
    assert {key: world[key] for key in old} == old  # nothing drawn moved
    # Each new node is clear of every other node: disc, disc and a gap.
    for key in fresh:
        x, y, r = world[key]
        for other, (ox, oy, other_r) in world.items():
            if other != key:
                assert ((x - ox) ** 2 + (y - oy) ** 2) ** 0.5 >= r + other_r + 20, (key, other)
    # The node and its new neighbours, labels included, are in sight once the camera has moved.
    for node in page.evaluate(DRAWN):
        if node["id"] not in fresh | {cnipa}:
            continue
        left, top, right, bottom = node["label"] or [node["x"], node["y"], node["x"], node["y"]]
        assert min(node["x"], left) >= -2 and max(node["x"], right) <= box["width"] + 2
        assert min(node["y"], top) >= -2 and max(node["y"], bottom) <= box["height"] + 2
    assert camera(page)[2] <= max(scale, 1.0) + 1e-9


NARROW = (420, 800)


def in_sight(page: Page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    return (
        box is not None
        and box["x"] >= 0
        and box["x"] + box["width"] <= NARROW[0]
        and box["y"] >= 0
        and box["y"] < NARROW[1]
        and box["height"] > 0
    )


def node_above_sheet(page: Page, node: str) -> bool:
    graph = page.locator("#graph").bounding_box()
    assert graph is not None
    at = page.evaluate(f"ipgraph.network.canvasToDOM(ipgraph.network.getPosition({node!r}))")
    sheet = page.locator("#sheet").bounding_box()
    top = sheet["y"] if sheet else graph["y"] + graph["height"]
    y = graph["y"] + at["y"]
    return bool(0 <= at["x"] <= graph["width"] and graph["y"] <= y < top)


def test_narrow_screens_show_details_in_sight(
    browser: Browser, views: dict[str, Any], kg: ipgraph.KnowledgeGraph
) -> None:
    page = open_page(browser, views["overview"][0], *NARROW)
    miit = str(kg.resolve("MIIT"))
    graph = page.locator("#graph").bounding_box()
    assert graph is not None
    point = page.evaluate(f"ipgraph.network.canvasToDOM(ipgraph.network.getPosition({miit!r}))")
    page.mouse.click(graph["x"] + point["x"], graph["y"] + point["y"])
    assert "工业和信息化部" in page.inner_text("#details")
    assert in_sight(page, "#details")
    assert node_above_sheet(page, miit)
    page.click(".sheet-close")
    assert not page.locator("#sheet").is_visible()
    # The search: the panel closes on choosing, so the camera's move is seen.
    page.click("#panel-toggle")
    page.fill("#search", "工信部")
    page.press("#search", "Enter")
    # The panel slides out of sight (a 0.15 s transition).
    page.wait_for_function("document.getElementById('panel').getBoundingClientRect().right <= 0")
    assert "工业和信息化部" in page.inner_text("#details")
    assert in_sight(page, "#details")
    assert node_above_sheet(page, miit)
    page.close()


@pytest.mark.parametrize("page", ["overview"], indirect=True)
def test_typing_in_the_search_changes_no_filter_and_picking_shows_one_node(
    page: Page, kg: ipgraph.KnowledgeGraph
) -> None:
    zhejiang = str(kg.resolve("Zhejiang"))
    region = page.locator('#legend input[data-group="region"]')
    region.uncheck()
    drawn = page.evaluate("ipgraph.network.body.nodeIndices.length")
    page.locator("#search").press_sequentially("Zhej")
    assert not region.is_checked()
    assert page.evaluate("ipgraph.network.body.nodeIndices.length") == drawn
    assert "hidden by a filter" in page.inner_text("#search-status")
    page.press("#search", "Enter")
    shown = page.evaluate("ipgraph.network.body.nodeIndices")
    assert zhejiang in shown and len(shown) == drawn + 1  # that one node, not its class
    assert not region.is_checked()
    assert page.evaluate("ipgraph.network.getSelectedNodes()") == [zhejiang]
    region.check()
    region.uncheck()  # the box speaks for the whole class again
    assert zhejiang not in page.evaluate("ipgraph.network.body.nodeIndices")


@pytest.mark.parametrize("page", ["overview", "agencies", "mof", *PATHS], indirect=True)
def test_no_relation_name_is_drawn_away_from_its_link(page: Page) -> None:
    # vis-network draws a name aligned along its link at the page's origin when the link
    # points exactly right to left (it skips the rotation for an angle of 0).
    misplaced = page.evaluate(
        """ipgraph.network.body.edgeIndices.filter((id) => {
             const e = ipgraph.network.body.edges[id];
             return e.options.label !== undefined && e.options.font.align !== "horizontal"
               && e.from.y === e.to.y && e.from.x > e.to.x;
           })"""
    )
    assert misplaced == []


@pytest.mark.parametrize("page", ["overview"], indirect=True)
def test_relax_moves_only_what_is_drawn(page: Page) -> None:
    page.locator('#legend input[data-group="agency"]').uncheck()
    everywhere = """(() => { const out = {};
      Object.values(ipgraph.network.body.nodes).forEach((n) => { out[n.id] = [n.x, n.y]; });
      return out; })()"""
    before = page.evaluate(everywhere)
    hidden = set(before) - set(page.evaluate("ipgraph.network.body.nodeIndices"))
    assert hidden
    page.click("#relax")
    page.wait_for_function(
        f"(() => {{ const was = {json.dumps(before)};"
        " return ipgraph.network.body.nodeIndices.some((id) =>"
        " Math.abs(ipgraph.network.body.nodes[id].x - was[id][0]) > 1); })()",
        timeout=20_000,
    )
    page.click("#relax")  # stop
    after = page.evaluate(everywhere)
    assert {key: after[key] for key in hidden} == {key: before[key] for key in hidden}
