"""The query page in real headless Chromium (Debian's, driven by Playwright).

The server runs in a thread on a free loopback port. Every request the page makes is
recorded: none may leave 127.0.0.1, and the page must log no console error (a blocked
resource or a Content-Security-Policy violation would show up there).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
import uvicorn
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, expect

import ipgraph
from ipgraph.web.app import create_app, listen

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MINISTRIES = (
    "SELECT ?ministry ?zh WHERE { ?ministry a ipg:Ministry ; rdfs:label ?zh "
    'FILTER(lang(?zh) = "zh") } ORDER BY ?ministry'
)


@pytest.fixture(scope="module")
def base_url(kg: ipgraph.KnowledgeGraph) -> Iterator[str]:
    """The app served by uvicorn in a thread of this process, on a free loopback port."""
    sock = listen("127.0.0.1", 0)
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(kg, max_rows=50, graphs_dir=None), log_level="warning")
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


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[tuple[Page, Recorder]]:
    context = browser.new_context()
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


def table_rows(tab: Page) -> list[list[str]]:
    rows: list[list[str]] = tab.eval_on_selector_all(
        "#results-table tbody tr",
        "rows => rows.map(r => Array.from(r.cells).map(c => c.textContent))",
    )
    return rows


def test_type_a_query_run_it_see_rows(
    page: tuple[Page, Recorder], base_url: str, kg: ipgraph.KnowledgeGraph
) -> None:
    tab, recorder = page
    tab.goto(base_url + "/")
    assert tab.title().startswith("ipgraph")
    tab.fill("#query", MINISTRIES)
    tab.click("#run")
    tab.wait_for_selector("#results-table tbody tr")
    expected = kg.query(MINISTRIES)
    rows = table_rows(tab)
    assert len(rows) == len(expected.rows) > 3
    assert [row[1] for row in rows] == [f"{row[1]}@zh" for row in expected.rows]
    assert "教育部@zh" in [row[1] for row in rows]
    headers = tab.eval_on_selector_all(
        "#results-table thead th", "ths => ths.map(t => t.textContent)"
    )
    assert headers == ["?ministry", "?zh"]
    assert rows[0][0].startswith("agency:")  # IRIs shown as CURIEs a query accepts
    assert tab.text_content("#meta").startswith(f"{len(rows)} rows")
    # download links go to the endpoint with the same query
    csv_link = tab.get_attribute("#download-csv", "href")
    assert csv_link is not None and csv_link.startswith("/sparql?") and "format=csv" in csv_link
    download = tab.request.get(base_url + csv_link)
    assert download.ok and download.text().splitlines()[0] == "ministry,zh"
    recorder.assert_local(base_url)
    assert recorder.errors == []


def test_examples_fill_the_editor_and_run(
    page: tuple[Page, Recorder], base_url: str, kg: ipgraph.KnowledgeGraph
) -> None:
    tab, recorder = page
    tab.goto(base_url + "/")
    named = kg.named_queries()
    name = "counts-per-class" if "counts-per-class" in named else next(iter(named))
    options = tab.eval_on_selector_all("#examples option", "os => os.map(o => o.value)")
    assert sorted(o for o in options if o) == sorted(named)
    tab.select_option("#examples", name)
    assert tab.input_value("#query") == named[name].text
    assert tab.text_content("#example-description")
    tab.click("#run")
    expect(tab.locator("#status")).to_have_text("Done")
    assert tab.locator("#results-table tbody tr").count() > 0
    recorder.assert_local(base_url)
    assert recorder.errors == []


def test_errors_show_the_message(page: tuple[Page, Recorder], base_url: str) -> None:
    tab, recorder = page
    tab.goto(base_url + "/")
    tab.fill("#query", "SELECT * WHERE {\n  ?s ?p\n}")
    tab.click("#run")
    tab.wait_for_selector("#error:not([hidden])")
    message = tab.text_content("#error") or ""
    assert message.startswith("QuerySyntaxError:")
    assert re.search(r"line \d+, column \d+", message)
    tab.fill("#query", "DROP ALL")
    tab.focus("#query")
    tab.keyboard.press("Control+Enter")
    expect(tab.locator("#error")).to_contain_text("QueryForbidden")
    recorder.assert_local(base_url)


def test_results_are_text_never_html(page: tuple[Page, Recorder], base_url: str) -> None:
    tab, recorder = page
    tab.goto(base_url + "/")
    attack = '<img src=x onerror="window.pwned = 1"><script>window.pwned = 2</script>'
    tab.fill("#query", f"SELECT ?x WHERE {{ BIND('''{attack}''' AS ?x) }}")
    tab.click("#run")
    tab.wait_for_selector("#results-table tbody tr")
    assert table_rows(tab) == [[attack]]
    assert tab.evaluate("window.pwned") is None
    assert tab.query_selector("#results-table img") is None
    recorder.assert_local(base_url)


def test_link_with_query_runs_it_and_truncation_is_shown(
    page: tuple[Page, Recorder], base_url: str
) -> None:
    tab, recorder = page
    everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    tab.goto(base_url + "/?" + urlencode({"query": everything}))
    tab.wait_for_selector("#results-table tbody tr")
    assert len(table_rows(tab)) == 50  # the server's cap in this fixture
    assert "truncated" in (tab.text_content("#meta") or "")
    # an IRI cell links to a DESCRIBE of it, on this server
    link = tab.get_attribute("#results-table tbody a", "href")
    assert link is not None and link.startswith("/?query=DESCRIBE")
    tab.click("#results-table tbody a")
    tab.wait_for_selector("#graph-text:not([hidden])")
    assert "@prefix" in (tab.text_content("#graph-text") or "")
    recorder.assert_local(base_url)
    assert recorder.errors == []
