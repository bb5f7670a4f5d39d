"""The ``ipgraph`` command: a thin twin of the `KnowledgeGraph` facade.

Each command parses its arguments, calls one facade method and formats the result: data on
stdout, messages on stderr. Library errors become one line on stderr and the documented exit
code (0 ok, 1 no result or the data does not conform, 2 usage or input error).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ipgraph.errors import IpgraphError, NoPath, NoResult

if TYPE_CHECKING:
    from ipgraph.kg import KnowledgeGraph
    from ipgraph.sparql.run import QueryResult

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class IpgraphGroup(click.Group):
    """Turns every `IpgraphError` into a one-line message and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except IpgraphError as exc:
            click.echo(f"ipgraph: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:  # `ipgraph export | head` is fine
            sys.stderr.close()
            ctx.exit(0)


@click.group(cls=IpgraphGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="ipgraph")
def cli() -> None:
    """A knowledge graph of China's intellectual-property policy.

    Agencies, policy documents, programs, regions, organizations and figures, each traceable
    to the passage that states it. Query it with SPARQL, walk paths between entities, render
    explorable graph views.

    \b
    Example:
      ipgraph find 工信部
      ipgraph show CNIPA
    """


def data_options(command: F) -> F:
    """The options every command shares: extra data files and the store."""
    command = click.option(
        "--store",
        envvar="IPGRAPH_STORE",
        metavar="SPEC",
        help="Where the graph lives: memory (default), oxigraph:PATH or sparql:URL. "
        "Also read from IPGRAPH_STORE.",
    )(command)
    command = click.option(
        "--data",
        "data_files",
        multiple=True,
        metavar="FILE",
        type=click.Path(dir_okay=False),
        help="Add an RDF file (Turtle, TriG, N-Triples, N-Quads, JSON-LD); repeatable.",
    )(command)
    return command


def format_option(*choices: str, default: str = "text") -> Callable[[F], F]:
    """A ``--format`` option with the given choices."""
    return click.option(
        "--format",
        "-f",
        "output_format",
        type=click.Choice(choices, case_sensitive=False),
        default=default,
        show_default=True,
        help="Output format.",
    )


def open_graph(data_files: Sequence[str], store: str | None) -> KnowledgeGraph:
    """Load the bundled graph plus the user's files into the chosen store."""
    from ipgraph.kg import load

    return load(*data_files, store=store)


def echo_json(value: Any) -> None:
    """Print JSON with Chinese text left readable."""
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def table(rows: Sequence[Sequence[str]], headers: Sequence[str]) -> str:
    """A plain text table whose columns line up also with Chinese (double-width) text."""
    import unicodedata

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    def pad(text: str, size: int) -> str:
        return text + " " * (size - width(text))

    cells = [list(headers), *[[str(c) for c in row] for row in rows]]
    sizes = [max(width(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(pad(c, s) for c, s in zip(row, sizes, strict=True)).rstrip() for row in cells
    ]
    lines.insert(1, "  ".join("-" * s for s in sizes))
    return "\n".join(lines)


LABEL_WIDTH = 48  # a table shows labels up to this many characters, then "…"


def shorten(text: str, width: int = LABEL_WIDTH) -> str:
    """Cut a long label for a table cell.

    >>> shorten("Guidelines for Formulating IP-Related Terms and Conditions", 20)
    'Guidelines for Form…'
    """
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# -- foundation: info, validate, find, show, export ---------------------------------------


@cli.command()
@data_options
@format_option("text", "json")
def info(data_files: Sequence[str], store: str | None, output_format: str) -> None:
    """Counts: triples, entities per class, triples per source graph.

    \b
    Example:
      ipgraph info
      ipgraph info --data my-facts.ttl --format json
    """
    kg = open_graph(data_files, store)
    summary = kg.info()
    if output_format == "json":
        echo_json(summary)
        return
    click.echo(f"{summary['triples']} triples, {summary['entities']} entities ({kg.store.kind})")
    click.echo("\nsources:")
    click.echo(
        table(
            [(s["graph"], str(s["triples"]), s["path"] or "") for s in summary["sources"]],
            ["graph", "triples", "file"],
        )
    )
    click.echo("\nentities per class (by direct type):")
    click.echo(table([(c, str(n)) for c, n in summary["classes"].items()], ["class", "count"]))


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@data_options
@format_option("text", "json")
def validate(
    files: Sequence[str], data_files: Sequence[str], store: str | None, output_format: str
) -> None:
    """Check the graph (and FILES, if given) against the SHACL shapes.

    Exits 0 when the data conforms, 1 with each violation listed (focus node and message),
    2 when a file cannot be read.

    \b
    Example:
      ipgraph validate
      ipgraph validate new-source.ttl
    """
    kg = open_graph(data_files, store)
    report = kg.validate(*files)
    if output_format == "json":
        echo_json(report.to_dict())
    else:
        click.echo(report.to_text())
    if not report.conforms:
        sys.exit(1)


@cli.command()
@click.argument("text")
@click.option("--limit", "-n", default=10, show_default=True, help="How many matches at most.")
@click.option(
    "--type", "types", multiple=True, metavar="CLASS", help="Only this class, e.g. ipg:Agency."
)
@data_options
@format_option("text", "json")
def find(
    text: str,
    limit: int,
    types: Sequence[str],
    data_files: Sequence[str],
    store: str | None,
    output_format: str,
) -> None:
    """Find entities by English or Chinese label or acronym, best match first.

    Exits 1 when nothing matches.

    \b
    Example:
      ipgraph find MOE
      ipgraph find 知识产权 --type ipg:PolicyDocument
    """
    kg = open_graph(data_files, store)
    matches = kg.find(text, limit=limit, types=types or None)
    if not matches:
        raise NoResult(f"nothing matches {text!r}")
    if output_format == "json":
        echo_json([m.to_dict() for m in matches])
        return
    rows = []
    for m in matches:
        chinese = kg.label(m.iri, lang="zh")  # the English label again when there is none
        rows.append(
            (
                f"{m.score:.2f}",
                shorten(m.label),
                shorten(chinese) if chinese != m.label else "",
                ", ".join(kg.curie(t) for t in m.types),
                kg.curie(m.iri),
            )
        )
    click.echo(table(rows, ["score", "label", "中文", "type", "id"]))


@cli.command()
@click.argument("entity")
@data_options
@format_option("text", "json")
def show(entity: str, data_files: Sequence[str], store: str | None, output_format: str) -> None:
    """Everything about one ENTITY: types, labels, links, figures and sources.

    ENTITY is an IRI, a CURIE, an English or Chinese name, or an acronym.

    \b
    Example:
      ipgraph show CNIPA
      ipgraph show 财政部 --format json
    """
    kg = open_graph(data_files, store)
    summary = kg.entity(entity)
    if output_format == "json":
        echo_json(summary.to_dict())
    else:
        click.echo(summary.to_text())


@cli.command()
@format_option("ttl", "nt", "trig", "nquads", "jsonld", "xml", default="ttl")
@click.option(
    "--projection",
    type=click.Choice(["graphml", "gexf"]),
    help="Write the entity graph (networkx projection) for Gephi/Cytoscape instead.",
)
@data_options
def export(
    output_format: str, projection: str | None, data_files: Sequence[str], store: str | None
) -> None:
    """Write the whole graph to stdout.

    ttl, nt, jsonld and xml merge the named graphs; trig and nquads keep them.
    --projection graphml|gexf writes the entity graph that paths walk instead.

    \b
    Example:
      ipgraph export --format nt > ipgraph.nt
      ipgraph export --format trig --data extra.ttl
      ipgraph export --projection gexf > ipgraph.gexf
    """
    kg = open_graph(data_files, store)
    if projection:
        click.echo(kg.export_projection(projection), nl=False)
        return
    click.echo(kg.export(output_format), nl=False)


# -- SPARQL: query, serve (issue 3) --------------------------------------------------------

QUERY_FORMATS = ("table", "csv", "tsv", "json", "jsonl", "xml", "ttl", "nt", "jsonld")


@cli.command()
@click.argument("sparql", required=False)
@click.option(
    "--file",
    "-f",
    "query_file",
    metavar="FILE",
    help="Read the query from a .rq file ('-' reads stdin).",
)
@click.option("--name", "-n", "query_name", metavar="NAME", help="Run a named query (see --list).")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a variable; repeatable. An IRI, <IRI> or CURIE (ipg:Agency) becomes an IRI, "
    '"text"@zh or "2021"^^xsd:gYear a literal, anything else a string. Entity parameters of '
    "named queries also take a label or acronym (MOE, 教育部).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(QUERY_FORMATS, case_sensitive=False),
    default="table",
    show_default=True,
    help="table (labels, for reading), csv, tsv, json, jsonl, xml for SELECT/ASK; "
    "ttl, nt, jsonld, xml for CONSTRUCT/DESCRIBE (table prints Turtle for those).",
)
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and exit.")
@click.option(
    "--show", "show_text", is_flag=True, help="Print the named query's SPARQL, not its result."
)
@click.option("--timeout", type=float, metavar="S", help="Stop the query after S seconds (exit 1).")
@click.option(
    "--limit-rows", type=int, metavar="N", help="Keep at most N rows (triples); note on stderr."
)
@data_options
def query(
    sparql: str | None,
    query_file: str | None,
    query_name: str | None,
    params: Sequence[str],
    output_format: str,
    list_queries: bool,
    show_text: bool,
    timeout: float | None,
    limit_rows: int | None,
    data_files: Sequence[str],
    store: str | None,
) -> None:
    """Run a SPARQL query: given as SPARQL, read from a file (-f), or named (--name).

    The prefixes ipg:, id:, org:, eli:, prov:, skos:, schema:, dcterms:, qb:, rdfs:, owl:,
    xsd:, wd: are pre-bound, and so are those of the data (agency:, doc:, prog:, region:, ...,
    as the table prints them). Results go to stdout, notes (row counts, truncation) to stderr.
    The table format shows each IRI as its label with the CURIE; use csv/json for raw values.
    An ASK query prints true or false and exits 0 either way (test the output, not the exit
    code). Exit codes: 0 the query ran, 1 it timed out, 2 a syntax error (line and column
    shown with a caret), a refused query (update, SERVICE, FROM a URL) or a bad option.
    Note: -f is --file here; the output format is --format.

    \b
    Example:
      ipgraph query 'SELECT ?doc WHERE { ?doc ipg:issuedBy agency:moe }'
      ipgraph query --list
      ipgraph query --name joint-documents --format csv
      ipgraph query --name connections --param entity=MOF
      ipgraph query -f my-question.rq --format json
    """
    from ipgraph.errors import QuerySyntaxError, UsageError
    from ipgraph.sparql.run import named_query

    if list_queries:
        _list_named_queries(output_format)
        return
    given = [x for x in (sparql, query_file, query_name) if x is not None]
    if len(given) != 1:
        raise UsageError(
            "give exactly one of: the SPARQL text, --file FILE or --name NAME "
            "(`ipgraph query --list` shows the named queries)"
        )
    bindings = _parse_params(params)
    if query_name is not None:
        named = named_query(query_name)
        if show_text:
            click.echo(named.text, nl=not named.text.endswith("\n"))
            return
        text = named.text
    else:
        if show_text:
            raise UsageError("--show prints a named query; use it with --name")
        source = query_file if query_file is not None else str(sparql)
        text = _read_query(source) if query_file is not None or source == "-" else source
    kg = open_graph(data_files, store)
    try:
        if query_name is not None:
            result = kg.query_named(query_name, timeout=timeout, max_rows=limit_rows, **bindings)
        else:
            result = kg.query(text, timeout=timeout, max_rows=limit_rows, **bindings)
    except QuerySyntaxError as exc:
        click.echo(f"ipgraph: error: {exc}", err=True)
        if exc.line is not None:
            click.echo(_caret(text, exc.line, exc.column), err=True)
        sys.exit(exc.exit_code)
    _print_result(kg, result, output_format.lower())
    if result.truncated:
        click.echo(
            f"ipgraph: note: result cut at {limit_rows} "
            f"{'rows' if result.kind == 'SELECT' else 'triples'} (--limit-rows)",
            err=True,
        )


def _list_named_queries(output_format: str) -> None:
    from ipgraph.sparql.run import named_queries

    queries = named_queries()
    if output_format.lower() in ("json", "jsonl"):
        if output_format.lower() == "json":
            echo_json([q.to_dict() for q in queries.values()])
        else:
            for q in queries.values():
                click.echo(json.dumps(q.to_dict(), ensure_ascii=False))
        return
    rows = [
        (
            q.name,
            q.title,
            " ".join(f"{p.name}{'?' if p.optional else ''}={p.kind}" for p in q.params),
        )
        for q in queries.values()
    ]
    click.echo(table(rows, ["name", "title", "params"]))


def _parse_params(params: Sequence[str]) -> dict[str, str]:
    from ipgraph.errors import UsageError

    bindings: dict[str, str] = {}
    for item in params:
        name, sep, value = item.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not name:
            raise UsageError(f"--param wants NAME=VALUE, not {item!r}")
        bindings[name] = value
    return bindings


def _read_query(path: str) -> str:
    from pathlib import Path

    from ipgraph.errors import UsageError

    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        hint = ""
        if path.lower() in QUERY_FORMATS:
            hint = f"; -f is --file here, did you mean --format {path}?"
        raise UsageError(f"no such query file {path!r}{hint}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read query file {path!r}: {exc}") from None


def _caret(text: str, line: int, column: int | None) -> str:
    """The offending line of a query, numbered, with a caret under the column."""
    lines = text.splitlines() or [""]
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    gutter = f"{line:>4} | "
    pointer = " " * (len(gutter) - 2) + "| " + " " * max((column or 1) - 1, 0) + "^"
    return f"{gutter}{source}\n{pointer}"


def _print_result(kg: KnowledgeGraph, result: QueryResult, output_format: str) -> None:
    if output_format == "table":
        if result.kind == "ASK":
            click.echo("true" if result.boolean else "false")
            return
        if result.is_graph:
            click.echo(result.serialize("ttl").decode("utf-8"), nl=False)
            return
        rows = [[_cell(kg, value) for value in row] for row in result.rows]
        click.echo(table(rows, result.vars))
        click.echo(f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}", err=True)
        return
    if output_format == "jsonl":
        for item in result.to_dicts():
            click.echo(json.dumps(item, ensure_ascii=False))
        return
    data = result.serialize(output_format)
    click.echo(data.decode("utf-8"), nl=not data.endswith(b"\n"))


def _cell(kg: KnowledgeGraph, value: Any) -> str:
    """A table cell: an IRI as 'label (curie)', a literal as its text."""
    from rdflib import BNode, URIRef

    if value is None:
        return ""
    if isinstance(value, URIRef):
        curie = kg.curie(value)
        label = " ".join(kg.label(value).split())
        if label in (curie, str(value)):
            return curie
        return f"{shorten(label)} ({curie})"
    if isinstance(value, BNode):
        return f"_:{value}"
    return " ".join(str(value).split())


@cli.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on. The default keeps the endpoint on this machine; 0.0.0.0 "
    "opens it to your network.",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="TCP port (0 picks a free one).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    metavar="S",
    help="Stop a query after S seconds (HTTP 503).",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=0),
    default=10_000,
    show_default=True,
    metavar="N",
    help="Keep the first N rows (triples) of a result; the response then carries "
    "X-Ipgraph-Truncated: true.",
)
@click.option(
    "--max-request-bytes",
    type=click.IntRange(min=1),
    default=100_000,
    show_default=True,
    metavar="N",
    help="Largest request body (HTTP 413) and query string (HTTP 414).",
)
@click.option(
    "--graphs",
    "graphs_dir",
    default="graphs/site",
    show_default=True,
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="Serve the views built by `ipgraph render --all` from DIR at /graphs/.",
)
@data_options
def serve(
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    max_request_bytes: int,
    graphs_dir: str,
    data_files: Sequence[str],
    store: str | None,
) -> None:
    """Serve the graph over HTTP: a SPARQL 1.1 endpoint and a query page.

    /sparql answers the SPARQL 1.1 Protocol (GET ?query=, POST form or
    application/sparql-query; default-graph-uri, named-graph-uri; JSON, XML, CSV, TSV,
    Turtle, N-Triples, JSON-LD by Accept or ?format=). / is a query page with the named
    queries as examples; /health reports status; /graphs/ serves the rendered graph views.
    The endpoint is read-only: updates, SERVICE, LOAD and FROM <url> are refused. Runs until
    Ctrl-C. Needs the server extra: pip install 'ipgraph[server]'.

    \b
    Example:
      ipgraph serve
      ipgraph serve --port 8080 --timeout 30 --max-rows 50000
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * { ?s a ipg:Agency }' \\
        http://127.0.0.1:8000/sparql
    """
    from ipgraph.web.app import serve as run_server

    kg = open_graph(data_files, store)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(
            f"ipgraph: warning: listening on {host} lets other machines query this endpoint",
            err=True,
        )

    def ready(url: str) -> None:
        click.echo(
            f"ipgraph: serving {len(kg.graph)} triples at {url} (SPARQL endpoint {url}sparql); "
            "Ctrl-C stops",
            err=True,
        )

    run_server(
        kg,
        host,
        port,
        timeout=timeout,
        max_rows=max_rows,
        max_request_bytes=max_request_bytes,
        graphs_dir=graphs_dir,
        on_ready=ready,
    )


# -- paths: path, neighbors, rank (issue 4) -------------------------------------------------

LANG_OPTION = click.option(
    "--lang",
    type=click.Choice(["both", "en", "zh"]),
    default="both",
    show_default=True,
    help="Labels in text output: English and Chinese, English only, Chinese only.",
)
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
    "--limit", type=int, default=20, show_default=True, metavar="N", help="At most N paths (--all)."
)
@click.option("--k", "k", type=int, metavar="N", help="The N shortest paths (Yen's algorithm).")
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
    on stderr. Exits 1 when A and B are not connected.

    \b
    Example:
      ipgraph path MOF Zhejiang
      ipgraph path 财政部 CNIPA --all --max-length 3 --format json
      ipgraph path MIIT "universities and colleges" --k 3 --avoid CNIPA
      ipgraph path MOE MOST --via ipg:PolicyDocument
    """
    kg = open_graph(data_files, store)
    if not (all_paths or k is not None):
        found = kg.path(a, b, via=via, avoid=avoid, include=include)
        if output_format == "json":
            echo_json(found.to_dict())
        else:
            click.echo(found.to_text(lang=lang))
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
        within = f" within {max_length or 4} hops" if k is None else ""
        names = f"{kg.label(kg.resolve(a))} and {kg.label(kg.resolve(b))}"
        raise NoPath(f"no connection between {names}{within}; try a larger --max-length")
    if output_format == "json":
        echo_json(results.to_dict())
    else:
        for number, found in enumerate(results, start=1):
            click.echo(f"{number}. [{len(found)}] {found.to_text(lang=lang)}")
    if results.reason == "limit":
        click.echo(f"stopped at {len(results)} paths; raise --limit for more", err=True)
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
@INCLUDE_OPTION
@LANG_OPTION
@data_options
@format_option("text", "json")
def neighbors(
    entity: str,
    depth: int,
    types: Sequence[str],
    avoid: Sequence[str],
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
    """
    kg = open_graph(data_files, store)
    found = kg.neighbors(entity, depth=depth, types=types or None, avoid=avoid, include=include)
    if output_format == "json":
        echo_json(found.to_dict())
    else:
        click.echo(found.to_text(lang=lang))


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
@click.option("--limit", "-n", type=int, default=10, show_default=True, help="How many.")
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
    ranked = kg.rank(measure, type=type_, limit=limit, include=include)
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
    help="Cap the view at N nodes (the best connected); 0 for no cap.",
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
        sparql = _read_text(query_file)
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
        click.echo(str(index))
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
        click.echo(f"ipgraph: note: {view.meta['notice']}", err=True)
    click.echo(str(written))


def _read_text(name: str) -> str:
    """The text of a file, or of stdin for '-'; a missing file is a usage error."""
    from pathlib import Path

    from ipgraph.errors import UsageError

    if name == "-":
        return sys.stdin.read()
    try:
        return Path(name).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {name}: {exc.strerror or exc}") from None


# -- scale: load, synth (issue 6) -----------------------------------------------------------


@cli.command("load")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--store",
    envvar="IPGRAPH_STORE",
    metavar="SPEC",
    required=True,
    help="The store to load into: oxigraph:PATH or sparql:URL#store=URL (or #update=URL).",
)
@click.option(
    "--bundled/--no-bundled",
    default=True,
    show_default=True,
    help="Also bring the bundled ontology and facts up to date in the store.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def load_command(files: Sequence[str], store: str, bundled: bool, quiet: bool) -> None:
    """Bulk-load FILES into a persistent store, each file replacing its own named graph.

    Safe to interrupt: on Oxigraph the files load into a checkpoint of the store that becomes
    current only when every file has loaded, so a failed or interrupted load leaves the store
    as it was. Running it again replaces the same graphs: nothing is duplicated. Opening the
    store afterwards (--store on any command) re-parses nothing.

    \b
    Example:
      ipgraph synth --triples 100000 -o big.nt
      ipgraph load --store oxigraph:./kgdb big.nt
      ipgraph info --store oxigraph:./kgdb
    """
    from pathlib import Path

    from ipgraph import data
    from ipgraph.errors import UsageError
    from ipgraph.store import open_store

    target = open_store(store)
    if not target.persistent:
        raise UsageError(f"{store!r} keeps nothing; load into oxigraph:PATH or sparql:URL")
    if bundled:
        target.load_files(data.bundled_files(), only_changed=True)
    paths = [Path(f) for f in files]
    total = sum(p.stat().st_size for p in paths if p.is_file())
    with click.progressbar(
        length=total,
        label=f"loading {len(paths)} file(s) into {target.spec}",
        file=sys.stderr,
        hidden=quiet,
        show_eta=True,
    ) as bar:
        loaded = target.load_files(paths, progress=bar.update)
    target.close()
    for item in loaded:
        click.echo(f"{item.graph}\t{item.triples} triples\t{item.path}")
    click.echo(f"{len(target)} triples in {target.spec}", err=True)


@cli.command()
@click.option(
    "--triples",
    "-n",
    type=click.IntRange(min=100),
    default=10000,
    show_default=True,
    help="About how many triples (within a few percent).",
)
@click.option("--seed", "-s", type=int, default=0, show_default=True, help="Random seed.")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False), help="Write to FILE (.nt) instead of stdout."
)
def synth(triples: int, seed: int, output: str | None) -> None:
    """Generate a synthetic graph in ipgraph's vocabulary (N-Triples), for scale tests.

    The graph conforms to the SHACL shapes: agencies, a region hierarchy, documents, programs,
    organizations, observations and provenance, in realistic proportions. The same seed gives
    the same graph.

    \b
    Example:
      ipgraph synth --triples 1000000 --seed 1 -o synth-1m.nt
      ipgraph validate synth-1m.nt
    """
    from ipgraph import synth as generator

    if output:
        count = generator.write(output, triples, seed)
        click.echo(f"{count} triples written to {output}", err=True)
        return
    for line in generator.generate(triples, seed):
        click.echo(line)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``ipgraph`` console script."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding or "").lower() != "utf-8":
            reconfigure(encoding="utf-8")
    cli.main(args=list(argv) if argv is not None else None, prog_name="ipgraph")


if __name__ == "__main__":  # pragma: no cover
    main()
