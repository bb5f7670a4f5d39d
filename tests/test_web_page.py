"""The query page (`ipgraph.web.page`): its routes in-process, then the page itself in real
headless Chromium (Debian's, driven by Playwright; the server and helpers are in
``page_support.py``).
"""

from __future__ import annotations

import asyncio
import html as html_module
import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from playwright.sync_api import Page, expect

import ipgraph
import page_support
from ipgraph.errors import QueryTimeout
from ipgraph.web import page as page_module
from ipgraph.web.app import create_app
from page_support import (
    MINISTRIES,
    TEN_THOUSAND,
    Recorder,
    editor_text,
    graph_data,
    in_browser,
    open_page,
    query_of,
    run_and_wait,
    set_query,
    table_rows,
)

# The browser fixtures (module-scoped server, one fresh browser context per test).
base_url = page_support.base_url
page = page_support.page


# -- the routes, in-process ---------------------------------------------------------------------


def ask(kg: ipgraph.KnowledgeGraph, path: str, **params: Any) -> httpx.Response:
    """GET ``path`` from the app in-process, on an event loop of its own in another thread
    (Playwright's sync API keeps one running in this thread while a browser is open)."""

    async def get() -> httpx.Response:
        transport = httpx.ASGITransport(create_app(kg, graphs_dir=None))
        async with httpx.AsyncClient(transport=transport, base_url="http://ipgraph.test") as c:
            return await c.get(path, params=params)

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, get()).result()


def test_bind_resolves_entities_and_injects_values(kg: ipgraph.KnowledgeGraph) -> None:
    response = ask(kg, "/bind", name="issued-together", param=["a=MOE", "b=科技部"])
    assert response.status_code == 200
    body = response.json()
    assert body["bindings"] == {
        "a": "<https://w3id.org/ipgraph/id/agency/moe>",
        "b": "<https://w3id.org/ipgraph/id/agency/most>",
    }
    assert "VALUES ( ?a ?b ) { ( <https://w3id.org/ipgraph/id/agency/moe> " in body["query"]
    direct = kg.query_named("issued-together", a="MOE", b="MOST")
    assert kg.query(body["query"]).boolean == direct.boolean
    # the edited text is bound, not the shipped one
    edited = "SELECT ?other WHERE { ?entity ipg:issuedBy ?other }"
    response = ask(kg, "/bind", name="connections", query=edited, param="entity=CNIPA")
    assert response.json()["query"].startswith("SELECT ?other WHERE { VALUES ( ?entity )")


@pytest.mark.parametrize(
    ("params", "status", "error"),
    [
        ({"name": "connections"}, 400, "UsageError"),  # a required parameter missing
        ({"name": "connections", "param": "entity="}, 400, "UsageError"),  # or empty
        ({"name": "connections", "param": "entity=Ministry of Magic"}, 404, "EntityNotFound"),
        ({"name": "connections", "param": "other=1"}, 400, "UsageError"),
        ({"name": "connections", "param": "entity"}, 400, "ProtocolError"),
        ({"name": "no-such-query"}, 404, "NotFound"),
        ({}, 400, "ProtocolError"),
    ],
)
def test_bind_refuses_what_it_cannot_bind(
    kg: ipgraph.KnowledgeGraph, params: dict[str, str], status: int, error: str
) -> None:
    response = ask(kg, "/bind", **params)
    assert response.status_code == status
    assert response.json()["error"] == error


def test_page_carries_the_params_and_vocabulary_under_a_strict_policy(
    kg: ipgraph.KnowledgeGraph,
) -> None:
    first, second = ask(kg, "/"), ask(kg, "/")
    policy = first.headers["content-security-policy"]
    assert (
        "script-src 'self';" in policy and "unsafe-inline" not in policy.split("style-src-attr")[0]
    )
    nonce = re.search(r"'nonce-([\w-]+)'", policy)
    assert nonce is not None and f'data-style-nonce="{nonce.group(1)}"' in first.text
    assert nonce.group(1) not in second.headers["content-security-policy"]  # fresh each time
    found = re.search(r'value="connections"[^>]*data-params="([^"]*)"', first.text)
    assert found is not None
    params = json.loads(html_module.unescape(found.group(1)))
    assert params == [p.to_dict() for p in kg.named_queries()["connections"].params]
    vocabulary = re.search(
        r'<script type="application/json" id="vocabulary">(.*?)</script>', first.text, re.S
    )
    assert vocabulary is not None
    data = json.loads(vocabulary.group(1))
    assert data["prefixes"]["ipg"] == "https://w3id.org/ipgraph/ontology#"
    assert {"curie": "ipg:Ministry", "label": "Ministry", "kind": "class"} in data["terms"]


def test_page_modules_and_the_editor_bundle_are_served(kg: ipgraph.KnowledgeGraph) -> None:
    modules = (
        *("query.js", "results.js", "graph.js", "graphresult.js", "editing.js"),
        *("terms.js", "address.js", "endpoint.js"),
    )
    for name in (*modules, "editor.js", "vis-network.min.js"):
        response = ask(kg, f"/static/{name}")
        assert response.status_code == 200, name
        assert response.headers["content-type"].startswith("text/javascript")
        # nothing is fetched from elsewhere: no import or fetch of another origin
        assert not re.search(r"(import|fetch)\s*\(?\s*[\"'`]https?:", response.text), name
    assert (ask(kg, "/static/favicon.svg")).headers["content-type"] == "image/svg+xml"


def test_a_missing_bundle_says_how_to_build_it(
    kg: ipgraph.KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    assets = {k: v for k, v in page_module._assets().items() if k != "editor.js"}
    monkeypatch.setattr(page_module, "_assets", lambda: assets)
    response = ask(kg, "/static/editor.js")
    assert response.status_code == 404 and "make bundle" in response.json()["message"]


# -- the page as it was: type, run, see, download --------------------------------------------------


@in_browser
def test_type_a_query_run_it_see_rows(
    page: tuple[Page, Recorder], base_url: str, kg: ipgraph.KnowledgeGraph
) -> None:
    tab, recorder = page
    open_page(tab, base_url + "/")
    assert tab.title().startswith("ipgraph")
    set_query(tab, MINISTRIES)
    run_and_wait(tab)
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
    # labels beside the IRIs, asked from the endpoint for the rows on show
    expect(tab.locator("#results-table td .label").first).to_be_visible()
    labels = tab.eval_on_selector_all(
        "#results-table td .label", "ls => ls.map(l => l.textContent)"
    )
    assert "Ministry of Education" in labels
    # download links go to the endpoint with the same query
    csv_link = tab.get_attribute("#download-csv", "href")
    assert csv_link is not None and csv_link.startswith("/sparql?") and "format=csv" in csv_link
    download = tab.request.get(base_url + csv_link)
    assert download.ok and download.text().splitlines()[0] == "ministry,zh"
    recorder.assert_local(base_url)
    assert recorder.errors == []


@in_browser
def test_examples_fill_the_editor_and_the_description_follows_it(
    page: tuple[Page, Recorder], base_url: str, kg: ipgraph.KnowledgeGraph
) -> None:
    tab, recorder = page
    open_page(tab, base_url + "/")
    named = kg.named_queries()
    name = "counts-per-class" if "counts-per-class" in named else next(iter(named))
    options = tab.eval_on_selector_all("#examples option", "os => os.map(o => o.value)")
    assert sorted(o for o in options if o) == sorted(named)
    tab.select_option("#examples", name)
    assert tab.input_value("#query") == named[name].text
    assert editor_text(tab) == named[name].text
    description = tab.locator("#example-description")
    expect(description).to_contain_text(named[name].description.split()[0])
    expect(description.locator(".edited")).to_have_count(0)
    run_and_wait(tab)
    assert tab.locator("#results-table tbody tr").count() > 0
    # an edit marks the description as no longer the example's
    tab.click(".cm-content")
    tab.keyboard.press("Control+End")
    tab.keyboard.type(" LIMIT 3")
    expect(description.locator(".edited")).to_have_text("edited")
    recorder.assert_local(base_url)
    assert recorder.errors == []


# -- the editor ------------------------------------------------------------------------------------


@in_browser
def test_a_syntax_error_is_marked_at_its_line(page: tuple[Page, Recorder], base_url: str) -> None:
    tab, recorder = page
    open_page(tab, base_url + "/")
    set_query(tab, "SELECT *\nWHERE {\n  ?s ?p\n}")
    run_and_wait(tab)
    message = tab.text_content("#error") or ""
    assert message.startswith("QuerySyntaxError:")
    found = re.search(r"line (\d+), column (\d+)", message)
    assert found is not None and found.group(1) == "3"
    marker = tab.locator(".cm-lintRange-error")
    expect(marker).to_have_count(1)
    line_of_marker = tab.evaluate(
        """() => {
          const lines = Array.from(document.querySelectorAll('.cm-content .cm-line'));
          return lines.findIndex(l => l.querySelector('.cm-lintRange-error')) + 1;
        }"""
    )
    assert line_of_marker == 3
    expect(tab.locator(".cm-gutter-lint .cm-lint-marker-error")).to_have_count(1)
    # Ctrl+Enter in the editor runs; the next answer clears the marker
    set_query(tab, "DROP ALL")
    tab.focus(".cm-content")
    tab.keyboard.press("Control+Enter")
    expect(tab.locator("#error")).to_contain_text("QueryForbidden")
    expect(marker).to_have_count(0)
    recorder.assert_local(base_url)
    assert recorder.unexpected_errors() == []


@in_browser
def test_completion_offers_the_vocabulary(page: tuple[Page, Recorder], base_url: str) -> None:
    tab, recorder = page
    open_page(tab, base_url + "/")
    set_query(tab, "SELECT ?a WHERE { ?a a ipg:Minis")
    tab.focus(".cm-content")
    tab.keyboard.press("Control+End")
    tab.keyboard.press("Control+Space")
    options = tab.locator(".cm-tooltip-autocomplete li")
    expect(options.first).to_be_visible()
    assert "ipg:Ministry" in (tab.text_content(".cm-tooltip-autocomplete") or "")
    tab.wait_for_timeout(150)  # CodeMirror ignores Enter for 75 ms after the list opens
    tab.keyboard.press("Enter")
    assert editor_text(tab).endswith("ipg:Ministry")
    recorder.assert_local(base_url)
    assert recorder.errors == []


@in_browser
def test_results_are_text_never_html(page: tuple[Page, Recorder], base_url: str) -> None:
    tab, recorder = page
    open_page(tab, base_url + "/")
    attack = '<img src=x onerror="window.pwned = 1"><script>window.pwned = 2</script>'
    set_query(tab, f"SELECT ?x WHERE {{ BIND('''{attack}''' AS ?x) }}")
    run_and_wait(tab)
    assert table_rows(tab) == [[attack]]
    assert tab.evaluate("window.pwned") is None
    assert tab.query_selector("#results-table img") is None
    recorder.assert_local(base_url)


# -- large results ---------------------------------------------------------------------------------


@in_browser
def test_a_10000_row_result_is_paged(page: tuple[Page, Recorder], base_url: str) -> None:
    tab, recorder = page
    open_page(tab, base_url + "/")
    set_query(tab, TEN_THOUSAND)
    started = time.perf_counter()
    tab.click("#run")
    tab.wait_for_selector("#results-table tbody tr")
    shown = time.perf_counter() - started
    render_ms = tab.get_attribute("#results-table", "data-render-ms")
    print(
        f"\n10,000 rows: first page shown {shown * 1000:.0f} ms after the click "
        f"(fetch, parse, sort and draw; {render_ms} ms of it in the page's table code)"
    )
    assert tab.locator("#results-table tbody tr").count() == 100
    meta = tab.text_content("#meta") or ""
    assert meta.startswith("10,000 rows") and "truncated" in meta
    expect(tab.locator("#page-info")).to_contain_text("Rows 1–100 of 10,000")
    first_page = table_rows(tab)
    tab.click("#page-next")
    expect(tab.locator("#page-info")).to_contain_text("Rows 101–200 of 10,000")
    assert tab.locator("#results-table tbody tr").count() == 100
    assert table_rows(tab) != first_page
    tab.click("#page-last")
    expect(tab.locator("#page-info")).to_contain_text("Rows 9,901–10,000 of 10,000 (page 100")
    assert tab.locator("#results-table tbody tr").count() == 100
    assert tab.is_disabled("#page-next")
    tab.click("#page-first")
    assert table_rows(tab) == first_page
    # sorting sorts all 10,000 rows, then shows the first page of them
    tab.click("#results-table thead th:nth-child(4) button")
    expect(tab.locator("#results-table thead th:nth-child(4)")).to_have_attribute(
        "aria-sort", "ascending"
    )
    assert {row[3] for row in table_rows(tab)} == {"1"}
    tab.click("#results-table thead th:nth-child(4) button")
    assert {row[3] for row in table_rows(tab)} == {"6"}
    recorder.assert_local(base_url)
    assert recorder.errors == []


# -- the query in the URL --------------------------------------------------------------------------


@in_browser
def test_a_link_runs_its_query_and_back_restores_the_previous(
    page: tuple[Page, Recorder], base_url: str
) -> None:
    tab, recorder = page
    first = "SELECT ?ministry WHERE { ?ministry a ipg:Ministry } ORDER BY ?ministry"
    open_page(tab, base_url + "/?" + urlencode({"query": first}))
    tab.wait_for_selector("#results-table tbody tr")
    assert editor_text(tab) == first
    first_rows = table_rows(tab)
    second = "SELECT ?agency WHERE { ?agency a ipg:Agency } ORDER BY ?agency"
    set_query(tab, second)
    run_and_wait(tab)
    assert query_of(tab.url) == second  # shareable: the URL holds the query run
    assert table_rows(tab) != first_rows
    tab.go_back()
    expect(tab.locator("#status")).to_have_text("Done")
    assert query_of(tab.url) == first
    assert editor_text(tab) == first
    expect(tab.locator("#results-table tbody tr")).to_have_count(len(first_rows))
    assert table_rows(tab) == first_rows
    tab.go_forward()
    expect(tab.locator(".cm-content")).to_contain_text("ipg:Agency")
    # back to the page as first opened, without a query: the text it was served with, no run
    open_page(tab, base_url + "/")
    served = editor_text(tab)
    set_query(tab, second)
    run_and_wait(tab)
    tab.go_back()
    expect(tab.locator(".cm-content")).to_contain_text(served.splitlines()[0])
    assert editor_text(tab) == served and tab.locator("#results").is_hidden()
    tab.go_forward()
    expect(tab.locator("#results-table tbody tr").first).to_be_visible()
    # an IRI in the results links to a DESCRIBE of it, on this page
    tab.wait_for_selector("#results-table tbody a")
    link = tab.get_attribute("#results-table tbody a", "href")
    assert link is not None and link.startswith("/?query=DESCRIBE")
    tab.click("#results-table tbody a")
    tab.wait_for_selector("#graph-text:not([hidden])")
    assert "@prefix" in (tab.text_content("#graph-text") or "")
    assert query_of(tab.url).startswith("DESCRIBE <")
    recorder.assert_local(base_url)
    assert recorder.errors == []


# -- named queries' parameters ---------------------------------------------------------------------


@in_browser
def test_named_query_parameters_are_fields_and_required(
    page: tuple[Page, Recorder], base_url: str, kg: ipgraph.KnowledgeGraph
) -> None:
    tab, recorder = page
    open_page(tab, base_url + "/")
    tab.select_option("#examples", "connections")
    field = tab.locator("#param-entity")
    expect(field).to_be_visible()
    assert field.get_attribute("required") is not None
    expect(tab.locator("#params")).to_contain_text("?entity (entity)")
    # never run with the required parameter unbound
    asked = len([u for u in recorder.urls if "/sparql" in u])
    tab.click("#run")
    expect(tab.locator("#error")).to_contain_text("fill in ?entity")
    assert len([u for u in recorder.urls if "/sparql" in u]) == asked
    assert tab.locator("#results-table tbody tr").count() == 0
    # bound by name: the server resolves it as `ipgraph query --param` does
    field.fill("CNIPA")
    run_and_wait(tab)
    expected = kg.query_named("connections", entity="CNIPA")
    assert tab.locator("#results-table tbody tr").count() == len(expected.rows) > 0
    shared = parse_qs(urlsplit(tab.url).query)
    assert shared["example"] == ["connections"] and shared["param"] == ["entity=CNIPA"]
    # the link, opened anew, fills the field and runs
    open_page(tab, tab.url)
    expect(tab.locator("#param-entity")).to_have_value("CNIPA")
    expect(tab.locator("#results-table tbody tr")).to_have_count(len(expected.rows))
    # an unknown entity: the server's message, no rows
    tab.fill("#param-entity", "Ministry of Magic")
    run_and_wait(tab)
    expect(tab.locator("#error")).to_contain_text("EntityNotFound")
    recorder.assert_local(base_url)
    assert recorder.unexpected_errors() == []


# -- graphs ----------------------------------------------------------------------------------------


@in_browser
def test_construct_is_drawn_beside_its_turtle(
    page: tuple[Page, Recorder], base_url: str, kg: ipgraph.KnowledgeGraph
) -> None:
    tab, recorder = page
    open_page(tab, base_url + "/")
    tab.select_option("#examples", "provenance-graph")
    tab.fill("#param-entity", "CNIPA")
    run_and_wait(tab)
    expect(tab.locator("#graph-view")).to_be_visible()
    triples = len(kg.query_named("provenance-graph", entity="CNIPA").graph)
    assert triples > 5
    expect(tab.locator("#meta")).to_contain_text(f"{triples} triples")
    expect(tab.locator("#graph-caption")).to_contain_text(f"All {triples} triples")
    drawn = graph_data(tab)
    assert len(drawn["edges"]) == triples and len(drawn["nodes"]) > 3
    # nodes carry labels (the full one in their tooltip)
    assert "China National Intellectual Property Administration" in drawn["labels"]
    assert "@prefix" in (tab.text_content("#graph-text") or "")
    assert tab.locator("#pager").is_hidden() and tab.locator("#results-table").is_hidden()
    recorder.assert_local(base_url)
    assert recorder.errors == []


# -- around the query ------------------------------------------------------------------------------


@in_browser
def test_history_is_kept_in_the_browser(page: tuple[Page, Recorder], base_url: str) -> None:
    tab, recorder = page
    open_page(tab, base_url + "/")
    expect(tab.locator("#recent-empty")).to_be_visible()
    queries = ["ASK { ?s a ipg:Agency }", "SELECT ?m WHERE { ?m a ipg:Ministry } LIMIT 2"]
    for query in queries:
        set_query(tab, query)
        run_and_wait(tab)
    open_page(tab, base_url + "/")  # a new visit: the history is still there
    items = tab.locator("#history li a")
    expect(items).to_have_count(2)
    assert (items.nth(0).text_content() or "").startswith("SELECT ?m")
    assert (items.nth(1).text_content() or "").startswith("ASK")
    items.nth(1).click()
    expect(tab.locator("#boolean")).to_have_text("true")
    assert editor_text(tab) == queries[0]
    tab.click("#history-clear")
    expect(tab.locator("#history li")).to_have_count(0)
    recorder.assert_local(base_url)
    assert recorder.errors == []


@in_browser
def test_the_service_description_is_shown_in_the_page(
    page: tuple[Page, Recorder], base_url: str
) -> None:
    tab, recorder = page
    open_page(tab, base_url + "/")
    before = tab.url
    tab.click("#sd-link")
    expect(tab.locator("#service")).to_be_visible()
    expect(tab.locator("#sd-text")).to_contain_text("sd:Service")
    assert tab.url == before
    tab.click("#sd-close")
    expect(tab.locator("#service")).to_be_hidden()
    recorder.assert_local(base_url)
    assert recorder.errors == []


def test_completion_keeps_the_ipg_terms_when_the_used_ones_cannot_be_read(
    kg: ipgraph.KnowledgeGraph, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    everything = page_module.vocabulary_terms(kg)
    assert {"rdfs:label", "prov:wasDerivedFrom", "skos:altLabel", "dcterms:issued"} <= {
        t["curie"] for t in everything
    }
    real = kg.query

    def query(text: str, *args: Any, **kwargs: Any) -> Any:
        if "UNION" in text:  # the scan of the used terms, on a store too large for it
            raise QueryTimeout("the query ran past 10 s")
        return real(text, *args, **kwargs)

    monkeypatch.setattr(kg, "query", query)
    terms = page_module.vocabulary_terms(kg)
    assert terms and all(t["curie"].startswith("ipg:") for t in terms)
    assert "the used terms were not read" in caplog.text
