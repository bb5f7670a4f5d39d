"""The named competency queries shipped with ipgraph: ``queries/*.rq`` and their headers.

Each ``.rq`` file opens with ``#`` header lines (``# title:``, ``# description:``, and any
number of ``# param: NAME (KIND[, optional]) — meaning``); `named_queries` reads them all
once, checks each query (`ipgraph.sparql.check.check_query`) and that every param is one of
its variables; `named_bindings` turns a caller's values into RDF terms by each param's kind.
``kg.query_named`` and ``ipgraph query --name`` run them.

>>> q = named_query("counts-per-class")
>>> q.name, bool(q.title)
('counts-per-class', True)
"""

from __future__ import annotations

import difflib
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from rdflib import Literal as RDFLiteral
from rdflib import URIRef
from rdflib.term import Identifier

from ipgraph.errors import UsageError
from ipgraph.sparql.check import check_query
from ipgraph.terms import to_term
from ipgraph.vocab import PREFIXES

if TYPE_CHECKING:
    from importlib.abc import Traversable

XSD = PREFIXES["xsd"]  # a plain Namespace: rdflib's XSD class warns under doctest collection

__all__ = [
    "PARAM_KINDS",
    "NamedQuery",
    "QueryParam",
    "named_bindings",
    "named_queries",
    "named_query",
    "parse_named_query",
]

PARAM_KINDS = ("entity", "iri", "string", "integer", "year", "any")


@dataclass(frozen=True)
class QueryParam:
    """A parameter of a named query: a variable the caller binds.

    Attributes:
        name: the variable (without ``?``).
        kind: how a string value is read: ``entity`` (IRI, CURIE, label or acronym, resolved
            by ``kg.resolve``), ``iri``, ``string``, ``integer``, ``year`` (xsd:gYear) or
            ``any`` (the `to_term` rules).
        description: what it means.
        optional: the query also runs without it.
    """

    name: str
    kind: str = "any"
    description: str = ""
    optional: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "description": self.description,
            "optional": self.optional,
        }


@dataclass(frozen=True)
class NamedQuery:
    """A competency question shipped with ipgraph as a ``.rq`` file.

    Attributes:
        name: the file stem (``joint-documents``), used by ``--name`` and ``kg.query_named``.
        title: one line: the question it answers.
        description: what it returns and how to read it.
        text: the SPARQL.
        params: the variables a caller binds (``# param:`` header lines).
    """

    name: str
    title: str
    description: str
    text: str
    params: tuple[QueryParam, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "params": [p.to_dict() for p in self.params],
            "text": self.text,
        }

    def term(
        self,
        param: str,
        value: Any,
        resolve: Callable[[str], URIRef],
        prefixes: Mapping[str, str] | None = None,
    ) -> Identifier:
        """The RDF term for ``value`` given as parameter ``param`` (see `QueryParam.kind`)."""
        spec = next((p for p in self.params if p.name == param), None)
        kind = spec.kind if spec is not None else "any"
        if isinstance(value, Identifier) or not isinstance(value, str):
            return to_term(value, prefixes)
        if kind == "entity":
            return resolve(value)
        if kind == "iri":
            term = to_term(value, prefixes)
            if not isinstance(term, URIRef):
                raise UsageError(f"parameter {param!r} wants an IRI or CURIE, not {value!r}")
            return term
        if kind == "string":
            return RDFLiteral(value)
        if kind in ("integer", "year"):
            if not re.fullmatch(r"-?\d+", value.strip()):
                raise UsageError(f"parameter {param!r} wants a whole number, not {value!r}")
            datatype = XSD.integer if kind == "integer" else XSD.gYear
            return RDFLiteral(value.strip(), datatype=datatype)
        return to_term(value, prefixes)


_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*)$")
_PARAM = re.compile(
    r"^\??(?P<name>[A-Za-z_][\w]*)\s*(?:\((?P<kind>[^)]*)\))?\s*(?:[—–:-]+\s*(?P<text>.*))?$"
)


def parse_named_query(name: str, text: str) -> NamedQuery:
    """Read a ``.rq`` file's header comments into a `NamedQuery`.

    The header is the leading run of ``#`` lines: ``# title: ...``, ``# description: ...``
    (continued on following ``#`` lines) and any number of
    ``# param: NAME (KIND[, optional]) — meaning``.

    Raises:
        UsageError: no title, a malformed param line, an unknown param kind, or a param that
            is not a variable of the query.

    >>> q = parse_named_query("x", "# title: Agencies\\n# param: a (entity) — one\\nASK {?a ?b ?c}")
    >>> q.title, q.params[0].kind
    ('Agencies', 'entity')
    """
    fields: dict[str, str] = {}
    params: list[QueryParam] = []
    last: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER.match(stripped)
        if match:
            key, value = match.group(1), match.group(2).strip()
            if key == "param":
                params.append(_parse_param(name, value))
                last = None
            else:
                fields[key] = value
                last = key
        elif last is not None:
            fields[last] = f"{fields[last]} {stripped.lstrip('#').strip()}".strip()
    if not fields.get("title"):
        raise UsageError(f"named query {name!r} has no '# title:' header line")
    # Oxigraph's parser where installed (rdflib's takes longer than running the query on a
    # large store); a query run on the memory store is parsed by rdflib there anyway
    parsed = check_query(text, native=True)
    for param in params:
        if param.name not in parsed.variables:
            raise UsageError(f"named query {name!r}: param ?{param.name} is not in the query")
    return NamedQuery(name, fields["title"], fields.get("description", ""), text, tuple(params))


def _parse_param(query: str, spec: str) -> QueryParam:
    match = _PARAM.match(spec)
    if not match:
        raise UsageError(f"named query {query!r}: cannot read '# param: {spec}'")
    options = [o.strip() for o in (match.group("kind") or "any").split(",") if o.strip()]
    optional = "optional" in options
    kinds = [o for o in options if o != "optional"] or ["any"]
    if len(kinds) != 1 or kinds[0] not in PARAM_KINDS:
        raise UsageError(
            f"named query {query!r}: param kind {', '.join(kinds)!r}; use one of "
            + ", ".join(PARAM_KINDS)
        )
    return QueryParam(match.group("name"), kinds[0], (match.group("text") or "").strip(), optional)


_NAMED_CACHE: dict[str, NamedQuery] = {}
_NAMED_LOCK = threading.Lock()
_ALL_READ: list[bool] = []  # non-empty once every shipped query is in _NAMED_CACHE


def named_queries() -> dict[str, NamedQuery]:
    """The named queries shipped in ``ipgraph/queries/*.rq``, by name (sorted).

    >>> queries = named_queries()
    >>> len(queries) >= 25
    True
    >>> all(q.title for q in queries.values())
    True
    """
    with _NAMED_LOCK:
        if not _ALL_READ:
            for name, entry in sorted(_query_files().items()):
                if name not in _NAMED_CACHE:
                    _NAMED_CACHE[name] = parse_named_query(name, entry.read_text(encoding="utf-8"))
            ordered = sorted(_NAMED_CACHE.items())
            _NAMED_CACHE.clear()
            _NAMED_CACHE.update(ordered)
            _ALL_READ.append(True)
        return dict(_NAMED_CACHE)


def _query_files() -> dict[str, Traversable]:
    """The shipped ``.rq`` files, by query name (read but not parsed)."""
    folder = resources.files("ipgraph.sparql") / "queries"
    return {e.name[: -len(".rq")]: e for e in folder.iterdir() if e.name.endswith(".rq")}


def named_query(name: str) -> NamedQuery:
    """One named query by name.

    Raises:
        UsageError: no such query (the message suggests close names).

    >>> named_query("counts-per-class").name
    'counts-per-class'
    """
    with _NAMED_LOCK:
        if name in _NAMED_CACHE:
            return _NAMED_CACHE[name]
    # One file read and checked, not all of them: checking a query parses it with rdflib,
    # and parsing every shipped query costs more than running one on a large store.
    files = _query_files()
    if name not in files:
        close = difflib.get_close_matches(name, sorted(files), n=3, cutoff=0.5)
        hint = f"; did you mean: {', '.join(close)}?" if close else ""
        raise UsageError(f"no named query {name!r}{hint} (`ipgraph query --list` shows them all)")
    named = parse_named_query(name, files[name].read_text(encoding="utf-8"))
    with _NAMED_LOCK:
        return _NAMED_CACHE.setdefault(name, named)


def named_bindings(
    query: NamedQuery,
    values: Mapping[str, Any],
    resolve: Callable[[str], URIRef],
    prefixes: Mapping[str, str] | None = None,
) -> dict[str, Identifier]:
    """Bindings for a named query: each value read by its parameter's kind.

    Args:
        query: the named query.
        values: parameter name -> value (string, number or rdflib term).
        resolve: turns an entity reference (label, acronym, CURIE) into its IRI.
        prefixes: the prefixes CURIE values may use (default: the project's).

    Raises:
        UsageError: an undeclared parameter, or a required one missing.
    """
    declared = {p.name: p for p in query.params}
    result: dict[str, Identifier] = {}
    for name, value in values.items():
        var = name.lstrip("?$")
        if var not in declared:
            known = ", ".join(declared) or "none"
            raise UsageError(
                f"named query {query.name!r} has no parameter {var!r} (it has: {known})"
            )
        result[var] = query.term(var, value, resolve, prefixes)
    missing = [p.name for p in query.params if not p.optional and p.name not in result]
    if missing:
        example = " ".join(f"--param {m}=..." for m in missing)
        raise UsageError(f"named query {query.name!r} needs {', '.join(missing)} ({example})")
    return result
