"""The facade's graph views: what a page draws (`view`), the page (`render`), Jupyter's inline
view (`show`) and the site of named views (`render_site`) — thin shims over `ipgraph.views`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from ipgraph.kg import KnowledgeGraph
    from ipgraph.views import build as views
    from ipgraph.views import html as pages

__all__ = ["ViewMethods"]


class ViewMethods:
    """Graph views, as methods of `KnowledgeGraph` (the views are clients of the facade)."""

    def view(
        self,
        entity: str | None = None,
        *,
        depth: int = 1,
        path: tuple[str, str] | None = None,
        agencies: bool = False,
        query: str | None = None,
        types: Iterable[str] = (),
        max_nodes: int | None = 500,
        layout: str = "auto",
        title: str | None = None,
    ) -> views.View:
        """What a graph page would draw, as plain data (nodes, edges, legend, meta).

        Give at most one of ``entity`` (its neighbourhood), ``path`` (the shortest connections
        between two entities), ``agencies`` (the collaboration network) or ``query`` (a SPARQL
        CONSTRUCT or SELECT); with none, the whole graph.

        Args:
            entity: an entity reference (IRI, CURIE, English or Chinese name, acronym).
            depth: how many links away from ``entity`` to go.
            path: two entity references.
            agencies: the agencies linked by co-issued documents and joint programs.
            query: SPARQL; CONSTRUCT draws its triples, SELECT the entities it returns.
            types: keep only these classes (``ipg:Agency``).
            max_nodes: the cap; the best-connected nodes are kept, ``None`` keeps all.
            layout: ``auto`` (physics up to 400 nodes), ``physics`` or ``fixed``.
            title: the page heading instead of the default.

        Raises:
            UsageError: several kinds of view at once, or a bad depth, cap or layout.
            EntityNotFound: an entity reference matches nothing (with near misses).
            NoPath: the two entities of ``path`` are not connected.

        >>> import ipgraph
        >>> view = ipgraph.load().view("MOE", depth=1)
        >>> view.nodes[0]["label"] in [n["label"] for n in view.nodes]
        True
        """
        from ipgraph.views import build as views

        spec = views.ViewSpec(
            title=title,
            entity=entity,
            depth=depth,
            path=path,
            agencies=agencies,
            query=query,
            types=tuple(types),
            max_nodes=max_nodes,
            layout=layout,
        )
        return views.build_view(cast("KnowledgeGraph", self), spec)

    def render(
        self,
        entity: str | None = None,
        *,
        output: str | Path | None = None,
        depth: int = 1,
        path: tuple[str, str] | None = None,
        agencies: bool = False,
        query: str | None = None,
        types: Iterable[str] = (),
        max_nodes: int | None = 500,
        layout: str = "auto",
        title: str | None = None,
    ) -> Path:
        """Write a view (see `view` for the arguments) as a self-contained HTML page.

        The page opens from ``file://`` with no network request: vis-network is inlined from
        the installed pyvis. Search by English or Chinese name or acronym, filter by class,
        hover or click for types, labels, figures and sources.

        Args:
            output: the file to write; default ``graphs/{view name}.html``.

        Returns:
            The path written.

        >>> import ipgraph, tempfile, pathlib
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "agencies.html"
        >>> ipgraph.load().render(agencies=True, output=out) == out
        True
        """
        from ipgraph.views import html as pages

        built = self.view(
            entity,
            depth=depth,
            path=path,
            agencies=agencies,
            query=query,
            types=types,
            max_nodes=max_nodes,
            layout=layout,
            title=title,
        )
        target = output if output is not None else Path("graphs") / f"{built.name}.html"
        return pages.write_html(built, target)

    def show(
        self,
        entity: str | None = None,
        *,
        depth: int = 1,
        path: tuple[str, str] | None = None,
        agencies: bool = False,
        query: str | None = None,
        types: Iterable[str] = (),
        max_nodes: int | None = 500,
        layout: str = "auto",
        title: str | None = None,
        height: int = 640,
    ) -> pages.HtmlView:
        """A view (see `view` for the arguments) that Jupyter displays inline.

        >>> import ipgraph
        >>> shown = ipgraph.load().show("CNIPA")
        >>> shown._repr_html_().startswith("<iframe srcdoc=")
        True
        """
        from ipgraph.views import html as pages

        built = self.view(
            entity,
            depth=depth,
            path=path,
            agencies=agencies,
            query=query,
            types=types,
            max_nodes=max_nodes,
            layout=layout,
            title=title,
        )
        return pages.HtmlView(built, height=height)

    def render_site(
        self,
        views_file: str | Path | None = "graphs/views.toml",
        output: str | Path = "graphs/site",
    ) -> Path:
        """Render every view into a small site: the built-in views plus the named views of
        ``views_file`` (TOML), with an index page.

        Args:
            views_file: the named views; ``None`` for the built-in views only.
            output: the folder to write.

        Returns:
            The path of the index page.

        Raises:
            DataError: the views file is missing or wrong, or a view cannot be built.
        """
        from ipgraph.views import site

        specs = site.load_view_specs(views_file) if views_file is not None else []
        source = str(views_file) if views_file is not None else None
        return site.build_site(cast("KnowledgeGraph", self), specs, output, source=source)
