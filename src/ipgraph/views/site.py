"""The site of named views: ``graphs/views.toml`` read and checked, every view rendered.

`load_view_specs` reads the views file into `ViewSpec` objects (a mistake names the file, the
view and the key); `build_site` renders the built-in views and the named ones into a folder
with an ``index.html`` linking them (what ``ipgraph render --all`` does).

>>> import ipgraph, tempfile
>>> index = build_site(ipgraph.load(), [ViewSpec(name="cnipa", entity="CNIPA")], tempfile.mkdtemp())
>>> sorted(page.name for page in index.parent.glob("*.html"))
['agencies.html', 'cnipa.html', 'index.html', 'overview.html']
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ipgraph.errors import DataError, IpgraphError, UsageError
from ipgraph.views.build import build_view
from ipgraph.views.html import render_template, write_html, write_page
from ipgraph.views.model import DEFAULT_MAX_NODES, ViewSpec

if TYPE_CHECKING:
    from ipgraph.kg import KnowledgeGraph

__all__ = ["BUILT_IN_VIEWS", "SitePage", "build_site", "load_view_specs"]

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")  # a view name is a file name
_SPEC_KEYS = {
    "title",
    "description",
    "entity",
    "depth",
    "path",
    "agencies",
    "query",
    "types",
    "max_nodes",
    "layout",
}

BUILT_IN_VIEWS = (
    ViewSpec(name="overview"),
    ViewSpec(name="agencies", agencies=True),
)
"""The views every site has, before the named views of the views file."""


def _read_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        try:
            import tomli as tomllib  # type: ignore[import-not-found, no-redef, unused-ignore]
        except ModuleNotFoundError:
            raise IpgraphError(
                f"reading {path} needs Python 3.11 or the tomli package: pip install tomli"
            ) from None
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(str(path), "no such views file") from None
    except OSError as exc:
        raise DataError(str(path), exc.strerror or str(exc)) from None
    try:
        loaded: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(found.group(1)) if found else None
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise DataError(str(path), f"bad TOML: {reason}", line) from None
    return loaded


def load_view_specs(path: str | Path) -> list[ViewSpec]:
    """Read the named views of a views file (TOML: one ``[views.NAME]`` table per view).

    Raises:
        DataError: the file is missing, is not TOML, or a view has an unknown key, a bad
            value or a bad name; the message names the file and the view.

    >>> import tempfile
    >>> views_file = Path(tempfile.mkdtemp()) / "views.toml"
    >>> _ = views_file.write_text('[views.moe]\\nentity = "MOE"\\ndepth = 2\\n', encoding="utf-8")
    >>> [(spec.name, spec.kind, spec.entity, spec.depth) for spec in load_view_specs(views_file)]
    [('moe', 'neighborhood', 'MOE', 2)]
    """
    path = Path(path)
    document = _read_toml(path)
    unknown = set(document) - {"views"}
    if unknown:
        raise DataError(
            str(path), f"unknown top-level key {sorted(unknown)[0]!r}; put views in [views.NAME]"
        )
    tables = document.get("views", {})
    if not isinstance(tables, dict):
        raise DataError(str(path), "'views' must be tables: [views.NAME]")
    specs = []
    for name, table in tables.items():
        specs.append(_spec_from_table(path, name, table))
    return specs


def _spec_from_table(path: Path, name: str, table: Any) -> ViewSpec:
    def bad(reason: str) -> DataError:
        return DataError(str(path), f"view {name!r}: {reason}")

    if not _SLUG.match(name):
        raise bad("a view name is a file name: lower-case letters, digits, '-' and '_'")
    if not isinstance(table, dict):
        raise bad("must be a table: [views.NAME]")
    unknown = set(table) - _SPEC_KEYS
    if unknown:
        raise bad(f"unknown key {sorted(unknown)[0]!r}; use {', '.join(sorted(_SPEC_KEYS))}")

    def text(key: str) -> str | None:
        value = table.get(key)
        if value is not None and not isinstance(value, str):
            raise bad(f"{key} must be a string")
        return value

    def integer(key: str, default: int | None) -> int | None:
        value = table.get(key, default)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise bad(f"{key} must be a whole number")
        return value

    route = table.get("path")
    if route is not None and (
        not isinstance(route, list) or len(route) != 2 or not all(isinstance(r, str) for r in route)
    ):
        raise bad('path must be two entities: path = ["MOF", "Zhejiang"]')
    types = table.get("types", [])
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise bad('types must be a list of classes: types = ["ipg:Agency"]')
    agencies = table.get("agencies", False)
    if not isinstance(agencies, bool):
        raise bad("agencies must be true or false")
    spec = ViewSpec(
        name=name,
        title=text("title"),
        description=text("description"),
        entity=text("entity"),
        depth=integer("depth", 1) or 1,
        path=(route[0], route[1]) if route else None,
        agencies=agencies,
        query=text("query"),
        types=tuple(types),
        max_nodes=integer("max_nodes", DEFAULT_MAX_NODES),
        layout=text("layout") or "auto",
    )
    try:
        spec.kind  # noqa: B018 - checks that one kind is chosen
    except UsageError as exc:
        raise bad(str(exc)) from None
    return spec


@dataclass(frozen=True)
class SitePage:
    """One page of a built site."""

    name: str
    file: Path
    title: str
    description: str
    nodes: int
    edges: int
    notice: str | None


def build_site(
    kg: KnowledgeGraph, specs: Sequence[ViewSpec], output: str | Path, source: str | None = None
) -> Path:
    """Render the built-in views and ``specs`` into ``output`` with an ``index.html``.

    Args:
        kg: the knowledge graph.
        specs: the named views (see `load_view_specs`).
        output: the folder to write (created if missing).
        source: where the specs came from, for error messages.

    Returns:
        The path of the index page.

    Raises:
        DataError: two views share a name, or a view cannot be built (the message names it).
    """
    folder = Path(output)
    all_specs = [*BUILT_IN_VIEWS, *specs]
    names = Counter(spec.name for spec in all_specs)
    duplicated = [name for name, count in names.items() if count > 1]
    if duplicated:
        raise DataError(source or "views", f"view {duplicated[0]!r} is defined twice")
    pages = []
    for spec in all_specs:
        try:
            view = build_view(kg, spec)
        except IpgraphError as exc:
            raise DataError(source or "views", f"view {spec.name!r}: {exc}") from None
        file = write_html(view, folder / f"{spec.name}.html")
        pages.append(
            SitePage(
                view.name,
                file,
                view.title,
                view.description,
                len(view.nodes),
                len(view.edges),
                view.meta["notice"],
            )
        )
    return write_page(_index_html(pages), folder / "index.html")


def _index_html(pages: Sequence[SitePage]) -> str:
    return render_template("index.html", pages=pages)
