"""The query page's graph of a CONSTRUCT or DESCRIBE result (``templates/graph.js``), drawn by
vis-network in real headless Chromium: served by this server from the installed pyvis, capped
with a note, zoomed and panned, its nodes labelled and clickable.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

import ipgraph
import page_support
from page_support import Recorder, graph_data, in_browser, open_page, run_and_wait, set_query

# The browser fixtures (module-scoped server, one fresh browser context per test).
base_url = page_support.base_url
page = page_support.page

EVERYTHING = "CONSTRUCT WHERE { ?s ?p ?o }"
CAP = 500  # graph.js MAX_TRIPLES


def node_point(tab: Page, node: str) -> dict[str, float]:
    """Where ``node`` is on the screen (page coordinates of its centre)."""
    point: dict[str, float] = tab.evaluate(
        """(id) => {
          const box = document.getElementById('graph-network');
          const network = box.network;
          const at = network.canvasToDOM(network.getPositions([id])[id]);
          const rect = box.getBoundingClientRect();
          return { x: rect.left + at.x, y: rect.top + at.y };
        }""",
        node,
    )
    return point


@in_browser
def test_vis_network_is_served_from_pyvis_not_fetched(
    page: tuple[Page, Recorder], base_url: str
) -> None:
    tab, _ = page
    script = tab.request.get(base_url + "/static/vis-network.min.js")
    assert script.ok and script.headers["content-type"].startswith("text/javascript")
    assert "vis-network" in script.text()[:400]
    style = tab.request.get(base_url + "/static/vis-network.css")
    assert style.ok and style.headers["content-type"].startswith("text/css")


@in_browser
def test_a_large_construct_is_a_capped_zoomable_graph(
    page: tuple[Page, Recorder], base_url: str, kg: ipgraph.KnowledgeGraph
) -> None:
    tab, recorder = page
    total = len(kg.query(EVERYTHING).graph)
    assert total > CAP
    open_page(tab, base_url + "/")
    set_query(tab, EVERYTHING)
    run_and_wait(tab)
    expect(tab.locator("#meta")).to_contain_text(f"{total:,} triples")
    expect(tab.locator("#graph-caption")).to_contain_text(f"Showing {CAP} of {total:,} triples")
    drawn = graph_data(tab)
    assert len(drawn["edges"]) == CAP
    # a readable size: most of the window, not a thumbnail
    tab.locator("#graph-network").scroll_into_view_if_needed()
    box = tab.locator("#graph-network").bounding_box()
    assert box is not None and box["width"] > 1000 and box["height"] >= 500
    # labels from the graph (fetched by the page), not only CURIEs
    assert "China National Intellectual Property Administration" in drawn["labels"]
    # it opens at a scale where a 14 px label stays readable, on its best-connected node, and
    # shows all of it on request
    assert drawn["scale"] * 14 >= 9
    expect(tab.locator("#graph-caption")).to_contain_text("the best-connected node")
    tab.click("#graph-fit")
    whole = graph_data(tab)
    assert whole["scale"] < drawn["scale"]
    tab.locator("#graph-network").scroll_into_view_if_needed()
    box = tab.locator("#graph-network").bounding_box()
    assert box is not None
    # the wheel zooms in around the pointer; dragging pans
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tab.mouse.move(*centre)
    for _ in range(5):
        tab.mouse.wheel(0, -300)
    tab.wait_for_timeout(300)  # vis-network zooms on animation frames
    zoomed = graph_data(tab)
    assert zoomed["scale"] > whole["scale"] * 1.2
    # drag from empty canvas (dragging a node moves the node, not the view)
    spot = tab.evaluate(
        """() => {
          const box = document.getElementById('graph-network');
          const network = box.network;
          for (let y = 40; y < box.clientHeight - 160; y += 23) {
            for (let x = 40; x < box.clientWidth - 240; x += 23) {
              if (network.getNodeAt({x, y}) === undefined &&
                  network.getEdgeAt({x, y}) === undefined) return [x, y];
            }
          }
          return null;
        }"""
    )
    assert spot is not None
    start = (box["x"] + spot[0], box["y"] + spot[1])
    tab.mouse.move(*start)
    tab.mouse.down()
    tab.mouse.move(start[0] + 200, start[1] + 120, steps=8)
    tab.mouse.up()
    panned = graph_data(tab)
    assert abs(panned["x"] - zoomed["x"]) > 20 and abs(panned["y"] - zoomed["y"]) > 10
    # the Turtle below holds every triple
    assert "@prefix" in (tab.text_content("#graph-text") or "")
    recorder.assert_local(base_url)
    assert recorder.errors == []


@in_browser
def test_a_node_says_what_it_is_and_double_click_describes_it(
    page: tuple[Page, Recorder], base_url: str
) -> None:
    tab, recorder = page
    cnipa = "https://w3id.org/ipgraph/id/agency/cnipa"
    open_page(tab, base_url + "/")
    set_query(tab, f"DESCRIBE <{cnipa}>")
    run_and_wait(tab)
    data: dict[str, Any] = graph_data(tab)
    node = "uri:" + cnipa
    assert node in data["nodes"]
    tab.locator("#graph-network").scroll_into_view_if_needed()
    point = node_point(tab, node)
    tab.mouse.click(point["x"], point["y"])
    selection = tab.locator("#graph-selection")
    expect(selection).to_contain_text("China National Intellectual Property Administration")
    expect(selection).to_contain_text(cnipa)
    expect(selection.locator("a")).to_have_text("describe it")
    # double-click an IRI: the page describes it, as a new entry of the browser's history
    # (one of the graph's own entities, which a DESCRIBE finds triples about)
    own = "uri:https://w3id.org/ipgraph/id/"
    other = next(n for n in sorted(data["nodes"]) if n.startswith(own) and n != node)
    point = node_point(tab, other)
    tab.mouse.dblclick(point["x"], point["y"])
    expect(tab).to_have_url(re.compile(r"/\?query=DESCRIBE"))
    tab.wait_for_selector("#graph-network[data-ready=true]")
    expect(tab.locator(".cm-content")).to_contain_text(other.removeprefix("uri:"))
    tab.go_back()
    expect(tab.locator(".cm-content")).to_contain_text(cnipa)
    recorder.assert_local(base_url)
    assert recorder.errors == []


@in_browser
def test_without_vis_network_the_turtle_stays_and_the_page_says_why(
    page: tuple[Page, Recorder], base_url: str
) -> None:
    tab, recorder = page
    tab.route("**/static/vis-network.min.js", lambda route: route.abort())
    open_page(tab, base_url + "/")
    set_query(tab, "DESCRIBE <https://w3id.org/ipgraph/id/agency/cnipa>")
    run_and_wait(tab)
    expect(tab.locator("#graph-caption")).to_contain_text("could not be drawn")
    assert "@prefix" in (tab.text_content("#graph-text") or "")
    expect(tab.locator("#status")).to_have_text("Done")
    recorder.assert_local(base_url)
    assert [e for e in recorder.errors if "ERR_FAILED" not in e] == []
