"""Served graph views fetch the neighbours they did not embed (view_fetch.js), in real headless
Chromium against a real ``ipgraph serve`` on a loopback port; from file:// they never ask."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from tests.web_server import serve_process

import ipgraph
from ipgraph.views.build import View
from ipgraph.views.html import write_html

pytestmark = pytest.mark.browser


def _without_reserve(view: View) -> View:
    """The view as if its embedded neighbours had hit their cap: none embedded."""
    view.reserve = {"nodes": [], "edges": []}
    return view


def _busiest(view: View) -> str:
    """The drawn node with the most neighbours the page does not draw."""
    drawn: dict[str, set[str]] = {node: set() for node in view.node_ids()}
    for edge in view.edges:
        drawn[edge["from"]].add(edge["to"])
        drawn[edge["to"]].add(edge["from"])
    by_id = {node["id"]: node for node in view.nodes}
    return max(sorted(drawn), key=lambda n: by_id[n]["neighbours"] - len(drawn[n]))


def _open(browser: Browser, url: str) -> tuple[Page, list[str]]:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url)
    _until(page, "window.ipgraph && window.ipgraph.ready === true")
    return page, requests


def _until(page: Page, expression: str, tries: int = 600) -> None:
    """Poll ``expression`` (a served page's CSP forbids the eval that wait_for_function uses)."""
    for _ in range(tries):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {expression}")


def _double_click(page: Page, node: str) -> None:
    point = page.evaluate(f"ipgraph.network.canvasToDOM(ipgraph.network.getPosition({node!r}))")
    box = page.locator("#graph").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"], click_count=2)


@pytest.fixture(scope="module")
def site(kg: ipgraph.KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("served")
    pages = folder / "graphs" / "site"
    pages.mkdir(parents=True)
    (pages / "index.html").write_text("<!DOCTYPE html><title>views</title>", encoding="utf-8")
    view = _without_reserve(kg.view("MOE", depth=1))
    write_html(view, pages / "moe.html")
    return {"folder": folder, "page": pages / "moe.html", "view": view}


def test_a_served_view_fetches_neighbours_it_did_not_embed(
    browser: Browser, site: dict[str, Any], kg: ipgraph.KnowledgeGraph
) -> None:
    view: View = site["view"]
    node = _busiest(view)
    with serve_process(Path(site["folder"])) as server:
        page, requests = _open(browser, server.url + "graphs/moe.html")
        try:
            before = set(page.evaluate("ipgraph.nodes.getIds()"))
            _double_click(page, node)
            _until(
                page, f"ipgraph.nodes.length > {len(before)}"
            )  # the answer arrived and was drawn
            after = set(page.evaluate("ipgraph.nodes.getIds()"))
            asked = [url for url in requests if "/views/expand?" in url]
            assert asked and all(url.startswith(server.url) for url in asked)  # same origin
            projection = kg.projection()
            around = {
                str(n)
                for n in {
                    *projection.successors(kg.resolve(node)),
                    *projection.predecessors(kg.resolve(node)),
                }
            }
            assert after - before and after - before <= around  # new nodes, all its neighbours
            # The fetched links carry their statements' sources, like the embedded ones.
            rows = page.evaluate(
                "ipgraph.edges.get().filter(function (e) { return e.id.indexOf('rx') === 0; })"
                ".map(function (e) { return JSON.stringify(ipgraph.link(e.id).info); })"
            )
            assert rows and all("source" in text for text in rows)
        finally:
            page.close()


def test_from_file_no_request_is_made(browser: Browser, site: dict[str, Any]) -> None:
    view: View = site["view"]
    page, requests = _open(browser, Path(site["page"]).as_uri())
    try:
        before = page.evaluate("ipgraph.nodes.length")
        _double_click(page, _busiest(view))
        page.wait_for_timeout(300)  # time for a request to start, were one made
        assert page.evaluate("ipgraph.fetches") == []
        assert all(url.startswith(("file://", "data:")) for url in requests)
        assert page.evaluate("ipgraph.nodes.length") == before  # nothing embedded to add
    finally:
        page.close()
