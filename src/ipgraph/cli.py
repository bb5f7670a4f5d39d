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

from ipgraph.errors import IpgraphError, NoResult

if TYPE_CHECKING:
    from ipgraph.kg import KnowledgeGraph

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
    click.echo("\nentities per class:")
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
    rows = [
        (
            f"{m.score:.2f}",
            m.label,
            kg.label(m.iri, lang="zh") if kg.label(m.iri, lang="zh") != m.label else "",
            ", ".join(kg.curie(t) for t in m.types),
            kg.curie(m.iri),
        )
        for m in matches
    ]
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
@data_options
def export(output_format: str, data_files: Sequence[str], store: str | None) -> None:
    """Write the whole graph to stdout.

    ttl, nt, jsonld and xml merge the named graphs; trig and nquads keep them.

    \b
    Example:
      ipgraph export --format nt > ipgraph.nt
      ipgraph export --format trig --data extra.ttl
    """
    kg = open_graph(data_files, store)
    click.echo(kg.export(output_format), nl=False)


# -- SPARQL: query, serve (issue 3) --------------------------------------------------------


# -- paths: path, neighbors, rank (issue 4) -------------------------------------------------


# -- views: render (issue 5) ----------------------------------------------------------------


# -- scale: load, synth (issue 6) -----------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``ipgraph`` console script."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding or "").lower() != "utf-8":
            reconfigure(encoding="utf-8")
    cli.main(args=list(argv) if argv is not None else None, prog_name="ipgraph")


if __name__ == "__main__":  # pragma: no cover
    main()
