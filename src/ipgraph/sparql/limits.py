"""Cheap structural limits that refuse a SPARQL query before any parser sees it.

Both parsers ipgraph uses are recursive: rdflib's (pyparsing) gives up with a `RecursionError`
after a few dozen nested groups, and Oxigraph's overflows the C stack and kills the whole
process (SIGSEGV) at a few thousand. `check_limits` therefore reads the query once, left to
right, with the one SPARQL tokenizer (`ipgraph.sparql.scan.tokens`: strings, IRIs and comments
are single tokens), and refuses a query that is

- longer than `MAX_QUERY_CHARS` characters,
- nested deeper than `MAX_NESTING` brackets (``{``, ``(`` and ``[`` together),
- made of a property path (or an expression) with more than `MAX_PATH_STEPS` ``/`` ``|`` ``^``
  steps in one triple pattern,
- made of more than `MAX_TRIPLE_PATTERNS` triple patterns.

Each refusal is a `QueryForbidden` whose message names the limit. The checks cost about a
microsecond per character; nothing is parsed, nothing allocated beyond the token list's counters.

`check_timeout` validates a time limit (a positive, finite number of seconds).

>>> check_limits("SELECT * WHERE { ?s ?p ?o }").depth
1
>>> check_limits("SELECT * WHERE " + "{" * 300 + "}" * 300)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ipgraph.errors.QueryForbidden: the query nests 300 brackets deep; the limit is 100 ...
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ipgraph.errors import QueryForbidden, UsageError
from ipgraph.sparql.scan import tokens

__all__ = [
    "DEFAULT_TIMEOUT",
    "MAX_NESTING",
    "MAX_PATH_STEPS",
    "MAX_QUERY_CHARS",
    "MAX_TRIPLE_PATTERNS",
    "QueryShape",
    "check_limits",
    "check_timeout",
    "measure",
]

MAX_QUERY_CHARS = 100_000
"""Longest query text accepted (the HTTP endpoint's request-size cap is of the same order)."""

MAX_NESTING = 100
"""Deepest nesting of ``{`` / ``(`` / ``[`` together. rdflib's parser already fails near 30
levels (with a syntax error); Oxigraph's crashes the process near 3,000 groups or 5,000
parentheses. Hand-written and generated queries stay far below 100."""

MAX_PATH_STEPS = 50
"""Most ``/``, ``|`` and ``^`` operators in one triple pattern (its property path, or an
expression such as ``?a / ?b``). Path evaluation cost grows with every step."""

MAX_TRIPLE_PATTERNS = 2_000
"""Most triple patterns in a query (counted as subjects + ``;`` and ``,`` continuations)."""

DEFAULT_TIMEOUT = 60.0
"""Seconds a query may run when the caller gives no limit (library and CLI; the HTTP endpoint
has its own, shorter ``DEFAULT_TIMEOUT``)."""

_GROUPS = {"pname": "name", "bnode": "name", "number": "name", "word": "name", "lang": "name"}
"""The scanner's token kinds that this measure treats alike (names, numbers, keywords)."""
_OPEN = {"{": "}", "(": ")", "[": "]"}
_CLOSE = frozenset("})]")
_STEP = frozenset("/|^")
_SEPARATORS = frozenset(";,")


@dataclass(frozen=True)
class QueryShape:
    """What `check_limits` measured in a query it accepted.

    Attributes:
        chars: length of the text.
        depth: deepest bracket nesting.
        path_steps: most path (or expression) operators in one triple pattern.
        triple_patterns: estimated number of triple patterns.
    """

    chars: int
    depth: int
    path_steps: int
    triple_patterns: int


def check_limits(
    text: str,
    *,
    max_chars: int = MAX_QUERY_CHARS,
    max_nesting: int = MAX_NESTING,
    max_path_steps: int = MAX_PATH_STEPS,
    max_triple_patterns: int = MAX_TRIPLE_PATTERNS,
) -> QueryShape:
    """Refuse a query whose size or shape could crash or stall a parser, before parsing it.

    Brackets, path operators and separators are counted outside strings, IRIs and comments,
    in one linear pass. Run it before `check_query` (which parses) on every query text that
    comes from a user.

    Args:
        text: the SPARQL query text.
        max_chars: the longest text accepted.
        max_nesting: the deepest bracket nesting accepted.
        max_path_steps: the most ``/``, ``|``, ``^`` operators in one triple pattern.
        max_triple_patterns: the most triple patterns.

    Returns:
        The measured `QueryShape`.

    Raises:
        QueryForbidden: a limit is exceeded; the message names it and the measured value.

    >>> check_limits("SELECT * WHERE { ?s ipg:issuedBy/skos:broader ?o . ?o ?p ?x }")
    QueryShape(chars=61, depth=1, path_steps=1, triple_patterns=2)
    >>> check_limits("ASK { ?s " + "/".join(["ipg:p"] * 60) + " ?o }")
    Traceback (most recent call last):
    ...
    ipgraph.errors.QueryForbidden: a triple pattern has a path of 59 steps; the limit is 50
    """
    if len(text) > max_chars:
        raise QueryForbidden(
            f"the query is {len(text):,} characters long; the limit is {max_chars:,}"
        )
    shape = measure(text)
    if shape.depth > max_nesting:
        raise QueryForbidden(
            f"the query nests {shape.depth:,} brackets deep; the limit is {max_nesting} "
            "(flatten its groups)"
        )
    if shape.path_steps > max_path_steps:
        raise QueryForbidden(
            f"a triple pattern has a path of {shape.path_steps:,} steps; "
            f"the limit is {max_path_steps}"
        )
    if shape.triple_patterns > max_triple_patterns:
        raise QueryForbidden(
            f"the query has {shape.triple_patterns:,} triple patterns; the limit is "
            f"{max_triple_patterns:,} (split it into several queries)"
        )
    return shape


def measure(text: str) -> QueryShape:
    """Measure a query's shape in one linear pass, refusing nothing (see `check_limits`).

    >>> measure("SELECT * WHERE { ?s ?p ?o ; ?q ?r . OPTIONAL { ?o ?x [ ?y ?z ] } }")
    QueryShape(chars=66, depth=3, path_steps=0, triple_patterns=3)
    """
    closers: list[str] = []
    deepest = steps = most_steps = patterns = 0
    subject_pending = True  # the next term in a group starts a new triple pattern
    doubled = -1  # the second character of `||`, `&&` or `^^`: not a path step
    for match in tokens(text):
        group = _GROUPS.get(match.lastgroup or "", match.lastgroup)
        value = match.group()
        inside = closers[-1] if closers else ""
        if group == "other":
            if match.start() == doubled:
                continue
            if value in "|&^" and text[match.end() : match.end() + 1] == value:
                doubled = match.end()  # `||` / `&&` are operators, `^^` a datatype: no steps
                continue
            if value in _OPEN:
                closers.append(_OPEN[value])
                deepest = max(deepest, len(closers))
                if value == "{":
                    subject_pending, steps = True, 0
            elif value in _CLOSE:
                if inside == value:
                    closers.pop()
                if value == "}":
                    subject_pending, steps = True, 0
            elif value in _STEP:
                steps += 1
                most_steps = max(most_steps, steps)
            elif value == "." and inside in ("}", ""):
                subject_pending, steps = True, 0
            elif value in _SEPARATORS and inside in ("}", "]"):
                patterns += 1
                steps = 0
            elif value == "[" and subject_pending and inside == "}":
                patterns += 1
                subject_pending = False
            continue
        if group == "name" and value.upper() in _GROUP_WORDS:
            subject_pending = True
        elif subject_pending and inside == "}" and _starts_pattern(group, value):
            patterns += 1
            subject_pending = False
    return QueryShape(len(text), deepest, most_steps, patterns)


_GROUP_WORDS = frozenset(
    {"OPTIONAL", "MINUS", "UNION", "GRAPH", "SERVICE", "FILTER", "BIND", "VALUES"}
)


def _starts_pattern(group: str | None, value: str) -> bool:
    """Whether a token at the start of a group element begins a triple pattern (rather than
    being a keyword such as FILTER, OPTIONAL, BIND)."""
    if group in ("iri", "string", "var"):
        return True
    return group == "name" and (":" in value or value[0].isdigit())


def check_timeout(value: float | str | None, *, default: float | None = None) -> float | None:
    """Validate a time limit in seconds: a positive, finite number.

    Args:
        value: the limit as given (a number, or a string from a command line or a URL);
            None means "no value given".
        default: what None stands for.

    Returns:
        The limit as a float, or ``default`` when ``value`` is None.

    Raises:
        UsageError: not a number, not positive, or not finite (``nan``, ``inf``).

    >>> check_timeout("2.5")
    2.5
    >>> check_timeout(None, default=60.0)
    60.0
    >>> check_timeout("nan")
    Traceback (most recent call last):
    ...
    ipgraph.errors.UsageError: the time limit must be positive and finite (seconds), not 'nan'
    """
    if value is None:
        return default
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = math.nan
    if isinstance(value, bool) or not math.isfinite(seconds) or seconds <= 0:
        raise UsageError(f"the time limit must be positive and finite (seconds), not {value!r}")
    return seconds
