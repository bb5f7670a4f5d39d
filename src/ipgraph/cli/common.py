"""What every ``ipgraph`` command shares: the group, the data options, output helpers."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ipgraph.errors import IpgraphError

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
        except KeyboardInterrupt:  # Ctrl-C: a running query's worker is already stopped
            click.echo("ipgraph: interrupted", err=True)
            ctx.exit(130)
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


def read_text(name: str) -> str:
    """The text of a file, or of stdin for '-'; an unreadable file is a usage error."""
    from pathlib import Path

    from ipgraph.errors import UsageError

    if name == "-":
        return sys.stdin.read()
    try:
        return Path(name).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {name}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"cannot read {name}: not UTF-8 text ({exc.reason})") from None
