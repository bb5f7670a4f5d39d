"""Parse RDF files into graphs, turning every parser's failure into a `DataError`.

Parsing never touches a loaded graph: callers parse everything first and add the result only
when every file has parsed, so a bad file leaves the graph as it was.

>>> from pathlib import Path
>>> rdf_format(Path("facts.ttl")), rdf_format(Path("dump.nq")), rdf_format(Path("x.jsonld"))
('turtle', 'nquads', 'json-ld')
"""

from __future__ import annotations

import json
import logging
import re
import warnings
import xml.parsers.expat
import xml.sax
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from json import JSONDecodeError
from pathlib import Path
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from ipgraph import formats
from ipgraph.errors import DataError, DataWarning
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


def parse_file(
    path: Path | str, fmt: str | None = None, graph: URIRef | None = None
) -> ParsedSource:
    """Parse one RDF file (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML).

    N-Triples, N-Quads, Turtle and TriG go through Oxigraph's parser when pyoxigraph is
    installed (linear time, exact lines in errors); the others through rdflib's. RDF/XML
    declaring entities is refused before any parser sees it (see `check_file`). Ill-typed
    literals (``"abc"^^xsd:integer``) are kept as they are, with one `DataWarning` naming
    file and line.

    Args:
        path: the file.
        fmt: rdflib's name for its format (default: from the suffix).
        graph: the named graph for triples outside any named graph (default:
            ``graph/{file stem}``, see `graph_name`); a TriG or N-Quads file keeps its own.

    Raises:
        DataError: the file is missing or malformed; the message names file, line and reason.

    >>> import tempfile
    >>> nt = Path(tempfile.mkdtemp()) / "facts.nt"
    >>> _ = nt.write_text('<urn:a> <urn:p> "x" .\\n', encoding="utf-8")
    >>> parsed = parse_file(nt)
    >>> [str(name) for name in parsed.graphs], parsed.triple_count
    (['https://w3id.org/ipgraph/graph/facts'], 1)
    """
    path = Path(path)
    fmt = fmt or rdf_format(path)
    default = graph if graph is not None else graph_name(path)
    text = _read_text(path)
    base = path.resolve().as_uri()
    if fmt == "json-ld":
        _refuse_remote_contexts(path, text)
    if fmt == "xml":
        _refuse_entities(path, text.encode("utf-8"))
    with _IllTyped(path, text) as ill_typed:
        ox = _pyoxigraph() if formats.by_name(fmt).oxigraph and fmt in _NATIVE else None
        if ox is not None:
            graphs, namespaces = _parse_native(ox, path, text, fmt, base, default, ill_typed)
        else:
            graphs, namespaces = _parse_rdflib(path, text, fmt, base, default)
            ill_typed.scan(graphs.values())
    return ParsedSource(path, fmt, graphs, {k: URIRef(v) for k, v in namespaces.items()})


def check_file(path: Path, fmt: str | None = None) -> None:
    """Refuse, before any parser reads it, a file that would make a parser run away: RDF/XML
    declaring entities (a 1 kB "billion laughs" file expands to gigabytes in every parser).

    Raises:
        DataError: with the file and the line of the first entity declaration.
    """
    if (fmt or rdf_format(path)) == "xml":
        try:
            with path.open("rb") as handle:
                _refuse_entities(path, handle.read(_XML_PROLOGUE))
        except OSError as exc:
            raise DataError(str(path), exc.strerror or str(exc)) from None


def token_too_long(path: Path, fmt: str) -> DataError:
    """The error for a file with a token (a literal or IRI, usually on one line) longer than
    Oxigraph's 16 MiB parse buffer, naming the line where that token starts."""
    line = None
    with path.open("rb") as handle:
        for number, text in enumerate(handle, start=1):
            if len(text) > OXIGRAPH_BUFFER:
                line = number
                break
    return DataError(
        str(path),
        f"cannot load as {fmt}: a literal or IRI longer than {OXIGRAPH_BUFFER >> 20} MiB, "
        "more than the parser takes; shorten it or keep it out of the graph",
        line,
    )


OXIGRAPH_BUFFER = 16 * 1024 * 1024
"""Oxigraph's parsers refuse a token (literal, IRI) longer than this many bytes."""

_NATIVE = ("nt", "nquads", "turtle", "trig")
_XML_PROLOGUE = 1 << 20  # a DOCTYPE sits before the root element: the first MiB holds it


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(str(path), "no such file") from None
    except OSError as exc:
        raise DataError(str(path), exc.strerror or str(exc)) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(str(path), "not UTF-8 text", raw[: exc.start].count(b"\n") + 1) from None


def _pyoxigraph() -> Any:
    try:
        import pyoxigraph
    except ImportError:  # the oxigraph extra is optional: rdflib parses then
        return None
    return pyoxigraph


def _parse_native(
    ox: Any, path: Path, text: str, fmt: str, base: str, default: URIRef, ill_typed: _IllTyped
) -> tuple[dict[URIRef, Graph], dict[str, str]]:
    """Parse with Oxigraph's parser (linear time) and convert the terms for rdflib."""
    ox_format = getattr(ox.RdfFormat, str(formats.by_name(fmt).oxigraph))
    convert = _ox_terms(ox, ill_typed)
    by_graph: dict[URIRef, list[tuple[Node, Node, Node]]] = {}
    default_graph = ox.DefaultGraph()
    try:
        parser = ox.parse(input=text, format=ox_format, base_iri=base, rename_blank_nodes=True)
        for quad in parser:
            graph = quad.graph_name
            name = default if graph == default_graph else convert(graph)
            if type(name) is not URIRef:  # a blank node naming a graph
                name = URIRef(str(name))
            rows = by_graph.get(name)
            if rows is None:
                rows = by_graph[name] = []
            rows.append((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
    except SyntaxError as exc:
        message = str(exc.msg or exc).split("\n")[0]
        reason = message.split(": ", 1)[1] if message.startswith("Parser error") else message
        raise DataError(str(path), f"bad {fmt} syntax: {reason}", exc.lineno) from None
    except MemoryError as exc:
        if "buffer" not in str(exc):
            raise
        raise token_too_long(path, fmt) from None
    graphs: dict[URIRef, Graph] = {}
    for name, rows in by_graph.items():
        target = graphs[name] = Graph(identifier=name)
        target.addN((s, p, o, target) for s, p, o in rows)
    return graphs, dict(getattr(parser, "prefixes", {}) or {})


def _ox_terms(ox: Any, ill_typed: _IllTyped) -> Callable[[Any], Node]:
    """pyoxigraph terms to rdflib terms, remembering IRIs; ill-typed literals are noted."""
    named_node, blank_node, literal = ox.NamedNode, ox.BlankNode, ox.Literal
    iris: dict[str, URIRef] = {}

    def convert(term: Any) -> Node:
        cls = type(term)
        if cls is named_node:
            iri = iris.get(term.value)
            if iri is None:
                iri = iris[term.value] = URIRef(term.value)
                if len(iris) > 100_000:
                    iris.clear()
            return iri
        if cls is blank_node:
            return BNode(term.value)
        if cls is literal:
            if term.language:
                return Literal(term.value, lang=term.language)
            datatype = term.datatype.value
            if datatype == _XSD_STRING:
                return Literal(term.value)
            made = Literal(term.value, datatype=URIRef(datatype))
            if made.ill_typed:
                ill_typed.note(term.value, datatype)
            return made
        raise ValueError(f"RDF-star triple terms are not supported: {term}")

    return convert


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _parse_rdflib(
    path: Path, text: str, fmt: str, base: str, default: URIRef
) -> tuple[dict[URIRef, Graph], dict[str, str]]:
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
                    name = default
                target = graphs.setdefault(URIRef(name), Graph(identifier=URIRef(name)))
                target += g
            return graphs, {k: str(v) for k, v in ds.namespaces()}
        g = Graph(identifier=default)
        g.parse(data=text, format=fmt, publicID=base)
        return {default: g}, {k: str(v) for k, v in g.namespaces()}
    except Exception as exc:  # every parser raises its own types; all become DataError
        where, reason = _locate(exc, text, fmt)
        raise DataError(str(path), reason, where) from exc


class _IllTyped(logging.Filter):
    """While a file is parsed: rdflib's log records about ill-typed literals are dropped (they
    carry a traceback) and the literals counted, for one `DataWarning` naming file and line."""

    _LOGGER = "rdflib.term"

    def __init__(self, path: Path, text: str) -> None:
        super().__init__()
        self.path, self.text = path, text
        self.count = 0
        self.first: tuple[str, str] | None = None

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Failed to convert Literal lexical form")

    def note(self, lexical: str, datatype: str) -> None:
        self.count += 1
        if self.first is None:
            self.first = (lexical, datatype)

    def scan(self, graphs: Iterable[Graph]) -> None:
        for graph in graphs:
            for _, _, value in graph:
                if isinstance(value, Literal) and value.ill_typed:
                    self.note(str(value), str(value.datatype))

    def __enter__(self) -> _IllTyped:
        logging.getLogger(self._LOGGER).addFilter(self)
        return self

    def __exit__(self, *exc: object) -> None:
        logging.getLogger(self._LOGGER).removeFilter(self)
        if self.first is None or exc[0] is not None:
            return
        lexical, datatype = self.first
        at = self.text.find(f'"{lexical}"')
        line = self.text.count("\n", 0, at) + 1 if at >= 0 else None
        where = f"{self.path}:{line}" if line is not None else str(self.path)
        short = datatype.replace("http://www.w3.org/2001/XMLSchema#", "xsd:")
        more = f" (and {self.count - 1} more)" if self.count > 1 else ""
        warnings.warn(
            DataWarning(
                f'{where}: ill-typed literal "{lexical[:40]}" for {short}{more}, kept as it '
                "is; fix its value or its datatype"
            ),
            stacklevel=3,
        )


def _refuse_entities(path: Path, head: bytes) -> None:
    """Raise `DataError` when an XML document declares entities in its DOCTYPE.

    Only the prologue is read (parsing stops at the root element), with Python's expat and
    no handler that expands anything.
    """
    parser = xml.parsers.expat.ParserCreate()
    found: list[int] = []

    def entity(*_: object) -> None:
        found.append(parser.CurrentLineNumber)
        raise _Stop

    def root(*_: object) -> None:
        raise _Stop

    parser.EntityDeclHandler = entity
    parser.StartElementHandler = root
    try:
        parser.Parse(head, False)
    except _Stop:
        pass
    except xml.parsers.expat.ExpatError:
        return  # rdflib's parser reports the syntax error with its line
    if found:
        raise DataError(
            str(path),
            "RDF/XML with entity declarations (<!ENTITY ...>) is refused: entities can expand "
            "without bound; write the values out in full",
            found[0],
        )


class _Stop(Exception):
    """Ends the prologue scan of `_refuse_entities`."""


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
