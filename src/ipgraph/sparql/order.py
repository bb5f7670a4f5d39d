"""ORDER BY done in Python for engines that sort slowly.

Oxigraph (0.5) compares terms by reading their text back from the store at every comparison:
sorting 12,500 rows by an IRI column takes seconds, a hundred times longer than finding them.
When a query ends with ``ORDER BY`` over plain variables (no LIMIT or OFFSET after it, so
every row is read anyway), the store can run it without that clause (`split_order`) and sort
the rows here (`sort_rows`), by the SPARQL order: unbound, then blank nodes, then IRIs (by
their text), then literals (plain strings by their text, numbers by value). For anything
else (dates, language tags, strings and numbers in one column, whose order is the engine's
to define) `sort_rows` returns None and the caller runs the query as written.

>>> text, keys = split_order("SELECT ?a ?b WHERE { ?a ?p ?b } ORDER BY ?a DESC(?b)")
>>> text, keys
('SELECT ?a ?b WHERE { ?a ?p ?b } ', [('a', False), ('b', True)])
>>> from rdflib import Literal, URIRef
>>> rows = [(URIRef("urn:b"), Literal("x")), (URIRef("urn:a"), Literal("y")), (None, None)]
>>> [str(row[0]) for row in sort_rows(["a", "b"], rows, keys)]
['None', 'urn:a', 'urn:b']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

__all__ = ["sort_rows", "split_order"]

_KEY = r"(?:(?:ASC|DESC)\s*\(\s*[?$]\w+\s*\)|[?$]\w+)"
_TAIL = re.compile(rf"\bORDER\s+BY((?:\s*{_KEY})+)\s*$", re.IGNORECASE)
_ONE_KEY = re.compile(r"(ASC|DESC)?\s*\(?\s*[?$](\w+)", re.IGNORECASE)

Key = tuple[str, bool]  # variable, descending
_STRING = (None, XSD.string)
_NUMBERS = frozenset(
    {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long, XSD.nonNegativeInteger}
)


def split_order(text: str) -> tuple[str, list[Key]] | None:
    """The query without its final ``ORDER BY`` clause and that clause's keys, or None when
    the query does not end with an ``ORDER BY`` over plain variables.

    >>> split_order("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 5") is None
    True
    """
    match = _TAIL.search(text)
    if match is None:
        return None
    keys = [
        (m.group(2), (m.group(1) or "").upper() == "DESC")
        for m in _ONE_KEY.finditer(match.group(1))
    ]
    return text[: match.start()], keys


def _rank(value: Node | None) -> tuple[int, str | int | float | Decimal] | None:
    if value is None:
        return (0, "")
    if isinstance(value, BNode):
        return (1, "")  # blank nodes tie with one another (the engine's order is kept)
    if isinstance(value, URIRef):
        return (2, str(value))
    if isinstance(value, Literal) and value.language is None and value.datatype in _STRING:
        return (3, str(value))
    if isinstance(value, Literal) and value.datatype in _NUMBERS:
        number = value.toPython()  # an ill-typed number stays a Literal: the engine's to order
        real = isinstance(number, int | float | Decimal) and not isinstance(number, bool)
        if real and number == number:  # NaN has no place in an order
            return (4, number)
    return None


def sort_rows(
    variables: Sequence[str], rows: Sequence[tuple[Node | None, ...]], keys: Sequence[Key]
) -> list[tuple[Node | None, ...]] | None:
    """``rows`` in the order of ``keys`` (stable: ties keep their order), or None when a key
    holds a value this module does not order (see the module's note)."""
    position = {name: i for i, name in enumerate(variables)}
    wanted = [(position[name], descending) for name, descending in keys if name in position]
    # a variable the rows do not hold is unbound everywhere: it orders nothing
    if not wanted:
        return list(rows)
    ranked: list[tuple[tuple[int, Any], ...]] = []
    for row in rows:
        ranks = tuple(_rank(row[i]) for i, _ in wanted)
        if None in ranks:
            return None
        ranked.append(cast(tuple[tuple[int, Any], ...], ranks))
    for k in range(len(wanted)):  # strings and numbers in one column: the engine's order
        if len({r[k][0] for r in ranked} & {3, 4}) > 1:
            return None
    order = list(range(len(rows)))
    # stable sorts, least significant run of keys of one direction first
    end = len(wanted)
    while end > 0:
        start = end - 1
        while start > 0 and wanted[start - 1][1] == wanted[end - 1][1]:
            start -= 1
        order.sort(key=lambda j: ranked[j][start:end], reverse=wanted[end - 1][1])
        end = start
    return [rows[j] for j in order]
