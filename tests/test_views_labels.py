"""Names on graph pages (templates/view_labels.js), measured as Chromium draws them.

Every ``fillText`` on the page's canvases is recorded during one redraw, with the box its ink
covers on screen (the text's measured extent under the canvas transform in force), so that the
tests check what a reader sees, not the page's own bookkeeping.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from tests.canvas_texts import RECORD, drawn_texts

import ipgraph
from ipgraph.views.html import write_html

pytestmark = pytest.mark.browser


def overlaps(texts: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes share more than a hair (0.5 px) of area in both directions."""
    found = []
    for i, first in enumerate(texts):
        a = first["box"]
        for second in texts[i + 1 :]:
            b = second["box"]
            if min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5:
                found.append((first["text"], second["text"]))
    return found


@pytest.fixture(scope="module")
def pages(kg: ipgraph.KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("labels")
    built = {
        "overview": kg.view(),  # what `ipgraph render` draws by default
        "hub": kg.view("CNIPA", depth=1),  # the biggest hub and its neighbours
        "hub-2": kg.view("CNIPA", depth=2),
    }
    return {name: write_html(view, folder / f"{name}.html") for name, view in built.items()}


@pytest.fixture
def page(
    browser: Browser, pages: dict[str, Path], request: pytest.FixtureRequest
) -> Iterator[Page]:
    opened = browser.new_page(viewport={"width": 1400, "height": 900})
    opened.add_init_script(RECORD)
    opened.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort(),
    )
    opened.goto(pages[request.param].as_uri())
    opened.wait_for_function("window.ipgraph && window.ipgraph.ready === true", timeout=60_000)
    yield opened
    opened.close()


@pytest.mark.parametrize("page", ["overview", "hub", "hub-2"], indirect=True)
def test_no_name_is_drawn_over_another_at_the_opening_zoom(page: Page) -> None:
    texts = drawn_texts(page)
    assert len(texts) >= 20  # names are drawn, not dropped wholesale
    assert not any(t["rotated"] for t in texts)
    assert overlaps(texts) == []


@pytest.mark.parametrize("page", ["overview", "hub"], indirect=True)
def test_the_hub_and_the_most_connected_are_named(page: Page) -> None:
    written = {t["text"] for t in drawn_texts(page)}
    assert {"CNIPA", "国家知识产权局"} <= written
    ranked = page.evaluate(
        "ipgraph.data.nodes.slice().sort(function (a, b) { return b.size - a.size; })"
        ".slice(0, 5).map(function (n) { return n.short; })"
    )
    assert len(set(ranked) & written) >= 4  # the best connected keep their names


@pytest.mark.parametrize("page", ["overview"], indirect=True)
def test_zooming_in_names_more_nodes_still_without_overlap(page: Page) -> None:
    before = drawn_texts(page)
    centre = page.evaluate("ipgraph.network.getViewPosition()")
    scale = page.evaluate("ipgraph.network.getScale()")
    page.evaluate(
        f"ipgraph.network.moveTo({{ position: {{ x: {centre['x']}, y: {centre['y']} }},"
        f" scale: {scale * 2.5}, animation: false }})"
    )
    after = drawn_texts(page)
    assert overlaps(after) == []
    # Zoomed in on the middle, nodes that had no room before are named now.
    assert set(t["text"] for t in after) - set(t["text"] for t in before)


@pytest.mark.parametrize("page", ["overview"], indirect=True)
def test_a_node_found_by_search_is_named(page: Page) -> None:
    page.fill("#search", "工信部")
    written = drawn_texts(page)
    assert "MIIT" in {t["text"] for t in written}
    assert overlaps(written) == []
