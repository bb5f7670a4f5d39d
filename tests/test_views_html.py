"""Graph pages (views/html.py): the HTML page's structure and its escaping
(``ipgraph render`` is tested in test_cli_graph.py).

Checked by structure (the embedded JSON, the tags, the absence of external resources), never
byte for byte; tests/test_views_browser.py opens the pages in Chromium.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import ipgraph
from ipgraph.errors import UsageError
from ipgraph.views import html
from ipgraph.views.html import embed_json, page_data, to_html
from pagecheck import embedded, tags_of

INJECTION_TTL = """
@prefix ipg: <https://w3id.org/ipgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://example.org/evil/doc> a ipg:Notice ;
    rdfs:label "<script>window.__pwned=1</script>"@en ;
    ipg:issuedBy <https://w3id.org/ipgraph/id/agency/cnipa> .
<https://example.org/evil/agency> a ipg:Agency ;
    rdfs:label "<img src=x onerror=\\"window.__pwned=1\\">"@en , "</script><b>恶意</b>"@zh ;
    skos:altLabel "&amp; \u2028 -->"@en .
<https://example.org/evil/doc> ipg:issuedBy <https://example.org/evil/agency> .
"""
EVIL_LABELS = {
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "</script><b>恶意</b>",
}


@pytest.fixture(scope="module")
def evil_kg(tmp_path_factory: pytest.TempPathFactory) -> ipgraph.KnowledgeGraph:
    """The bundled graph plus a user file whose labels are HTML and script."""
    path = tmp_path_factory.mktemp("evil") / "evil.ttl"
    path.write_text(INJECTION_TTL, encoding="utf-8")
    return ipgraph.load(path)


# -- the page ---------------------------------------------------------------------------------


def test_page_embeds_exactly_the_view(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view("CNIPA", depth=2)
    data = embedded(to_html(view))
    assert data == json.loads(json.dumps(page_data(view)))
    whole = json.loads(json.dumps(view.to_dict()))
    assert {k: v for k, v in data.items() if k not in ("edges", "reserve")} == {
        k: v for k, v in whole.items() if k not in ("edges", "reserve")
    }
    assert data["reserve"]["nodes"] == whole["reserve"]["nodes"]
    # The links packed: one row each, every IRI and name once (the page unpacks them; the
    # browser tests check that it gets the view's links back exactly).
    rows, strings = data["edges"]["rows"], data["edges"]["strings"]
    assert len(rows) == len(view.edges) and len(strings) == len(set(strings))
    for row, edge in zip(rows, view.edges, strict=True):
        assert [row[0], *(strings[i] for i in row[1:5])] == [
            edge["id"],
            edge["from"],
            edge["to"],
            edge["predicate"],
            edge["label"],
        ]
    assert len(data["nodes"]) == len(view.nodes)
    assert [entry["key"] for entry in data["legend"]] == [e["key"] for e in view.legend]


def test_page_is_self_contained(kg: ipgraph.KnowledgeGraph) -> None:
    page = to_html(kg.view())
    for tag, attrs in tags_of(page):
        for name in ("src", "href", "srcset", "action", "data"):
            assert not attrs.get(name), f"<{tag} {name}=...> would load something"
        assert tag not in ("link", "iframe", "object", "embed", "base")
    assert "vis.Network" in page and "cdn" not in page.split("<script>")[-1].lower()
    assert page.count("<style>") == 2  # vis-network's and ours, inline


def test_page_is_utf8_with_chinese_as_text(kg: ipgraph.KnowledgeGraph, tmp_path: Path) -> None:
    out = kg.render("MIIT", output=tmp_path / "miit.html")
    raw = out.read_bytes()
    page = raw.decode("utf-8")
    assert '<meta charset="utf-8">' in page[:200]
    assert "工业和信息化部".encode() in raw  # not \\u-escaped: readable and searchable
    assert "<title>Ministry of Industry and Information Technology" in page


def test_written_page_inlines_the_installed_vis_network_and_is_the_page(
    kg: ipgraph.KnowledgeGraph, tmp_path: Path
) -> None:
    # The file is written as the template yields it: the same page as to_html, whole.
    import importlib.util

    from ipgraph.views.html import write_html
    from ipgraph.views.model import VIS_VERSION

    view = kg.view("MIIT")
    out = write_html(view, tmp_path / "miit.html")
    page = out.read_text(encoding="utf-8")
    assert page == to_html(view) and page.rstrip().endswith("</html>")
    spec = importlib.util.find_spec("pyvis")
    assert spec is not None and spec.submodule_search_locations
    lib = Path(next(iter(spec.submodule_search_locations))) / "lib" / f"vis-{VIS_VERSION}"
    script = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    assert script[:2000] in page and script[-2000:] in page


def test_labels_cannot_break_out_of_the_page(evil_kg: ipgraph.KnowledgeGraph) -> None:
    view = evil_kg.view(max_nodes=None)
    page = to_html(view)
    data = embedded(page)
    labels = {n["label"] for n in data["nodes"]} | {n["zh"] for n in data["nodes"]}
    assert labels >= EVIL_LABELS  # the data is intact
    for label in EVIL_LABELS:
        assert label not in page  # but never as markup
    assert "window.__pwned" not in "".join(attrs.get("onerror") or "" for _, attrs in tags_of(page))
    assert not any(tag in ("img", "b") for tag, _ in tags_of(page))
    assert "\u2028" not in page.split('id="ipgraph-data">')[1].split("</script>")[0]


def test_titles_are_escaped_in_the_markup(kg: ipgraph.KnowledgeGraph) -> None:
    page = to_html(kg.view(agencies=True, title="<b>Joint</b> & co"))
    assert "<title>&lt;b&gt;Joint&lt;/b&gt; &amp; co</title>" in page
    assert "b" not in [tag for tag, _ in tags_of(page)]


def test_embed_json_round_trips_every_hostile_string() -> None:
    value = {"s": "</script><!-- <script> & \u2028\u2029 ' \" 工信部"}
    text = embed_json(value)
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == value


def test_show_displays_in_a_sandboxed_iframe(kg: ipgraph.KnowledgeGraph, tmp_path: Path) -> None:
    shown = kg.show("MOE")
    markup = shown._repr_html_()
    assert markup.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts"' in markup
    srcdoc = re.search(r'srcdoc="([^"]*)"', markup)
    assert srcdoc is not None
    assert "<script" not in srcdoc.group(1)  # all escaped inside the attribute
    import html

    assert embedded(html.unescape(srcdoc.group(1)))["meta"]["focus"] == [str(kg.resolve("MOE"))]
    saved = shown.save(tmp_path / "moe.html")
    assert saved.read_text(encoding="utf-8") == shown.html


def test_unwritable_output_is_a_usage_error(kg: ipgraph.KnowledgeGraph, tmp_path: Path) -> None:
    # Regression: HtmlView.save raised a raw OSError (a traceback), unlike render().
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(UsageError, match="cannot write"):
        kg.show("MOE").save(blocker / "moe.html")
    with pytest.raises(UsageError, match="cannot write"):
        kg.render_site(None, blocker / "site")


def test_render_writes_to_graphs_by_default(
    kg: ipgraph.KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = kg.render(path=("MOF", "Zhejiang"))
    assert out == Path("graphs/path-mof-zhejiang.html") and out.is_file()


def test_a_failed_write_leaves_the_page_that_was_there(tmp_path: Path) -> None:
    page = tmp_path / "view.html"
    page.write_text("<p>the good page</p>", encoding="utf-8")

    def chunks() -> Iterator[str]:
        yield "<p>half"
        raise KeyboardInterrupt  # Ctrl-C while the page is being written

    with pytest.raises(KeyboardInterrupt):
        html._write_chunks(chunks(), page)
    assert page.read_text(encoding="utf-8") == "<p>the good page</p>"
    assert [p.name for p in tmp_path.iterdir()] == ["view.html"]  # no temporary file left
    written = html.write_page("<p>新</p>", page)
    assert written.read_text(encoding="utf-8") == "<p>新</p>"
    assert written.stat().st_mode & 0o777 == 0o666 & ~_current_umask()


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("size", [1, 2, 3, 7, 8, 9, 64])
def test_an_inlined_script_cannot_end_its_element_whatever_the_pieces(
    tmp_path: Path, size: int
) -> None:
    # Read in pieces, a "</script" split across two of them must still be escaped.
    from ipgraph.views.html import inlined

    text = "a</script>b</SCRIPT c<</scrip</script" * 5 + "<"
    source = tmp_path / "vis.js"
    source.write_text(text, encoding="utf-8")
    written = "".join(inlined(source, "script", size=size))
    assert written == re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)
    assert "</script" not in written.lower()


def test_the_data_in_pieces_is_the_data_whole(kg: ipgraph.KnowledgeGraph) -> None:
    from ipgraph.views.html import json_pieces

    data = page_data(kg.view("CNIPA", depth=2))
    whole = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    pieces = list(json_pieces(data))
    assert "".join(pieces) == whole
    assert max(len(piece) for piece in pieces) < len(whole) / 10
