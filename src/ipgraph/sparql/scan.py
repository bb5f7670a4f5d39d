"""The token-level scan of a SPARQL text: what it is, and what ipgraph refuses before parsing.

One tokenizer (`SPARQL_TOKEN`: strings, IRIs and comments are single tokens) serves every
text-level look at a query: refusing ``SERVICE`` and SPARQL Update wherever they hide
(`scan_query`), and placing bindings in the WHERE clause (`inject_values`).

>>> from rdflib import URIRef
>>> scan_query("SELECT ?s WHERE { ?s ?p ?o }").projected
('s',)
>>> inject_values("ASK { ?s ?p ?o }", {"s": URIRef("urn:x")})
'ASK { VALUES ( ?s ) { ( <urn:x> ) } ?s ?p ?o }'
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from rdflib.term import Node

from ipgraph.errors import QueryForbidden, QuerySyntaxError

__all__ = [
    "PARSER_LOCK",
    "SPARQL_TOKEN",
    "QueryKind",
    "Scan",
    "inject_values",
    "refuse_update",
    "scan_query",
    "service_forbidden",
    "tokens",
]

QueryKind = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]

UPDATE_NAMES = {
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
}

# rdflib's SPARQL grammar is pyparsing, which is not thread-safe (RDFLib/rdflib#1282): two
# threads parsing at once can fail with errors such as "postParse2() missing ... tokenList".
# Parsing is serialised; evaluation of the parsed query is not.
PARSER_LOCK = threading.Lock()


_UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"}
)
_NAME_CHARS = r"\w\-\u00B7\u0300-\u036F\u203F-\u2040"
_LOCAL_CHAR = rf"(?:[{_NAME_CHARS}:]|%[0-9A-Fa-f]{{2}}|\\[_~.\-!$&'()*+,;=/?#@%])"
SPARQL_TOKEN = re.compile(
    r"(?P<space>\s+)"
    r"|(?P<comment>\#[^\r\n]*)"
    r"|(?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\[\s\S]))*'''"
    r'|"""(?:(?:"|"")?(?:[^"\\]|\\[\s\S]))*"""'
    r"|'(?:[^'\\\r\n]|\\[\s\S])*'"
    r'|"(?:[^"\\\r\n]|\\[\s\S])*")'
    r'|(?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)'
    rf"|(?P<var>[?$][{_NAME_CHARS}]+)"
    r"|(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)"
    rf"|(?P<bnode>_:[{_NAME_CHARS}](?:[{_NAME_CHARS}.]*[{_NAME_CHARS}])?)"
    rf"|(?P<pname>(?P<prefix>[^\W\d_](?:[{_NAME_CHARS}.]*[{_NAME_CHARS}])?)?:"
    rf"(?:{_LOCAL_CHAR}(?:(?:{_LOCAL_CHAR}|\.)*{_LOCAL_CHAR})?)?)"
    r"|(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<other>[\s\S])"
)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_FORMS: dict[str, QueryKind] = {
    "SELECT": "SELECT",
    "ASK": "ASK",
    "CONSTRUCT": "CONSTRUCT",
    "DESCRIBE": "DESCRIBE",
}


@dataclass(frozen=True)
class Scan:
    """What the token scan learned about a query that is not refused."""

    text: str
    kind: QueryKind | None
    form_at: int
    """Offset of the query-form keyword in ``text`` (-1 when not found)."""
    variables: frozenset[str]
    projected: tuple[str, ...]
    has_from: bool


def _unescape_codepoints(text: str) -> str:
    """``\\uXXXX`` / ``\\UXXXXXXXX`` decoded everywhere, as SPARQL 1.1 (19.2) says engines
    may do before parsing."""

    def decode(match: re.Match[str]) -> str:
        try:
            return chr(int(match.group(1) or match.group(2), 16))
        except (ValueError, OverflowError):
            return match.group(0)

    return _CODEPOINT.sub(decode, text)


def scan_query(text: str) -> Scan:
    """Refuse ``SERVICE`` and SPARQL Update keywords outside strings, IRIs and comments.

    Engines differ in where they decode ``\\u`` escapes (rdflib first, everywhere; Oxigraph
    only inside strings and IRIs) and Oxigraph's grammar accepts keywords glued to the next
    token (``SERVICEex:g``, ``SERVICESILENT<...>``). So the scan reads the text both as
    written and with escapes decoded, and refuses any bare word, or prefix of a prefixed name,
    that contains ``SERVICE`` (no SPARQL query keyword does), and any bare update keyword.

    >>> scan_query("SELECT ?x WHERE { BIND('SERVICE' AS ?x) }").kind
    'SELECT'
    >>> try:
    ...     scan_query("ASK { ?s ?p ?o FILTER EXISTS { service <http://x.org/> { } } }")
    ... except QueryForbidden as exc:
    ...     print(str(exc)[:33])
    SERVICE <http://x.org/> is not al
    """
    decoded = _unescape_codepoints(text)
    if decoded != text:
        _scan_view(decoded)
    return _scan_view(text)


def _scan_view(text: str) -> Scan:
    found = [(m.lastgroup, m.group(), m.start(), m.group("prefix")) for m in tokens(text)]
    kind: QueryKind | None = None
    form_at = -1
    has_from = False
    variables: set[str] = set()
    projected: list[str] = []
    in_select = False
    depth = 0
    for index, (group, value, start, prefix) in enumerate(found):
        if group == "var":
            variables.add(value[1:])
            if in_select and (depth == 0 or found[index - 1][1].upper() == "AS"):
                projected.append(value[1:])
            continue
        if group == "pname" and prefix:
            if "SERVICE" in prefix.upper():
                _refuse_service_call(found, index - 1, value)
            if prefix.upper().startswith("FROM"):  # `FROMex:g` may read as `FROM ex:g`
                has_from = True
        if group == "word":
            word = value.upper()
            if "SERVICE" in word:
                _refuse_service_call(found, index, value)
            if word in _UPDATE_KEYWORDS:
                refuse_update(text)
                raise QueryForbidden(
                    f"SPARQL Update ({word}) is not allowed: ipgraph answers queries only"
                )
            if word.startswith("FROM"):
                has_from = True
            if kind is None and word not in ("BASE", "PREFIX"):
                form = next((f for f in _FORMS if word.startswith(f)), None)
                if form is not None:
                    kind, form_at, in_select = _FORMS[form], start, form == "SELECT"
            elif in_select and word.startswith(("WHERE", "FROM")):
                in_select = False
        elif in_select and group == "other":
            if value == "(":
                depth += 1
            elif value == ")":
                depth -= 1
            elif value == "{":
                in_select = False
    return Scan(
        text=text,
        kind=kind,
        form_at=form_at,
        variables=frozenset(variables),
        projected=tuple(dict.fromkeys(projected)) if kind == "SELECT" else (),
        has_from=has_from,
    )


def _refuse_service_call(
    found: list[tuple[str | None, str, int, str | None]], index: int, word: str
) -> None:
    """Raise `QueryForbidden` for the SERVICE at ``found[index]``, naming its endpoint."""
    target = word
    for group, value, _, _ in found[index + 1 : index + 3]:
        if group == "word" and value.upper() == "SILENT":
            continue
        if group in ("iri", "pname", "var"):
            target = value
        break
    raise service_forbidden(target)


def service_forbidden(target: str) -> QueryForbidden:
    return QueryForbidden(
        f"SERVICE {target} is not allowed: ipgraph never calls other endpoints; "
        "query each service yourself"
    )


def refuse_update(text: str) -> None:
    """Raise `QueryForbidden` when the text is a well-formed SPARQL Update."""
    from rdflib.plugins.sparql.parser import parseUpdate  # on first use: a costly grammar

    try:
        with PARSER_LOCK:
            update = parseUpdate(text)
    except Exception:
        return
    names = [UPDATE_NAMES.get(op.name, op.name) for op in update.request]
    if not names:
        return
    raise QueryForbidden(
        f"SPARQL Update ({', '.join(dict.fromkeys(names))}) is not allowed: "
        "ipgraph answers queries only"
    )


def tokens(text: str) -> Iterator[re.Match[str]]:
    """The tokens of a SPARQL text, spaces and comments left out (see `SPARQL_TOKEN`)."""
    for match in SPARQL_TOKEN.finditer(text):
        if match.lastgroup not in ("space", "comment"):
            yield match


def inject_values(text: str, bindings: Mapping[str, Node]) -> str:
    """Put ``VALUES`` for ``bindings`` at the start of a query's WHERE clause, as rdflib's
    ``initBindings`` bind (before evaluation, projected or not).

    >>> from rdflib import URIRef
    >>> inject_values("SELECT ?d WHERE { ?d ?p ?a }", {"a": URIRef("urn:x")})
    'SELECT ?d WHERE { VALUES ( ?a ) { ( <urn:x> ) } ?d ?p ?a }'
    >>> inject_values("CONSTRUCT { ?a ?p ?o } WHERE { ?a ?p ?o }", {"a": URIRef("urn:x")})
    'CONSTRUCT { ?a ?p ?o } WHERE { VALUES ( ?a ) { ( <urn:x> ) } ?a ?p ?o }'

    Raises:
        QuerySyntaxError: the query has no WHERE clause to bind variables in.
    """
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(term.n3() for term in bindings.values())
    block = f" VALUES ( {names} ) {{ ( {values} ) }}"
    depth, opened, construct = 0, 0, False
    for match in tokens(text):
        group, value = match.lastgroup, match.group()
        if group == "word" and depth == 0 and opened == 0:
            word = value.upper()
            if word == "CONSTRUCT":
                construct = True
            elif word == "WHERE":
                construct = False
        elif value == "{":
            if depth == 0:
                opened += 1
                if not construct or opened == 2:
                    return text[: match.end()] + block + text[match.end() :]
            depth += 1
        elif value == "}":
            depth -= 1
    raise QuerySyntaxError("the query has no WHERE clause to bind variables in")
