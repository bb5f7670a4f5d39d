"""SPARQL from the command line: query (named queries included)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rdflib.namespace import XSD

from ipgraph.errors import UsageError
from ipgraph.sparql.limits import DEFAULT_TIMEOUT, check_timeout
from ipgraph.sparql.pool import DEFAULT_MEMORY_MB

if TYPE_CHECKING:
    from ipgraph.kg import KnowledgeGraph
    from ipgraph.sparql.result import QueryResult

from ipgraph.cli.common import (
    cli,
    data_options,
    echo_json,
    echo_text,
    open_graph,
    read_text,
    shorten,
)
from ipgraph.cli.layout import count, fit_table

# -- SPARQL: query, serve (issue 3) --------------------------------------------------------

TABLE_ROWS = 1000
"""Rows a table shows by default: more is not read on a terminal, and each row costs label
lookups (a hub's 12,500 connections took seconds to lay out); the data formats hold all."""

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
@click.option(
    "--timeout",
    metavar="S",
    type=str,
    default=str(DEFAULT_TIMEOUT),
    show_default=True,
    callback=lambda _ctx, _param, value: check_timeout(value),
    help="Stop the query after S seconds (exit 1); the worker running it is killed.",
)
@click.option(
    "--memory-mb",
    type=click.IntRange(min=1),
    default=DEFAULT_MEMORY_MB,
    show_default=True,
    metavar="MB",
    help="Stop a query that needs more than MB megabytes beyond the loaded data (exit 1).",
)
@click.option(
    "--limit-rows", type=int, metavar="N", help="Keep at most N rows (triples); note on stderr."
)
@click.option(
    "--table-rows",
    type=click.IntRange(min=0),
    default=TABLE_ROWS,
    show_default=True,
    metavar="N",
    help="table: show the first N rows (0: all); csv, tsv, json and jsonl always hold all.",
)
@click.option(
    "--labels",
    is_flag=True,
    help="csv/tsv: add a NAME_label column with the English label beside each IRI column.",
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
    timeout: float,
    memory_mb: int,
    limit_rows: int | None,
    table_rows: int,
    labels: bool,
    data_files: Sequence[str],
    store: str | None,
) -> None:
    """Run a SPARQL query: given as SPARQL, read from a file (-f), or named (--name).

    The prefixes ipg:, id:, org:, eli:, prov:, skos:, schema:, dcterms:, qb:, rdfs:, owl:,
    xsd:, wd: are pre-bound, and so are those of the data (agency:, doc:, prog:, region:, ...,
    as the table prints them). Results go to stdout, notes (row counts, truncation) to stderr.
    The table format shows each IRI as its label with the CURIE; use csv/json for raw values.
    An ASK query prints true or false and exits 0 either way (test the output, not the exit
    code). The query runs in a worker process that is killed when it runs out of time or
    memory, and Ctrl-C stops it at once (exit 130). Exit codes: 0 the query ran, 1 it timed
    out or ran out of memory, 2 a syntax error (line and column shown with a caret), a refused
    query (update, SERVICE, FROM a URL, nested or long past the limits) or a bad option.
    Note: -f is --file here; the output format is --format.

    \b
    Example:
      ipgraph query 'SELECT ?doc WHERE { ?doc ipg:issuedBy agency:moe }'
      ipgraph query --list
      ipgraph query --name joint-documents --format csv
      ipgraph query --name connections --param entity=MOF
      ipgraph query -f my-question.rq --format json
      ipgraph query --name joint-documents --format csv --labels
    """
    from ipgraph.errors import QuerySyntaxError, UsageError
    from ipgraph.sparql.named import named_query

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
    kg.use_workers(workers=1, memory_mb=memory_mb)
    try:
        if query_name is not None:
            result = kg.query_named(query_name, timeout=timeout, max_rows=limit_rows, **bindings)
        else:
            result = kg.query(text, timeout=timeout, max_rows=limit_rows, **bindings)
    except QuerySyntaxError as exc:
        click.echo(f"ipgraph: error: {exc}", err=True)
        if exc.line is not None:
            echo_text(_caret(text, exc.line, exc.column), err=True)
        sys.exit(exc.exit_code)
    finally:
        kg.close()
    fmt = output_format.lower()
    if labels and fmt not in ("csv", "tsv"):
        raise UsageError(f"--labels goes with --format csv or tsv, not {fmt}")
    if labels and result.kind == "SELECT":
        click.echo(labelled_rows(kg, result, fmt), nl=False)
    else:
        _print_result(kg, result, fmt, table_rows)
    if result.truncated:
        click.echo(
            f"ipgraph: note: result cut at {limit_rows} "
            f"{'rows' if result.kind == 'SELECT' else 'triples'} (--limit-rows)",
            err=True,
        )


def _list_named_queries(output_format: str) -> None:
    from ipgraph.sparql.named import named_queries

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
    click.echo(fit_table(rows, ["name", "title", "params"]))


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
    try:
        return read_text(path)
    except UsageError as exc:
        if path.lower() in QUERY_FORMATS and not Path(path).exists():
            raise UsageError(f"{exc}; -f is --file here, did you mean --format {path}?") from None
        raise


def _caret(text: str, line: int, column: int | None) -> str:
    """The offending line of a query, numbered, with a caret under the column."""
    lines = text.splitlines() or [""]
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    gutter = f"{line:>4} | "
    pointer = " " * (len(gutter) - 2) + "| " + " " * max((column or 1) - 1, 0) + "^"
    return f"{gutter}{source}\n{pointer}"


def _print_result(
    kg: KnowledgeGraph, result: QueryResult, output_format: str, table_rows: int = TABLE_ROWS
) -> None:
    if output_format == "table":
        if result.kind == "ASK":
            click.echo("true" if result.boolean else "false")
            return
        if result.is_graph:
            echo_text(result.serialize("ttl").decode("utf-8"), nl=False)
            return
        click.echo(select_table(kg, result, table_rows))
        total = len(result.rows)
        if table_rows and total > table_rows:
            click.echo(
                f"{count(total)} rows; the table shows the first {count(table_rows)} "
                "(--table-rows 0 shows all; --format csv or json writes all, unshortened)",
                err=True,
            )
        else:
            click.echo(f"{count(total)} row{'s' if total != 1 else ''}", err=True)
        return
    if output_format == "jsonl":
        for item in result.to_dicts():
            click.echo(json.dumps(item, ensure_ascii=False))
        return
    data = result.serialize(output_format)
    click.echo(data.decode("utf-8"), nl=not data.endswith(b"\n"))


def select_table(kg: KnowledgeGraph, result: QueryResult, table_rows: int = TABLE_ROWS) -> str:
    """The first ``table_rows`` rows (0: all) of a SELECT result as a table that fits the
    terminal, each IRI as its label and CURIE (labels read in one batch of lookups)."""
    from rdflib import URIRef

    shown = result.rows[:table_rows] if table_rows else result.rows
    kg.prefetch_labels(v for row in shown for v in row if isinstance(v, URIRef))
    return fit_table([[_cell(kg, result, value) for value in row] for row in shown], result.vars)


def _cell(kg: KnowledgeGraph, result: QueryResult, value: Any) -> str:
    """A table cell: an IRI as 'label (curie)', a number as people write it (23,000; a year
    or code of four digits or fewer stays as it is), a literal as its text."""
    from rdflib import BNode, Literal, URIRef

    if value is None:
        return ""
    if isinstance(value, URIRef):
        curie = kg.curie(value)
        label = " ".join(kg.label(value).split())
        if label in (curie, str(value)):
            return curie
        return f"{shorten(label)} ({curie})"
    if isinstance(value, BNode):
        return result.cell(value)  # _:label, as in csv and json
    if isinstance(value, Literal) and value.datatype in _NUMERIC:
        number: object = value.toPython()
        if isinstance(number, int | float | Decimal) and not isinstance(number, bool):
            text = count(number)
            return text if abs(float(number)) >= 10_000 else text.replace(",", "")
    return " ".join(str(value).split())


_NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long}


def labelled_rows(kg: KnowledgeGraph, result: QueryResult, fmt: str) -> str:
    """SELECT rows as CSV or TSV with a ``NAME_label`` column after each column holding IRIs
    (values as the SPARQL CSV / TSV formats write them; labels by lookups, in one batch)."""
    import csv
    import io

    from rdflib import URIRef

    iri_columns = [
        i for i in range(len(result.vars)) if any(isinstance(r[i], URIRef) for r in result.rows)
    ]
    kg.prefetch_labels([v for r in result.rows for i in iri_columns if (v := r[i]) is not None])
    header: list[str] = []
    for i, name in enumerate(result.vars):
        header += [name, f"{name}_label"] if i in iri_columns else [name]
    out = io.StringIO()
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
    else:
        out.write("\t".join(f"?{h}" for h in header) + "\n")
    for row in result.rows:
        cells: list[str] = []
        for i, value in enumerate(row):
            cells.append(result.cell(value, fmt))  # as without --labels
            if i in iri_columns:
                label = kg.label(value) if isinstance(value, URIRef) else ""
                cells.append(label if fmt == "csv" else " ".join(label.split()))
        if fmt == "csv":
            writer.writerow(cells)
        else:
            out.write("\t".join(cells) + "\n")
    return out.getvalue()
