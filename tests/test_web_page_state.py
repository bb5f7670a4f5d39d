"""What the query page keeps about the query in real headless Chromium: completion of the
graph's own terms under every prefix, the example that stays selected only while the text is
still that example, and a URL and history holding only queries that ran (the URL only when it
is short enough to be one).
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

import ipgraph
import page_support
from page_support import (
    Recorder,
    editor_text,
    in_browser,
    open_page,
    query_of,
    run_and_wait,
    set_query,
)

# The browser fixtures (module-scoped server, one fresh browser context per test).
base_url = page_support.base_url
page = page_support.page

MAX_URL = 8000  # query.js: the longest page URL a query goes into


def complete(tab: Page, text: str) -> list[str]:
    """The completion offered at the end of ``text`` typed into the editor."""
    set_query(tab, text)
    tab.focus(".cm-content")
    tab.keyboard.press("Control+End")
    tab.keyboard.press("Control+Space")
    expect(tab.locator(".cm-tooltip-autocomplete li").first).to_be_visible()
    labels: list[str] = tab.eval_on_selector_all(
        ".cm-tooltip-autocomplete li .cm-completionLabel", "ls => ls.map(l => l.textContent)"
    )
    tab.keyboard.press("Escape")
    return labels


def recent(tab: Page) -> list[str]:
    """The queries of the recent-queries list, as this browser keeps them (newest first)."""
    shown = tab.locator("#history li").count()
    kept: list[str] = tab.evaluate(
        "() => JSON.parse(localStorage.getItem('ipgraph.history') || '[]').map(i => i.query)"
    )
    assert shown == len(kept)
    return kept


# -- completion ------------------------------------------------------------------------------------


@in_browser
@pytest.mark.parametrize(
    ("typed", "wanted"),
    [
        ("?s rdfs:la", "rdfs:label"),
        ("?s prov:was", "prov:wasDerivedFrom"),
        ("?s skos:alt", "skos:altLabel"),
        ("?s dcterms:iss", "dcterms:issued"),
        ("?s eli:date_", "eli:date_document"),
        ("?s schema:u", "schema:url"),
        ("?s a ipg:Minis", "ipg:Ministry"),
    ],
)
def test_completion_knows_the_terms_of_every_prefix_the_graph_uses(
    page: tuple[Page, Recorder], base_url: str, typed: str, wanted: str
) -> None:
    tab, recorder = page
    open_page(tab, base_url + "/")
    offered = complete(tab, "SELECT * WHERE { " + typed)
    assert wanted in offered
    prefix = wanted.split(":")[0] + ":"
    assert all(label.startswith(prefix) for label in offered)
    recorder.assert_local(base_url)
    assert recorder.errors == []


# -- the example follows the text ------------------------------------------------------------------


@in_browser
def test_replacing_the_example_text_deselects_it(
    page: tuple[Page, Recorder], base_url: str, kg: ipgraph.KnowledgeGraph
) -> None:
    tab, recorder = page
    open_page(tab, base_url + "/")
    name = tab.input_value("#examples")
    assert name, "the page opens with an example selected"
    example = kg.named_queries()[name]
    description = tab.locator("#example-description")
    expect(description).to_contain_text(example.description.split()[0])
    # a small edit: still the example, marked edited
    tab.click(".cm-content")
    tab.keyboard.press("Control+End")
    tab.keyboard.type("\n# mine")
    expect(description.locator(".edited")).to_have_text("edited")
    assert tab.input_value("#examples") == name
    # edits at both ends (neither start nor end left as it was): its lines are still there
    tab.keyboard.press("Control+Home")
    tab.keyboard.type("# a note on top\n")
    assert editor_text(tab).startswith("# a note on top\n") and editor_text(tab).endswith("# mine")
    expect(description.locator(".edited")).to_have_text("edited")
    assert tab.input_value("#examples") == name
    # the whole text replaced by another query: no example, no description
    unrelated = "SELECT ?m WHERE { ?m a ipg:Ministry } LIMIT 5"
    set_query(tab, unrelated)
    expect(tab.locator("#examples")).to_have_value("")
    expect(description).to_have_text("")
    run_and_wait(tab)
    assert "example=" not in tab.url and query_of(tab.url) == unrelated
    # the example's exact text again: selected again, unedited
    set_query(tab, example.text)
    expect(tab.locator("#examples")).to_have_value(name)
    expect(description).to_contain_text(example.description.split()[0])
    expect(description.locator(".edited")).to_have_count(0)
    recorder.assert_local(base_url)
    assert recorder.errors == []


@in_browser
def test_an_example_with_a_parameter_and_edits_reopens_from_its_link(
    page: tuple[Page, Recorder], base_url: str
) -> None:
    tab, recorder = page
    open_page(tab, base_url + "/")
    tab.select_option("#examples", "connections")
    tab.fill("#param-entity", "CNIPA")
    tab.click(".cm-content")
    tab.keyboard.press("Control+End")
    tab.keyboard.type("\n# edited")
    run_and_wait(tab)
    assert "example=connections" in tab.url
    open_page(tab, tab.url)  # the link, opened anew: the example, its field and the edit
    expect(tab.locator("#examples")).to_have_value("connections")
    expect(tab.locator("#param-entity")).to_have_value("CNIPA")
    assert editor_text(tab).endswith("# edited")
    recorder.assert_local(base_url)
    assert recorder.unexpected_errors() == []


# -- the URL and the history hold queries that ran -------------------------------------------------


@in_browser
def test_failed_queries_stay_out_of_the_url_and_the_history(
    page: tuple[Page, Recorder], base_url: str
) -> None:
    tab, recorder = page
    good = "ASK { ?s a ipg:Agency }"
    open_page(tab, base_url + "/?" + urlencode({"query": good}))
    expect(tab.locator("#boolean")).to_have_text("true")
    assert recent(tab) == [good]
    for bad in ("SELECT * WHERE { ?s ?p }", "DROP ALL"):
        set_query(tab, bad)
        run_and_wait(tab)
        expect(tab.locator("#error")).to_be_visible()
        assert query_of(tab.url) == good
        assert recent(tab) == [good]
    recorder.assert_local(base_url)
    assert recorder.unexpected_errors() == []


@in_browser
def test_a_query_over_the_size_limit_is_refused_in_its_own_size(
    page: tuple[Page, Recorder], base_url: str
) -> None:
    tab, recorder = page
    open_page(tab, base_url + "/")
    before = tab.url
    iris = " ".join(f"<https://w3id.org/ipgraph/id/x/{n}>" for n in range(3700))
    huge = f"SELECT ?x WHERE {{ VALUES ?x {{ {iris} }} }}"
    assert len(huge.encode()) > 135_000
    set_query(tab, huge)
    run_and_wait(tab)
    error = tab.text_content("#error") or ""
    assert f"{len(huge.encode()):,} bytes" in error  # the query's size, not its URL-encoding's
    assert "100,000 bytes" in error  # the server's limit
    expect(tab.locator("#status")).to_have_text("Failed (413)")
    assert tab.url == before and recent(tab) == []
    tab.reload()  # the page, not a raw error
    tab.wait_for_selector(".cm-editor .cm-content")
    assert tab.title().startswith("ipgraph")
    recorder.assert_local(base_url)
    assert recorder.unexpected_errors() == []


@in_browser
def test_a_long_query_runs_by_post_and_stays_out_of_the_address_bar(
    page: tuple[Page, Recorder], base_url: str
) -> None:
    tab, recorder = page
    short = "SELECT ?m WHERE { ?m a ipg:Ministry } LIMIT 2"
    open_page(tab, base_url + "/?" + urlencode({"query": short}))
    expect(tab.locator("#results-table tbody tr")).to_have_count(2)
    numbers = " ".join(str(n) for n in range(2500))
    long = f"SELECT ?n WHERE {{ VALUES ?n {{ {numbers} }} }} LIMIT 3"
    assert len(urlencode({"query": long})) > MAX_URL
    set_query(tab, long)
    run_and_wait(tab)
    expect(tab.locator("#results-table tbody tr")).to_have_count(3)
    notice = tab.locator("#notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("too long for a link")
    assert urlsplit(tab.url).query == ""  # a new entry, without the query
    assert recent(tab)[0] == long
    # back to the short query, forward to the long one (kept in the entry's state)
    tab.go_back()
    expect(tab.locator("#results-table tbody tr")).to_have_count(2)
    assert editor_text(tab) == short
    tab.go_forward()
    expect(tab.locator("#results-table tbody tr")).to_have_count(3)
    assert tab.input_value("#query") == long
    # from the recent queries, too
    set_query(tab, short)
    run_and_wait(tab)
    tab.locator("#history li a").filter(has_text="VALUES ?n").click()
    expect(tab.locator("#results-table tbody tr")).to_have_count(3)
    assert urlsplit(tab.url).query == "" and tab.input_value("#query") == long
    # the downloads POST it too
    with tab.expect_download() as caught:
        tab.click("#download-csv")
    path = caught.value.path()
    assert path is not None and path.read_text(encoding="utf-8").split() == ["n", "0", "1", "2"]
    recorder.assert_local(base_url)
    assert recorder.errors == []


@in_browser
def test_a_slow_answer_never_replaces_a_later_one(
    page: tuple[Page, Recorder], base_url: str
) -> None:
    tab, recorder = page
    open_page(tab, base_url + "/")
    held: list[Route] = []

    def hold_the_first(route: Route) -> None:
        if not held and route.request.method == "POST":
            held.append(route)  # answered only once the later query has been shown
        else:
            route.continue_()

    tab.route("**/sparql*", hold_the_first)
    slow = "SELECT ?m WHERE { ?m a ipg:Ministry } LIMIT 1"
    fast = "SELECT ?m WHERE { ?m a ipg:Ministry } LIMIT 3"
    set_query(tab, slow)
    tab.focus(".cm-content")
    tab.keyboard.press("Control+Enter")
    expect(tab.locator("#status")).to_have_text("Running…")
    set_query(tab, fast)
    tab.focus(".cm-content")
    tab.keyboard.press("Control+Enter")
    expect(tab.locator("#results-table tbody tr")).to_have_count(3)
    expect(tab.locator("#status")).to_have_text("Done")
    assert len(held) == 1
    held[0].continue_()
    tab.wait_for_timeout(500)  # let the slow answer arrive: it must change nothing
    expect(tab.locator("#results-table tbody tr")).to_have_count(3)
    assert query_of(tab.url) == fast and recent(tab) == [fast]
    recorder.assert_local(base_url)
    assert recorder.errors == []
