"""Parse RDF files into graphs, turning every parser's failure into a `DataError`.

Parsing never touches a loaded graph: callers parse everything first and add the result only
when every file has parsed, so a bad file leaves the graph as it was.

>>> from pathlib import Path
>>> rdf_format(Path("facts.ttl")), rdf_format(Path("dump.nq")), rdf_format(Path("x.jsonld"))
('turtle', 'nquads', 'json-ld')
"""

from __future__ import annotations

import json
import re
import xml.sax
from dataclasses import dataclass, field
from json import JSONDecodeError
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from ipgraph import formats
from ipgraph.errors import DataError
from ipgraph.vocab import GRAPH


def rdf_format(path: Path) -> str:
    """The rdflib parser name for a file, from its extension.

    Raises:
        DataError: the extension is not an RDF format ipgraph reads.
    """
    try:
        return formats.by_suffix(path.suffix).rdflib
    except KeyError:
        known = ", ".join(formats.suffixes())
        raise DataError(str(path), f"unknown RDF file type; use one of {known}") from None


def graph_name(path: Path) -> URIRef:
    """The named graph a file's default-graph triples go into: ``graph/{file stem}``."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", path.stem).strip("-") or "data"
    return GRAPH[slug]


@dataclass
class ParsedSource:
    """One parsed file: its triples by named graph, ready to be added to a store."""

    path: Path
    format: str
    graphs: dict[URIRef, Graph] = field(default_factory=dict)
    namespaces: dict[str, URIRef] = field(default_factory=dict)

    @property
    def triple_count(self) -> int:
        return sum(len(g) for g in self.graphs.values())


def parse_file(path: Path | str, fmt: str | None = None) -> ParsedSource:
    """Parse one RDF file (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML).

    Triples outside any named graph go to ``graph/{file stem}``; a TriG or N-Quads file keeps
    its own named graphs.

    Raises:
        DataError: the file is missing or malformed; the message names file, line and reason.
    """
    path = Path(path)
    fmt = fmt or rdf_format(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(str(path), "no such file") from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise DataError(str(path), "not UTF-8 text", line) from None
    except OSError as exc:
        raise DataError(str(path), exc.strerror or str(exc)) from None
    base = path.resolve().as_uri()
    if fmt == "json-ld":
        _refuse_remote_contexts(path, text)
    try:
        if formats.by_name(fmt).reads_graphs:
            ds = Dataset()
            ds.parse(data=text, format=fmt, publicID=base)
            graphs: dict[URIRef, Graph] = {}
            for g in ds.graphs():
                if len(g) == 0:
                    continue
                name = g.identifier
                if name == DATASET_DEFAULT_GRAPH_ID:
                    name = graph_name(path)
                target = graphs.setdefault(URIRef(name), Graph(identifier=URIRef(name)))
                target += g
            namespaces = dict(ds.namespaces())
        else:
            g = Graph(identifier=graph_name(path))
            g.parse(data=text, format=fmt, publicID=base)
            graphs = {graph_name(path): g}
            namespaces = dict(g.namespaces())
    except Exception as exc:  # every parser raises its own types; all become DataError
        where, reason = _locate(exc, text, fmt)
        raise DataError(str(path), reason, where) from exc
    return ParsedSource(path, fmt, graphs, {k: URIRef(v) for k, v in namespaces.items()})


_REMOTE = ("http://", "https://", "ftp://")


def _refuse_remote_contexts(path: Path, text: str) -> None:
    """Raise `DataError` when a JSON-LD document names a remote ``@context`` / ``@import``.

    rdflib would download it; ipgraph never touches the network while loading.
    """
    try:
        document = json.loads(text)
    except ValueError:
        return  # the parser reports the syntax error with its line
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if key in ("@context", "@import"):
                    for ref in value if isinstance(value, list) else [value]:
                        if isinstance(ref, str) and ref.strip().lower().startswith(_REMOTE):
                            at = text.find(ref)
                            line = text.count("\n", 0, at) + 1 if at >= 0 else None
                            raise DataError(
                                str(path),
                                f"remote JSON-LD {key} <{ref}>: ipgraph never downloads while "
                                "loading; put the context in the file (or in a local file)",
                                line,
                            )
                stack.append(value)


def _locate(exc: Exception, text: str, fmt: str) -> tuple[int | None, str]:
    """The 1-based line and a one-line reason for a parser exception."""
    # rdflib's Turtle/TriG/N3 parser: BadSyntax(uri, lines, argstr, i, why), lines 0-based.
    if type(exc).__name__ == "BadSyntax" and len(exc.args) >= 5:
        _uri, _lines, _argstr, offset, why = exc.args[:5]
        return text[: int(offset)].count("\n") + 1, f"bad {fmt} syntax: {why}"
    if isinstance(exc, JSONDecodeError):
        return exc.lineno, f"bad JSON: {exc.msg} (column {exc.colno})"
    if isinstance(exc, xml.sax.SAXParseException):
        return exc.getLineNumber(), f"bad RDF/XML: {exc.getMessage()}"
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    # N-Triples/N-Quads report the offending fragment only: find its line.
    match = re.search(r"Invalid line:\s*(.*)$", reason)
    if match and match.group(1):
        fragment = match.group(1).strip()
        for number, line_text in enumerate(text.splitlines(), start=1):
            if fragment in line_text:
                return number, f"bad {fmt} syntax: {reason}"
    return None, f"cannot parse as {fmt}: {reason}"
