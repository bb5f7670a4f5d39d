"""What every ``ipgraph`` command shares: the group, the data options, output helpers.

Text meant for reading (tables, ``show``, ``path``, messages) goes through `printable`, so that
data cannot drive the terminal: control characters and bidirectional overrides in labels are
shown as escapes. Data formats (JSON, CSV, RDF) are written as they are, properly encoded.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

import click

from ipgraph.errors import IpgraphError, UsageError

if TYPE_CHECKING:
    from ipgraph.kg import KnowledgeGraph

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


# C0 and C1 controls, DEL, and the marks and overrides that reorder text on a terminal.
_OTHER_UNSAFE = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_UNSAFE_ALL = re.compile("[\x00-\x1f" + _OTHER_UNSAFE + "]")
_UNSAFE_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f" + _OTHER_UNSAFE + "]")
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str, newlines: bool = False) -> str:
    r"""``text`` safe to print on a terminal: control characters (C0, C1, DEL) and bidi marks
    and overrides become visible escapes (``\u001b``, ``\r``, ``\u202e``).

    Args:
        text: any text, usually from the data.
        newlines: keep line breaks (for multi-line output); otherwise they are escaped too.

    >>> print(printable("\x1b[31mred\x1b[0m\r\u202eevil"))
    \u001b[31mred\u001b[0m\r\u202eevil
    >>> print(printable("two\nlines", newlines=True))
    two
    lines
    """
    pattern = _UNSAFE_BUT_NEWLINE if newlines else _UNSAFE_ALL
    return pattern.sub(lambda m: _SHORT.get(m.group(), f"\\u{ord(m.group()):04x}"), text)


def echo_text(text: str, err: bool = False, nl: bool = True) -> None:
    """Print text meant for reading, escaped by `printable` (line breaks kept)."""
    click.echo(printable(text, newlines=True), err=err, nl=nl)


class _LiteralNoise(logging.Filter):
    """Drops rdflib's log records (with a traceback) about ill-typed literals: the loader
    reports each file's ill-typed literals once, as a warning naming file and line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to convert Literal lexical form")


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    click.echo(f"ipgraph: warning: {printable(str(message))}", err=True)


@contextmanager
def _quiet_details() -> Iterator[None]:
    """While a command runs: each warning is one line on stderr, and rdflib logs no
    tracebacks about ill-typed literals."""
    noise = _LiteralNoise()
    logger = logging.getLogger("rdflib.term")
    logger.addFilter(noise)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("default")
            warnings.filterwarnings("ignore", category=DeprecationWarning)
            # Python's own default: handles the interpreter closes are no news to the user
            warnings.filterwarnings("ignore", category=ResourceWarning)
            warnings.showwarning = _show_warning
            yield
    finally:
        logger.removeFilter(noise)


class IpgraphGroup(click.Group):
    """Turns every `IpgraphError` into a one-line message and its exit code, and every
    warning into one line on stderr."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            with _quiet_details():
                return super().invoke(ctx)
        except IpgraphError as exc:
            click.echo(f"ipgraph: error: {printable(str(exc))}", err=True)
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
        help="Add an RDF file (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML) for this "
        "command only; repeatable. Read commands never write to a store: with a persistent "
        "--store, load files with `ipgraph load` instead.",
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


LANG_OPTION = click.option(
    "--lang",
    type=click.Choice(["both", "en", "zh"]),
    default="both",
    show_default=True,
    help="Labels in text output: English and Chinese, English only, Chinese only.",
)
"""The ``--lang`` of every command that prints labels (``show``, ``neighbors``, ``path``)."""


def limit_option(help: str, default: int = 10) -> Callable[[F], F]:
    """A listing's ``--limit N`` (``-n``): 0 or more, 0 listing all, as ``help`` says."""
    return click.option(
        "--limit",
        "-n",
        type=click.IntRange(min=0),
        default=default,
        show_default=True,
        metavar="N",
        help=help,
    )


def relation_limit_option(what: str) -> Callable[[F], F]:
    """The ``--limit`` of a per-relation listing (``show``, ``neighbors``) of ``what``."""
    return limit_option(
        f"List at most N {what} per relation and direction (the first N by IRI), with "
        "how many there are in all; 0 lists all.",
        default=50,
    )


def open_graph(data_files: Sequence[str], store: str | None) -> KnowledgeGraph:
    """Load the bundled graph plus the user's files into the chosen store.

    Raises:
        UsageError: ``--data`` with a persistent store: a read command never writes to it.
    """
    from ipgraph.kg import load
    from ipgraph.store import open_store

    opened = open_store(store)
    if data_files and opened.persistent:
        raise UsageError(
            f"--data {data_files[0]} would be written into the store {opened.spec}, and read "
            f"commands never write: run `ipgraph load --store {opened.spec} FILE` first, or "
            "leave out --store to read the file in memory"
        )
    return load(*data_files, store=opened)


def echo_json(value: Any) -> None:
    """Print JSON with Chinese text left readable."""
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def table(rows: Sequence[Sequence[str]], headers: Sequence[str]) -> str:
    """A plain text table whose columns line up also with Chinese (double-width) text."""
    import unicodedata

    def width(text: str) -> int:
        if text.isascii():  # most cells: no per-character lookups
            return len(text)
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    def pad(text: str, size: int) -> str:
        return text + " " * (size - width(text))

    cells = [[printable(str(c)) for c in row] for row in [headers, *rows]]
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

    if name == "-":
        return sys.stdin.read()
    try:
        return Path(name).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {name}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"cannot read {name}: not UTF-8 text ({exc.reason})") from None
