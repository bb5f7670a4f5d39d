"""The query page in real headless Chromium: the server, the page fixture and helpers shared by
the ``test_web_page*`` modules (each names the fixtures ``base_url`` and ``page`` of this module).

The server runs in a thread on a free loopback port. Every request the page makes is recorded:
none may leave 127.0.0.1, and the page must log no console error (a blocked resource or a
Content-Security-Policy violation would show up there). The editor is the CodeMirror bundle
`make bundle` builds; these tests need it.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import uvicorn
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, expect

import ipgraph
from ipgraph.web import page as page_module
from ipgraph.web.app import create_app, listen


def in_browser(test: Any) -> Any:
    """Mark a test as driving Chromium (``-m "not browser"`` skips these)."""
    return pytest.mark.slow(pytest.mark.browser(test))


MINISTRIES = (
    "SELECT ?ministry ?zh WHERE { ?ministry a ipg:Ministry ; rdfs:label ?zh "
    'FILTER(lang(?zh) = "zh") } ORDER BY ?ministry'
)
# 1,908 triples times 6: past the 10,000-row cap of the fixture's server.
TEN_THOUSAND = "SELECT ?s ?p ?o ?n WHERE { ?s ?p ?o . VALUES ?n { 1 2 3 4 5 6 } }"
MAX_ROWS = 10_000


@pytest.fixture(scope="module")
def base_url(kg: ipgraph.KnowledgeGraph) -> Iterator[str]:
    """The app served by uvicorn in a thread of this process, on a free loopback port."""
    if "editor.js" not in page_module._assets():
        pytest.fail("the editor bundle is missing: run `make bundle` (make test does)")
    sock = listen("127.0.0.1", 0)
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(kg, max_rows=MAX_ROWS, graphs_dir=None), log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


class Recorder:
    """Every request and console error of a page."""

    def __init__(self, page: Page) -> None:
        self.urls: list[str] = []
        self.errors: list[str] = []
        page.on("request", self.on_request)
        page.on("console", self.on_console)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def on_request(self, request: Request) -> None:
        self.urls.append(request.url)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def assert_local(self, base_url: str) -> None:
        assert self.urls, "the page made no request at all"
        outside = [url for url in self.urls if not url.startswith(base_url + "/")]
        assert outside == [], f"requests left {base_url}: {outside}"

    def unexpected_errors(self) -> list[str]:
        """Console errors other than the failed responses a test asked for (400, 404, ...)."""
        return [e for e in self.errors if "the server responded with a status of" not in e]


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[tuple[Page, Recorder]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # Anything not for our server is aborted (and still recorded, so the test fails on it).
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(base_url + "/") else route.abort()
        ),
    )
    tab = context.new_page()
    recorder = Recorder(tab)
    try:
        yield tab, recorder
    finally:
        context.close()


def open_page(tab: Page, url: str) -> None:
    """Go to ``url`` and wait for the editor."""
    tab.goto(url)
    tab.wait_for_selector(".cm-editor .cm-content")


def set_query(tab: Page, text: str) -> None:
    """Replace the editor's text, as typing or pasting would."""
    tab.locator(".cm-content").fill(text)
    tab.keyboard.press("Escape")  # close a completion list, if one opened


def editor_text(tab: Page) -> str:
    lines: list[str] = tab.eval_on_selector_all(
        ".cm-content .cm-line", "lines => lines.map(l => l.textContent)"
    )
    return "\n".join(lines)


def run_and_wait(tab: Page) -> None:
    """Click Run and wait for this run's outcome (the status line is cleared first)."""
    tab.eval_on_selector("#status", "s => { s.textContent = '' }")
    tab.click("#run")
    # a graph result is done once its layout settled: seconds on a loaded machine
    expect(tab.locator("#status")).to_have_text(re.compile("Done|Failed|Not run"), timeout=30_000)


def table_rows(tab: Page) -> list[list[str]]:
    rows: list[list[str]] = tab.eval_on_selector_all(
        "#results-table tbody tr",
        "rows => rows.map(r => Array.from(r.cells).map(c => c.firstChild ? "
        "Array.from(c.childNodes).filter(n => !n.classList || !n.classList.contains('label'))"
        ".map(n => n.textContent).join('') : ''))",
    )
    return rows


def query_of(url: str) -> str:
    return parse_qs(urlsplit(url).query).get("query", [""])[0]


def graph_data(tab: Page) -> dict[str, Any]:
    """What vis-network drew into ``#graph-network`` once its layout settled: the node labels,
    node and edge ids, the scale and the view's centre."""
    tab.wait_for_selector("#graph-network[data-ready=true]")
    data: dict[str, Any] = tab.evaluate(
        """() => {
          const network = document.getElementById('graph-network').network;
          const nodes = network.body.data.nodes.get();
          const position = network.getViewPosition();
          return {
            nodes: nodes.map(n => n.id),
            labels: nodes.map(n => n.label),
            edges: network.body.data.edges.getIds(),
            scale: network.getScale(),
            x: position.x,
            y: position.y,
          };
        }"""
    )
    return data
