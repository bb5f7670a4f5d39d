"""The facade's view methods (`ipgraph.kg_views.ViewMethods`): `view`, `render`, `show` and
`render_site` return what they say."""

from __future__ import annotations

from pathlib import Path

import ipgraph
from ipgraph.views.model import View
from pagecheck import embedded


def test_view_returns_the_view_asked_for(kg: ipgraph.KnowledgeGraph) -> None:
    overview = kg.view()
    assert isinstance(overview, View) and overview.kind == "overview"
    around = kg.view("CNIPA", depth=1)
    assert around.kind == "neighborhood" and str(kg.resolve("CNIPA")) in around.node_ids()
    path = kg.view(path=("MOF", "Zhejiang"))
    assert path.kind == "path"
    assert {str(n) for n in kg.path("MOF", "Zhejiang").nodes} <= path.node_ids()
    assert kg.view(agencies=True).kind == "agencies"
    assert kg.view(types=["ipg:Agency"]).node_ids() <= overview.node_ids()


def test_render_writes_the_page_of_that_view(kg: ipgraph.KnowledgeGraph, tmp_path: Path) -> None:
    out = kg.render("CNIPA", output=tmp_path / "cnipa.html")
    assert out == tmp_path / "cnipa.html" and out.is_file()
    drawn = embedded(out.read_text(encoding="utf-8"))
    assert {n["id"] for n in drawn["nodes"]} == kg.view("CNIPA").node_ids()


def test_show_is_an_inline_page_of_the_same_view(kg: ipgraph.KnowledgeGraph) -> None:
    shown = kg.show(agencies=True)
    html = shown._repr_html_()
    assert html.startswith("<iframe srcdoc=")
    assert shown.view.node_ids() == kg.view(agencies=True).node_ids()


def test_render_site_writes_an_index(kg: ipgraph.KnowledgeGraph, tmp_path: Path) -> None:
    index = kg.render_site(None, tmp_path / "site")
    assert index == tmp_path / "site" / "index.html" and index.is_file()
    assert (tmp_path / "site" / "overview.html").is_file()
