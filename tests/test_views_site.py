"""The site of named views (views/site.py): graphs/views.toml read and checked, the index page
(``ipgraph render --all`` is tested in test_cli_graph.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

import ipgraph
from ipgraph.errors import DataError
from ipgraph.views.build import build_view
from ipgraph.views.site import load_view_specs
from pagecheck import embedded, tags_of

ROOT = Path(__file__).resolve().parents[1]
VIEWS_FILE = ROOT / "graphs" / "views.toml"


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
