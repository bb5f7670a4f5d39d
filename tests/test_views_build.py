"""Graph views (views.py, pages.py, site.py): the view data, the HTML page's structure, the
site, the command.

The pages are checked by structure (the embedded JSON, the legend, the absence of external
resources), never byte for byte; tests/test_views_browser.py opens them in Chromium.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import Result
from rdflib import URIRef
from rdflib.namespace import RDF

import ipgraph
from ipgraph.errors import DataError, EntityNotFound, NoPath, UsageError
from ipgraph.views.build import GROUPS, View, ViewSpec, build_view
from ipgraph.views.html import embed_json, to_html
from ipgraph.views.site import load_view_specs
from ipgraph.vocab import IPG

ROOT = Path(__file__).resolve().parents[1]
VIEWS_FILE = ROOT / "graphs" / "views.toml"

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


def embedded(page: str) -> dict[str, Any]:
    """The view data a page carries in its JSON script element."""
    found = re.search(
        r'<script type="application/json" id="ipgraph-data">(.*?)</script>', page, re.S
    )
    assert found, "the page carries no view data"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


class Tags(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(page)
    return parser.tags


@pytest.fixture(scope="module")
def evil_kg(tmp_path_factory: pytest.TempPathFactory) -> ipgraph.KnowledgeGraph:
    """The bundled graph plus a user file whose labels are HTML and script."""
    path = tmp_path_factory.mktemp("evil") / "evil.ttl"
    path.write_text(INJECTION_TTL, encoding="utf-8")
    return ipgraph.load(path)


# -- the view data --------------------------------------------------------------------------


def test_overview_draws_every_entity_of_the_projection(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view(max_nodes=None)
    projection = kg.projection()
    ids = view.node_ids()
    assert len(ids) == len(view.nodes)  # no node twice
    assert ids == {str(n) for n in projection.nodes}
    assert len(view.edges) == projection.number_of_edges()
    # Provenance and statistical vocabulary are not drawn; agencies are.
    for iri in ids:
        types = set(kg.graph.objects(URIRef(iri), RDF.type))
        assert not types & {IPG.Passage, IPG.Source, IPG.Unit, IPG.Measure, IPG.Qualifier}
    assert str(kg.resolve("MIIT")) in ids


def test_edges_join_drawn_nodes_and_name_their_relation(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view()
    ids = view.node_ids()
    for edge in view.edges:
        assert edge["from"] in ids and edge["to"] in ids
        assert edge["label"]
        triple = (URIRef(edge["from"]), URIRef(edge["predicate"]), URIRef(edge["to"]))
        assert triple in kg.graph, f"edge without a triple: {triple}"
    assert len({edge["id"] for edge in view.edges}) == len(view.edges)


def test_nodes_are_sized_by_degree(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view()
    degree: dict[str, int] = {n["id"]: 0 for n in view.nodes}
    for edge in view.edges:
        degree[edge["from"]] += 1
        degree[edge["to"]] += 1
    for node in view.nodes:
        assert node["degree"] == degree[node["id"]]
    by_degree = sorted(view.nodes, key=lambda n: n["degree"])
    assert by_degree[0]["size"] < by_degree[-1]["size"]


def test_legend_lists_each_class_drawn_with_its_count(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view()
    keys = [entry["key"] for entry in view.legend]
    known = [group.key for group in GROUPS]
    assert keys == [k for k in known if k in keys]  # in the documented order
    for entry in view.legend:
        assert entry["count"] == sum(1 for n in view.nodes if n["group"] == entry["key"])
        assert entry["label"] and entry["label_zh"] and entry["color"].startswith("#")
    assert {"agency", "document", "program", "region"} <= set(keys)
    colours = [(entry["color"], entry["shape"]) for entry in view.legend]
    assert len(set(colours)) == len(colours)


def test_node_classes_follow_the_ontology(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view()
    group = {n["id"]: n["group"] for n in view.nodes}
    assert group[str(kg.resolve("MIIT"))] == "agency"
    for iri in kg.instances("ipg:PolicyDocument"):
        if str(iri) in group:
            assert group[str(iri)] == "document"
    for iri in kg.instances("ipg:Region"):
        if str(iri) in group:
            assert group[str(iri)] == "region"


def test_tooltip_rows_give_type_labels_figures_and_source(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view()
    miit = next(n for n in view.nodes if n["id"] == str(kg.resolve("MIIT")))
    rows = dict((name, text) for name, text in miit["info"])
    assert rows["English"] == "Ministry of Industry and Information Technology"
    assert rows["中文"] == "工业和信息化部"
    assert "工信部" in rows["also"] and "MIIT" in rows["also"]
    assert "Ministry" in rows["type"]
    # Every figure the entity summary lists is in its tooltip, and so is every source.
    with_figures = [n for n in view.nodes if kg.entity(n["id"]).figures]
    assert with_figures, "the bundled graph has figures about drawn entities"
    for node in with_figures:
        summary = kg.entity(node["id"])
        texts = [text for name, text in node["info"] if name == "figure"]
        assert any(str(summary.figures[0]) in text for text in texts)
        sources = [text for name, text in node["info"] if name == "source"]
        many = len(summary.provenance)
        assert len(sources) == (many if many <= 4 else 5)  # four, then "... and N more"
        assert str(summary.provenance[0]) in sources


def test_neighbourhood_holds_what_is_within_depth(kg: ipgraph.KnowledgeGraph) -> None:
    cnipa = kg.resolve("CNIPA")
    one = kg.view("CNIPA", depth=1, max_nodes=None)
    two = kg.view("国家知识产权局", depth=2, max_nodes=None)
    assert one.meta["focus"] == [str(cnipa)]
    assert one.name == "cnipa-depth-1" and two.name == "cnipa-depth-2"
    assert one.node_ids() < two.node_ids()
    linked = {str(o) for o in kg.graph.objects(cnipa, None)} | {
        str(s) for s in kg.graph.subjects(None, cnipa)
    }
    assert one.node_ids() - {str(cnipa)} <= linked
    # Depth 2 is exactly the nodes reachable in two links in the drawn graph of the overview.
    overview = kg.view(max_nodes=None)
    g = nx.Graph((e["from"], e["to"]) for e in overview.edges)
    g.add_nodes_from(overview.node_ids())
    assert two.node_ids() == set(nx.single_source_shortest_path_length(g, str(cnipa), cutoff=2))


def test_path_view_joins_the_two_entities(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view(path=("MOF", "Zhejiang"))
    mof, zhejiang = str(kg.resolve("MOF")), str(kg.resolve("Zhejiang"))
    assert view.kind == "path" and view.name == "path-mof-zhejiang"
    assert set(view.meta["focus"]) == {mof, zhejiang}
    g = nx.Graph((e["from"], e["to"]) for e in view.edges)
    assert nx.has_path(g, mof, zhejiang)
    # Only shortest connections: every node lies on one.
    length = nx.shortest_path_length(g, mof, zhejiang)
    for node in view.node_ids():
        assert (
            nx.shortest_path_length(g, mof, node) + nx.shortest_path_length(g, node, zhejiang)
            == length
        )


def test_path_between_unconnected_entities_is_no_path(
    fresh_kg: ipgraph.KnowledgeGraph, write: Callable[[str, str], Path]
) -> None:
    lonely = write(
        "lonely.ttl",
        "@prefix ipg: <https://w3id.org/ipgraph/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://example.org/island> a ipg:Region ; rdfs:label "Lonely Island"@en .\n',
    )
    fresh_kg.add(lonely)
    with pytest.raises(NoPath, match="Lonely Island"):
        fresh_kg.view(path=("MOF", "Lonely Island"))


def test_agency_network_links_bodies_that_worked_together(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view(agencies=True)
    organizations = {str(o) for o in kg.instances("ipg:Organization")}
    assert view.node_ids() <= organizations
    assert view.edges, "the seed has jointly issued documents"
    roles = [IPG.issuedBy, IPG.launchedBy, IPG.organizedBy, IPG.carriedOutBy, IPG.inCooperationWith]

    def works(org: str) -> set[Any]:
        return {s for role in roles for s in kg.graph.subjects(role, URIRef(org))}

    for edge in view.edges:
        shared = works(edge["from"]) & works(edge["to"])
        assert shared, f"{edge['from']} and {edge['to']} share no document or program"
        listed = [text for name, text in edge["info"] if name in ("document", "program")]
        assert len(listed) == len(shared)
    # Every pair of co-issuers of a document is linked.
    pairs = {frozenset((e["from"], e["to"])) for e in view.edges}
    for document in set(kg.graph.subjects(IPG.issuedBy, None)):
        issuers = sorted({str(o) for o in kg.graph.objects(document, IPG.issuedBy)} & organizations)
        for i, first in enumerate(issuers):
            for second in issuers[i + 1 :]:
                assert frozenset((first, second)) in pairs


def test_construct_query_draws_its_triples(kg: ipgraph.KnowledgeGraph) -> None:
    sparql = "CONSTRUCT { ?d ipg:issuedBy ?a } WHERE { ?d ipg:issuedBy ?a }"
    view = kg.view(query=sparql)
    constructed = kg.query(sparql).graph
    assert constructed is not None
    assert view.node_ids() == {str(t) for s, _, o in constructed for t in (s, o)}
    assert len(view.edges) == len(constructed)


def test_select_query_draws_the_entities_it_returns(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view(query="SELECT ?m WHERE { ?m a ipg:Ministry }")
    assert view.node_ids() == {str(m) for m in kg.graph.subjects(RDF.type, IPG.Ministry)}
    with pytest.raises(UsageError, match="ASK"):
        kg.view(query="ASK { ?s ?p ?o }")
    with pytest.raises(UsageError, match="no entities"):
        kg.view(query='SELECT ?x WHERE { BIND("text" AS ?x) }')


def test_types_keep_only_those_classes(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view(types=["ipg:Agency"])
    agencies = {str(a) for a in kg.instances("ipg:Agency")}
    assert view.node_ids() == agencies & kg.view(max_nodes=None).node_ids()


def test_large_views_are_capped_with_a_notice(kg: ipgraph.KnowledgeGraph) -> None:
    full = kg.view(max_nodes=None)
    capped = kg.view(max_nodes=10)
    assert len(capped.nodes) == 10
    assert capped.meta["total_nodes"] == len(full.nodes)
    assert capped.meta["omitted_nodes"] == len(full.nodes) - 10
    notice = capped.meta["notice"]
    assert f"10 of {len(full.nodes)}" in notice and "--max-nodes" in notice
    # The best-connected nodes are kept.
    degree = {n["id"]: n["degree"] for n in full.nodes}
    kept = sorted(degree[i] for i in capped.node_ids())
    left = sorted(degree[i] for i in full.node_ids() - capped.node_ids())
    assert kept[0] >= left[-1]
    assert full.meta["notice"] is None
    page = to_html(capped)
    assert embedded(page)["meta"]["notice"] == notice
    # A neighbourhood keeps its centre whatever its degree.
    centre = str(kg.resolve("Zhejiang"))
    assert centre in kg.view("Zhejiang", depth=3, max_nodes=2).node_ids()


def test_big_views_get_fixed_positions(kg: ipgraph.KnowledgeGraph) -> None:
    fixed = kg.view(layout="fixed")
    assert fixed.meta["layout"] == "fixed"
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in fixed.nodes)
    assert len({(n["x"], n["y"]) for n in fixed.nodes}) == len(fixed.nodes)
    physics = kg.view(layout="physics")
    assert physics.meta["layout"] == "physics" and "x" not in physics.nodes[0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"entity": "CNIPA", "agencies": True}, "choose one view"),
        ({"entity": "CNIPA", "depth": 0}, "depth"),
        ({"max_nodes": 0}, "max nodes"),
        ({"layout": "spiral"}, "layout"),
        # regressions: a class typo drew an empty page; a path to itself leaked "max_length"
        ({"types": ["ipg:Agncy"]}, "unknown class 'ipg:Agncy'; did you mean ipg:Agency"),
        ({"entity": "CNIPA", "types": ["ipg:Agncy"]}, "unknown class"),
        ({"path": ("MOF", "财政部")}, "same entity"),
    ],
)
def test_bad_view_requests_are_usage_errors(
    kg: ipgraph.KnowledgeGraph, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        kg.view(**kwargs)


def test_unknown_entity_lists_near_misses(kg: ipgraph.KnowledgeGraph) -> None:
    with pytest.raises(EntityNotFound, match="Ministry of Finance"):
        kg.view("Ministry of Finanse")


# -- the page ---------------------------------------------------------------------------------


def test_page_embeds_exactly_the_view(kg: ipgraph.KnowledgeGraph) -> None:
    view = kg.view("CNIPA", depth=2)
    data = embedded(to_html(view))
    assert data == json.loads(json.dumps(view.to_dict()))
    assert len(data["nodes"]) == len(view.nodes) and len(data["edges"]) == len(view.edges)
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


# -- named views and the site ---------------------------------------------------------------


def test_committed_views_file_builds_every_view(kg: ipgraph.KnowledgeGraph) -> None:
    specs = load_view_specs(VIEWS_FILE)
    assert len(specs) >= 5
    kinds = {spec.kind for spec in specs}
    assert {"neighborhood", "path", "query"} <= kinds
    for spec in specs:
        view = build_view(kg, spec)
        assert view.nodes, f"view {spec.name} is empty"
        assert view.name == spec.name


def test_site_has_an_index_linking_every_view(kg: ipgraph.KnowledgeGraph, tmp_path: Path) -> None:
    index = kg.render_site(VIEWS_FILE, tmp_path / "site")
    names = ["overview", "agencies", *(spec.name for spec in load_view_specs(VIEWS_FILE))]
    links = [attrs["href"] for tag, attrs in tags_of(index.read_text("utf-8")) if tag == "a"]
    assert links == [f"{name}.html" for name in names]
    for link in links:
        assert link is not None
        page = (index.parent / link).read_text(encoding="utf-8")
        assert embedded(page)["nodes"]


def _views_file(write: Callable[[str, str], Path], text: str) -> Path:
    return write("views.toml", text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[views.x]\nentity = "CNIPA"\ndepht = 2\n', "view 'x': unknown key 'depht'"),
        ('[views.x]\nentity = "CNIPA"\nagencies = true\n', "view 'x': choose one view"),
        ('[views."Bad Name"]\nagencies = true\n', "view 'Bad Name'"),
        ('[views.x]\npath = ["MOF"]\n', "path must be two entities"),
        ("[views.x]\ndepth = 'two'\n", "depth must be a whole number"),
        ("[view.x]\n", "unknown top-level key 'view'"),
        ("[views.x\nentity = 1\n", "bad TOML"),
    ],
)
def test_bad_views_files_name_the_file_and_view(
    write: Callable[[str, str], Path], text: str, message: str
) -> None:
    path = _views_file(write, text)
    with pytest.raises(DataError, match=re.escape(message)) as caught:
        load_view_specs(path)
    assert str(path) in str(caught.value)


def test_toml_errors_carry_the_line(write: Callable[[str, str], Path]) -> None:
    path = _views_file(write, "[views.a]\nagencies = true\n\n[views.b\n")
    with pytest.raises(DataError) as caught:
        load_view_specs(path)
    assert caught.value.line == 4


def test_a_broken_named_view_names_itself(
    kg: ipgraph.KnowledgeGraph, write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    path = _views_file(write, '[views.ghost]\nentity = "Ministry of Magic"\n')
    with pytest.raises(DataError, match="view 'ghost': no entity matches 'Ministry of Magic'"):
        kg.render_site(path, tmp_path / "site")
    path = _views_file(write, "[views.overview]\nagencies = true\n")
    with pytest.raises(DataError, match="'overview' is defined twice"):
        kg.render_site(path, tmp_path / "site")


# -- the command ------------------------------------------------------------------------------


def _written(result: Result) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip())
    return embedded(path.read_text(encoding="utf-8"))


def test_cli_renders_each_kind_of_view(
    run: Callable[..., Result], tmp_path: Path, kg: ipgraph.KnowledgeGraph
) -> None:
    out = str(tmp_path / "v.html")
    assert _written(run("render", "-o", out))["kind"] == "overview"
    neighbourhood = _written(run("render", "CNIPA", "--depth", "2", "-o", out))
    assert {n["id"] for n in neighbourhood["nodes"]} == kg.view("CNIPA", depth=2).node_ids()
    assert _written(run("render", "--path", "MOF", "Zhejiang", "-o", out))["kind"] == "path"
    assert _written(run("render", "--agencies", "-o", out))["kind"] == "agencies"
    rq = tmp_path / "q.rq"
    rq.write_text("CONSTRUCT { ?d ipg:issuedBy ?a } WHERE { ?d ipg:issuedBy ?a }", "utf-8")
    assert _written(run("render", "-f", str(rq), "-o", out))["kind"] == "query"
    query = "SELECT ?m WHERE { ?m a ipg:Ministry }"
    assert _written(run("render", "--query", query, "-o", out))["kind"] == "query"


def test_cli_cap_goes_to_stderr(run: Callable[..., Result], tmp_path: Path) -> None:
    result = run("render", "--max-nodes", "5", "-o", str(tmp_path / "v.html"))
    data = _written(result)
    assert len(data["nodes"]) == 5
    assert "left out" in result.stderr and "left out" not in result.stdout


def test_cli_builds_the_site(run: Callable[..., Result], tmp_path: Path) -> None:
    result = run("render", "--all", "--views", str(VIEWS_FILE), "-o", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    index = Path(result.stdout.strip())
    assert index == tmp_path / "site" / "index.html" and index.is_file()
    assert (tmp_path / "site" / "mof-zhejiang.html").is_file()


def test_cli_site_without_a_views_file_has_the_built_in_views(
    run: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("render", "--all")
    assert result.exit_code == 0, result.output
    assert "no graphs/views.toml here" in result.stderr
    index = Path(result.stdout.strip())
    assert index == Path("graphs/site/index.html")
    links = [a["href"] for tag, a in tags_of(index.read_text("utf-8")) if tag == "a"]
    assert links == ["overview.html", "agencies.html"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--depth", "2"], "--depth needs an ENTITY"),
        (["CNIPA", "--agencies"], "choose one view"),
        (["--all", "CNIPA"], "--all builds every view"),
        (["--views", "x.toml"], "--views goes with --all"),
        (["--query", "ASK { ?s ?p ?o }"], "ASK query has no graph"),
        (["-f", "no-such.rq"], "cannot read no-such.rq"),
        (["--query", "SELEC ?x"], "syntax error"),
        (["Ministry of Magic"], "no entity matches"),
        (["CNIPA", "--depth", "0"], "depth must be 1 or more"),  # regression: drew depth 1
    ],
)
def test_cli_errors_are_one_line_and_exit_2(
    run: Callable[..., Result], args: list[str], message: str
) -> None:
    result = run("render", *args)
    assert result.exit_code == 2
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_view_repr_and_spec_kind() -> None:
    assert ViewSpec().kind == "overview" and ViewSpec(path=("a", "b")).kind == "path"
    assert repr(View("overview", "overview", "t", "d")) == "<View 'overview': 0 nodes, 0 edges>"
