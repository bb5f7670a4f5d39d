"""The ``ipgraph`` command: a thin twin of the `KnowledgeGraph` facade.

Each command parses its arguments, calls one facade method and formats the result: data on
stdout, messages on stderr. Library errors become one line on stderr and the documented exit
code (0 ok, 1 no result or the data does not conform, 2 usage or input error). The commands
live in modules by concern; importing them registers them on the one `cli` group.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ipgraph.cli import data, extract, graph, knowledge, lookup, sparql, web
from ipgraph.cli.common import cli

__all__ = ["cli", "main"]

_COMMAND_MODULES = (data, extract, graph, knowledge, lookup, sparql, web)  # for their commands


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``ipgraph`` console script."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding or "").lower() != "utf-8":
            reconfigure(encoding="utf-8")
    cli.main(args=list(argv) if argv is not None else None, prog_name="ipgraph")


if __name__ == "__main__":  # pragma: no cover
    main()
