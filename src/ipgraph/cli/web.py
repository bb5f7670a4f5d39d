"""The HTTP endpoint: serve."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    pass

from ipgraph.cli.common import (
    cli,
    data_options,
    open_graph,
)
from ipgraph.sparql.pool import DEFAULT_MEMORY_MB


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
    "--workers",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Worker processes that run queries (default: the number of CPUs, at least 2). A "
    "query out of time is stopped by killing its worker; the server goes on. 0 runs queries "
    "in the server's own threads, where a time limit cannot stop evaluation in C.",
)
@click.option(
    "--memory-mb",
    type=click.IntRange(min=1),
    default=DEFAULT_MEMORY_MB,
    show_default=True,
    metavar="MB",
    help="Memory a query may use beyond the loaded data (HTTP 413 beyond).",
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
    workers: int | None,
    memory_mb: int,
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
    Ctrl-C. Each query runs in a worker process with a hard time limit and a memory cap, so
    a runaway query never stalls the server. Needs the server extra: pip install 'ipgraph[server]'.

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
        workers=workers,
        memory_mb=memory_mb,
    )
