"""Commands on the entity graph: path, neighbors, rank, render."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from ipgraph.errors import NoPath

if TYPE_CHECKING:
    pass

from ipgraph.cli.common import (
    LANG_OPTION,
    cli,
    data_options,
    echo_json,
    echo_text,
    format_option,
    limit_option,
    open_graph,
    read_text,
    relation_limit_option,
    table,
)

# -- paths: path, neighbors, rank (issue 4) -------------------------------------------------

INCLUDE_OPTION = click.option(
    "--include",
    "include",
    multiple=True,
    type=click.Choice(["observations", "provenance"]),
    help="Also walk through statistical observations or sources/passages; repeatable.",
)


@cli.command()
@click.argument("a")
@click.argument("b")
@click.option("--all", "all_paths", is_flag=True, help="Every simple path (bounded), not one.")
@click.option(
    "--max-length", type=int, metavar="N", help="Longest path in hops (--all default: 4)."
)
@click.option(
    "--limit",
    type=int,
    default=20,
    show_default=True,
    metavar="N",
    help="At most N paths (--all); 0 lists all.",
)
@click.option(
    "--k", "k", type=int, metavar="N", help="The N shortest paths (Yen's algorithm); 0: all."
)
@click.option(
    "--via",
    multiple=True,
    metavar="CLASS|RELATION",
    help="Only through entities of this class, or only along this relation; repeatable.",
)
@click.option(
    "--avoid",
    multiple=True,
    metavar="X",
    help="Never through this class, relation or entity; repeatable.",
)
@click.option(
    "--timeout", type=float, default=5.0, show_default=True, metavar="S", help="Time budget."
)
@INCLUDE_OPTION
@LANG_OPTION
@data_options
@format_option("text", "json")
def path(
    a: str,
    b: str,
    all_paths: bool,
    max_length: int | None,
    limit: int,
    k: int | None,
    via: Sequence[str],
    avoid: Sequence[str],
    timeout: float,
    include: Sequence[str],
    lang: str,
    data_files: Sequence[str],
    store: str | None,
    output_format: str,
) -> None:
    """How is A connected to B? The shortest connection, each hop with its direction.

    A and B are IRIs, CURIEs, English or Chinese names, or acronyms. Relations are walked
    either way; "—x→" follows a triple, "←x—" walks it backwards. With --all or --k, several
    paths, shortest first; the search stops at --limit paths or --timeout seconds and says so
    on stderr. --limit 0 (or --k 0) lists every path found within --timeout. Exits 1 when A
    and B are not connected.

    \b
    Example:
      ipgraph path MOF Zhejiang
      ipgraph path 财政部 CNIPA --all --max-length 3 --format json
      ipgraph path MOF Zhejiang --all --limit 0 --timeout 10
      ipgraph path MIIT "universities and colleges" --k 3 --avoid CNIPA
      ipgraph path MOE MOST --via ipg:PolicyDocument
    """
    kg = open_graph(data_files, store)
    if not (all_paths or k is not None):
        found = kg.path(a, b, via=via, avoid=avoid, include=include)
        if output_format == "json":
            echo_json(found.to_dict())
        else:
            echo_text(found.to_text(lang=lang))
        return
    results = kg.paths(
        a,
        b,
        max_length=max_length,
        limit=limit,
        k=k,
        via=via,
        avoid=avoid,
        include=include,
        timeout=timeout,
    )
    if not results:
        names = f"{kg.label(kg.resolve(a))} and {kg.label(kg.resolve(b))}"
        if results.reason == "time":
            raise NoPath(f"no connection between {names} found in {timeout:g} s; raise --timeout")
        within = f" within {max_length or 4} hops" if k is None else ""
        raise NoPath(f"no connection between {names}{within}; try a larger --max-length")
    if output_format == "json":
        echo_json(results.to_dict())
    else:
        for number, found in enumerate(results, start=1):
            echo_text(f"{number}. [{len(found)}] {found.to_text(lang=lang)}")
    if results.reason == "limit":
        listed = f"{len(results)} path{'' if len(results) == 1 else 's'}"
        click.echo(f"stopped at {listed}; raise --limit for more", err=True)
    elif results.reason == "time":
        click.echo(f"stopped after {timeout:g} s; raise --timeout for more", err=True)


@cli.command()
@click.argument("entity")
@click.option("--depth", "-d", type=int, default=1, show_default=True, help="Hops out.")
@click.option(
    "--type",
    "types",
    multiple=True,
    metavar="CLASS",
    help="List only entities of this class (e.g. ipg:Agency); repeatable.",
)
@click.option("--avoid", multiple=True, metavar="X", help="Never walk through X; repeatable.")
@relation_limit_option("entities")
@INCLUDE_OPTION
@LANG_OPTION
@data_options
@format_option("text", "json")
def neighbors(
    entity: str,
    depth: int,
    types: Sequence[str],
    avoid: Sequence[str],
    limit: int,
    include: Sequence[str],
    lang: str,
    data_files: Sequence[str],
    store: str | None,
    output_format: str,
) -> None:
    """The entities around ENTITY, grouped by depth and relation.

    \b
    Example:
      ipgraph neighbors MOF
      ipgraph neighbors CNIPA --depth 2 --type ipg:Agency
      ipgraph neighbors 教育部 --format json
      ipgraph neighbors CNIPA --limit 0
    """
    kg = open_graph(data_files, store)
    found = kg.neighbors(
        entity, depth=depth, types=types or None, avoid=avoid, include=include, limit=limit
    )
    if output_format == "json":
        echo_json(found.to_dict(limit=limit))
    else:
        echo_text(found.to_text(lang=lang, limit=limit))


@cli.command()
@click.option(
    "--measure",
    "-m",
    type=click.Choice(["degree", "betweenness", "pagerank"]),
    default="degree",
    show_default=True,
    help="Centrality measure.",
)
@click.option("--type", "type_", metavar="CLASS", help="List only this class, e.g. ipg:Agency.")
@limit_option("List the first N, highest score first; 0 lists all.")
@INCLUDE_OPTION
@data_options
@format_option("text", "json")
def rank(
    measure: str,
    type_: str | None,
    limit: int,
    include: Sequence[str],
    data_files: Sequence[str],
    store: str | None,
    output_format: str,
) -> None:
    """Who is central: entities ranked by degree, betweenness or PageRank.

    Scores are computed on the whole entity graph; --type only filters the listing.

    \b
    Example:
      ipgraph rank --type ipg:Agency
      ipgraph rank --measure betweenness --limit 5 --format json
    """
    kg = open_graph(data_files, store)
    ranked = kg.rank(measure, type=type_, limit=limit or None, include=include)
    if output_format == "json":
        echo_json([r.to_dict() for r in ranked])
        return
    digits = 0 if measure == "degree" else 4
    rows = [
        (
            str(number),
            f"{r.score:.{digits}f}",
            r.label,
            r.label_zh if r.label_zh != r.label else "",
            ", ".join(kg.curie(t) for t in r.types),
        )
        for number, r in enumerate(ranked, start=1)
    ]
    click.echo(table(rows, ["#", measure, "label", "中文", "type"]))


# -- views: render (issue 5) ----------------------------------------------------------------


@cli.command()
@click.argument("entity", required=False)
@click.option("--depth", "-d", type=int, default=None, help="Links away from ENTITY  [default: 1].")
@click.option(
    "--path", "route", nargs=2, metavar="A B", help="The shortest connections of A and B."
)
@click.option("--agencies", is_flag=True, help="Agencies linked by joint documents and programs.")
@click.option("--query", "sparql", metavar="SPARQL", help="Draw a CONSTRUCT or SELECT result.")
@click.option(
    "--query-file",
    "-f",
    "query_file",
    metavar="FILE",
    help="Read that query from a file ('-': stdin).",
)
@click.option(
    "--type", "types", multiple=True, metavar="CLASS", help="Only this class; repeatable."
)
@click.option(
    "--all",
    "build_all",
    is_flag=True,
    help="Build the site: every built-in and named view plus an index page.",
)
@click.option(
    "--views",
    "views_file",
    metavar="FILE",
    help="The named views for --all  [default: graphs/views.toml].",
)
@click.option(
    "--output",
    "-o",
    metavar="PATH",
    help="The file to write [default: graphs/NAME.html]; with --all the folder "
    "[default: graphs/site].",
)
@click.option(
    "--max-nodes",
    type=int,
    default=500,
    show_default=True,
    help="Cap the view at N nodes (the best connected; on a persistent store, a "
    "neighbourhood reads the first N by IRI); 0 for no cap.",
)
@click.option(
    "--layout",
    type=click.Choice(["auto", "physics", "fixed"]),
    default="auto",
    show_default=True,
    help="physics settles then stops; fixed places nodes in Python (fast for big views).",
)
@click.option("--title", metavar="TEXT", help="The page heading.")
@data_options
def render(
    entity: str | None,
    depth: int | None,
    route: tuple[str, str] | None,
    agencies: bool,
    sparql: str | None,
    query_file: str | None,
    types: Sequence[str],
    build_all: bool,
    views_file: str | None,
    output: str | None,
    max_nodes: int,
    layout: str,
    title: str | None,
    data_files: Sequence[str],
    store: str | None,
) -> None:
    """Write an explorable graph view as one HTML page that works offline.

    Without options: the whole graph. With ENTITY: its neighbourhood. Or one of --path,
    --agencies, --query / -f. The page opens from file:// with no network request; search by
    English or Chinese name or acronym, filter by class, hover or click for details. Prints
    the path written on stdout; notes (nodes left out by --max-nodes) go to stderr.

    --all builds graphs/site/: the whole graph, the agency network and every view declared
    in graphs/views.toml (edit that file to add views), with an index.html, whose path is
    printed.

    \b
    Example:
      ipgraph render
      ipgraph render CNIPA --depth 2
      ipgraph render --path MOF Zhejiang
      ipgraph render --agencies -o agencies.html
      ipgraph render --query 'CONSTRUCT { ?d ipg:issuedBy ?a } WHERE { ?d ipg:issuedBy ?a }'
      ipgraph render --all
    """
    from pathlib import Path

    from ipgraph.errors import UsageError
    from ipgraph.views.html import write_html

    if query_file is not None:
        if sparql is not None:
            raise UsageError("give the query either with --query or with --query-file, not both")
        sparql = read_text(query_file)
    kg = open_graph(data_files, store)
    if build_all:
        chosen = [entity, route, sparql, depth, title]
        if any(value is not None for value in chosen) or agencies or types:
            raise UsageError("--all builds every view; it takes only --views and --output")
        default = "graphs/views.toml"
        views_path: str | None = views_file or default
        if views_file is None and not Path(default).is_file():
            click.echo(
                f"ipgraph: note: no {default} here; building the built-in views only", err=True
            )
            views_path = None
        index = kg.render_site(views_path, output or "graphs/site")
        echo_text(str(index))
        return
    if views_file is not None:
        raise UsageError("--views goes with --all")
    if depth is not None and entity is None:
        raise UsageError("--depth needs an ENTITY: ipgraph render CNIPA --depth 2")
    view = kg.view(
        entity,
        depth=1 if depth is None else depth,
        path=route,
        agencies=agencies,
        query=sparql,
        types=types,
        max_nodes=max_nodes or None,
        layout=layout,
        title=title,
    )
    written = write_html(view, output or Path("graphs") / f"{view.name}.html")
    if view.meta["notice"]:
        echo_text(f"ipgraph: note: {view.meta['notice']}", err=True)
    echo_text(str(written))
