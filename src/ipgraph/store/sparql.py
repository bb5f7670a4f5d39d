"""The remote SPARQL 1.1 backend (``sparql:QUERY_URL[#update=URL&store=URL]``)."""

from __future__ import annotations

import csv
import io
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Collection, Iterator, Mapping, Sequence
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.plugins.stores.sparqlconnector import SPARQLConnector
from rdflib.query import Result
from rdflib.term import Node

from ipgraph.errors import StoreError, UsageError
from ipgraph.sparql.check import ParsedQuery
from ipgraph.sparql.result import QueryResult, collect
from ipgraph.sparql.scan import inject_values
from ipgraph.store.base import LabelRows, Store, Triple, reads_graphs
from ipgraph.store.namesearch import Names, RemoteNames
from ipgraph.terms import LABEL_PREDICATES
from ipgraph.vocab import PREFIXES

if TYPE_CHECKING:
    from ipgraph.store.base import Graphs, LoadedGraph, Progress

TIMEOUT_ENV = "IPGRAPH_SPARQL_TIMEOUT"
"""Seconds to wait for a SPARQL server to connect and to answer (default 30)."""


class _FormConnector(SPARQLConnector):
    """rdflib's SPARQL client, sending queries as a form-encoded POST with a timeout.

    rdflib's ``POST`` sends the query as the body (``application/sparql-query``), which some
    servers never answer (Virtuoso 7.2), and it opens connections without a timeout, so such a
    server hangs the caller. A form POST (``application/x-www-form-urlencoded``) is the one
    request form every SPARQL 1.1 server accepts. Placed after rdflib's `SPARQLStore` in the
    store classes' bases, so that ``SPARQLStore.query`` reaches this ``query``.
    """

    timeout: float

    def query(
        self, query: str, default_graph: str | None = None, named_graph: str | None = None
    ) -> Result:
        answer = post_query(
            self.query_endpoint or "",
            query,
            self.response_mime_types(),
            self.timeout,
            default_graph if isinstance(default_graph, (str, URIRef)) else None,
        )
        return Result.parse(BytesIO(answer.body), content_type=answer.media_type)


class Answer(NamedTuple):
    """A SPARQL server's answer: its body, media type (no parameters) and ``Server`` header."""

    body: bytes
    media_type: str
    server: str


def post_query(
    endpoint: str, query: str, accept: str, timeout: float, default_graph: str | None = None
) -> Answer:
    """Send a query as a form-encoded POST (the one form every SPARQL 1.1 server accepts).

    Raises:
        StoreError: the server refused the query, did not answer within ``timeout`` seconds,
            or could not be reached (one line saying which).
    """
    fields = {"query": query}
    if default_graph is not None:
        fields["default-graph-uri"] = str(default_graph)
    request = urllib.request.Request(
        endpoint,
        data=urllib.parse.urlencode(fields).encode(),
        headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body, headers = response.read(), response.headers
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip().splitlines()
        raise StoreError(
            f"SPARQL server {endpoint} answered HTTP {exc.code}: "
            f"{detail[0] if detail else exc.reason}"
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        raise StoreError(_failure(endpoint, exc, timeout)) from None
    media_type = (headers["Content-Type"] or "").split(";")[0].strip()
    return Answer(body, media_type, headers["Server"] or "")


class SparqlStore(Store):
    """A remote SPARQL 1.1 server (``sparql:QUERY_URL[#update=URL&store=URL]``).

    Queries go to the server as text; triple lookups from rdflib-based code become small SPARQL
    queries (rdflib's `SPARQLStore`). Loading replaces each file's named graph with one Graph
    Store Protocol PUT, or, with only an update endpoint, one ``DROP GRAPH`` + ``INSERT DATA``
    request per file.
    """

    kind = "sparql"
    persistent = True
    native_parser = True  # the server parses; Oxigraph's parser checks it fast here

    def __init__(
        self,
        url: str,
        update: str | None = None,
        graph_store: str | None = None,
        timeout: float | None = None,
    ) -> None:
        from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore

        self.query_url = url
        self.update_url = update
        self.store_url = graph_store
        self.timeout = timeout if timeout is not None else _env_timeout()
        self._sizes_cache: dict[URIRef, int] | None = None
        self.server = ""  # the Server header of the last answer read directly

        class _UpdateStore(SPARQLUpdateStore, _FormConnector):
            def add_graph(self, graph: Graph) -> None:
                """Graphs come into being when data is loaded; never CREATE them."""

        class _QueryStore(SPARQLStore, _FormConnector):  # type: ignore[misc]
            def add_graph(self, graph: Graph) -> None:
                """Reading a named graph (`Dataset.graph`) never tries to create it."""

        backend: SPARQLStore
        if update:
            backend = _UpdateStore(url, update, returnFormat="json", method="POST", autocommit=True)
        else:
            backend = _QueryStore(url, returnFormat="json", method="POST")
        backend.timeout = self.timeout
        super().__init__(Dataset(store=backend, default_union=True))
        self.spec = f"sparql:{url}"

    @property
    def writable(self) -> bool:
        """Whether an update or Graph Store endpoint was given."""
        return bool(self.update_url or self.store_url)

    def __len__(self) -> int:
        return sum(self.sizes().values())

    def sizes(self) -> dict[URIRef, int]:
        if self._sizes_cache is None:
            result = self.query(
                "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
            )
            self._sizes_cache = {
                URIRef(row[0]): int(row[1])  # type: ignore[index,arg-type]
                for row in result
                if isinstance(row[0], URIRef)  # type: ignore[index]
            }
        return self._sizes_cache

    def execute(
        self,
        parsed: ParsedQuery,
        bindings: Mapping[str, Node],
        graphs: Graphs = ((), ()),
        max_rows: int | None = None,
    ) -> QueryResult:
        if parsed.kind in {"SELECT", "ASK"} and not self.server:
            self._post("ASK {}", "application/sparql-results+xml")  # which server is it?
        accept = _results_format(self.server) if parsed.kind in {"SELECT", "ASK"} else None
        if accept is None:
            raw = self._query(parsed.text, bindings, graphs)
        else:  # the server writes another results format much faster than rdflib's JSON
            answer = self._post(self._bound(parsed.text, bindings, graphs), accept)
            raw = Result.parse(BytesIO(answer.body), content_type=answer.media_type)
        return collect(parsed.kind, parsed.vars, raw, max_rows, self.prefixes())

    def _bound(self, text: str, bindings: Mapping[str, Node], graphs: Graphs) -> str:
        if graphs[0] or graphs[1]:
            raise UsageError(f"default/named graph selection is not supported on {self.kind}")
        if bindings:
            # In the WHERE clause, as rdflib's initBindings bind: rdflib's SPARQLStore would
            # append the VALUES block after the query, which servers refuse for variables the
            # query does not return (Virtuoso: "No column entity").
            text = inject_values(text, bindings)
        return text

    def _post(self, text: str, accept: str) -> Answer:
        """The server's answer to ``text`` (with the project's prefixes) in ``accept``; notes
        which server answered (see `_results_format`)."""
        answer = post_query(self.query_url, _PROLOGUE + text, accept, self.timeout)
        self.server = answer.server or "-"  # "-": a server that does not say
        return answer

    def _query(self, text: str, bindings: Mapping[str, Node], graphs: Graphs) -> Result:
        text = self._bound(text, bindings, graphs)
        try:
            return self.dataset.query(text, initNs=dict(PREFIXES))
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(_failure(self.query_url, exc, self.timeout)) from None

    def replace_graphs(self, graphs: Mapping[URIRef, Graph]) -> None:
        if not self.writable:
            raise StoreError(
                f"the SPARQL store {self.query_url} is read-only; add '#store=GRAPH_STORE_URL' "
                "or '#update=UPDATE_URL' to the spec to load data"
            )
        for name, graph in graphs.items():
            body = graph.serialize(format="nt", encoding="utf-8")
            if self.store_url:
                target = _with_param(self.store_url, "graph", str(name))
                self._http("PUT", target, body, "application/n-triples")
            else:
                assert self.update_url is not None
                update = (
                    f"DROP SILENT GRAPH <{name}> ;\nINSERT DATA {{ GRAPH <{name}> {{\n".encode()
                    + body
                    + b"}}"
                )
                self._http("POST", self.update_url, update, "application/sparql-update")
        self._sizes_cache = None

    def _load_files(
        self, files: list[Path], only_changed: bool, progress: Progress | None
    ) -> list[LoadedGraph]:
        if only_changed:
            # The server keeps no record of files; a file whose graph it already holds is
            # taken as loaded (`ipgraph load` always replaces).
            present = set(self.graph_names())
            files = [p for p in files if reads_graphs(p) or self.default_graph(p) not in present]
        loaded = super()._load_files(files, False, progress)
        self._sizes_cache = None
        return loaded

    def _http(self, method: str, url: str, body: bytes, content_type: str) -> None:
        request = urllib.request.Request(
            url, data=body, method=method, headers={"Content-Type": content_type}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            raise StoreError(
                f"{method} {url} failed: HTTP {exc.code} {detail[0] if detail else exc.reason}"
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"{method} {url} failed: {_failure(url, exc, self.timeout)}") from None

    def select(self, text: str) -> list[tuple[str, ...]]:
        """The rows as strings, read as the server's CSV results (SPARQL 1.1 Query Results
        CSV): several times faster to produce and read than JSON or XML for the thousands of
        rows a hub's lookups return (Virtuoso: 0.2 s against 1.8 s for 12,500 rows). Booleans
        come as the server writes them (Virtuoso: ``1`` and ``0``); `objects` reads them right."""
        body, content_type, _ = self._post(text, "text/csv")
        if content_type != "text/csv":  # a server without CSV results: read what it sent
            result = Result.parse(BytesIO(body), content_type=content_type)
            return [tuple("" if t is None else str(t) for t in row) for row in result]  # type: ignore[union-attr]
        reader = csv.reader(io.StringIO(body.decode("utf-8"), newline=""))
        width = len(next(reader, ()))  # the header: the variables
        rows = [tuple(row) for row in reader]
        if any(len(row) != width for row in rows):
            # A server that leaves a comma in an IRI unquoted (Oxigraph 0.4): ask again for
            # results that keep their terms apart.
            return super().select(text)
        return rows

    def terms(
        self, variables: Sequence[str], pattern: str, iris: Collection[str] = ()
    ) -> list[tuple[Node, ...]]:
        """As `Store.terms`, read as CSV (see `select`) with each term's kind, language and
        datatype as columns beside it (none for the ``iris``: IRIs or blank nodes, never
        literals), so the terms are rebuilt exactly without JSON or XML results: Virtuoso
        sends 2,700 rows of node details as XML in 0.16 s, which rdflib reads in 0.3 s more;
        as CSV in 0.13 s, read in 0.02 s."""
        columns = " ".join(f"?{v}" if v in iris else _typed(v) for v in variables)
        out: list[tuple[Node, ...]] = []
        for row in self.select(f"SELECT {columns} WHERE {{ {pattern} }}"):
            terms: list[Node] = []
            at = 0
            for v in variables:
                if v in iris:
                    value, kind, lang, datatype, at = row[at], "i", "", "", at + 1
                else:
                    (value, kind, lang, datatype), at = row[at : at + 4], at + 4
                if not kind:  # unbound: the kind is an error, written as nothing
                    break
                terms.append(_term(value, kind, lang, datatype))
            else:
                out.append(tuple(terms))
        return out

    def objects(self, subjects: Sequence[URIRef], predicates: Sequence[URIRef]) -> Iterator[Triple]:
        """As `Store.objects`, by one query per `values_chunk` subjects and up to 4 predicates
        (CSV: see `terms`), the predicates as a ``UNION`` of fixed patterns: Virtuoso answers
        it for 500 subjects and 3 predicates about as fast as for one (0.08 s), but the same
        with ``?p`` in a ``VALUES`` list or filtered to a list in up to 4 s, and refuses a
        ``UNION`` of 16 such patterns (its compiled code grows too large). Each chunk's rows
        come predicate by predicate, in the order given (a label picked among several is the
        same each run)."""
        chunk = self.values_chunk or len(subjects) or 1
        order = {p: i for i, p in enumerate(predicates)}
        unions = [
            " UNION ".join(f"{{ ?s <{p}> ?o BIND(<{p}> AS ?p) }}" for p in predicates[at : at + 4])
            for at in range(0, len(predicates), 4)
        ]
        for start in range(0, len(subjects), chunk):
            values = " ".join(f"<{s}>" for s in subjects[start : start + chunk])
            rows = [
                row
                for union in unions
                for row in self.terms(
                    ("s", "p", "o"), f"VALUES ?s {{ {values} }} {union}", ("s", "p")
                )
            ]
            rows.sort(key=lambda row: order[row[1]])  # type: ignore[index]
            yield from rows  # type: ignore[misc]

    def label_rows(self) -> LabelRows:
        return _construct_labels(self.query(_LABELS_QUERY))

    def names(self) -> Names:
        """Names found by one bounded query per search on the server (``bif:contains`` where
        it has a text index), never by fetching every label."""
        if self._names is None:
            self._names = RemoteNames(self)
        return self._names

    def dump(self, format: str) -> str | None:
        if format not in {"nt", "nquads"}:
            return None
        lines = set()
        for row in self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"):
            s, p, o, g = row  # type: ignore[misc]
            terms = [s.n3(), p.n3(), o.n3()] + ([g.n3()] if format == "nquads" else [])
            lines.add(" ".join(terms) + " .\n")
        return "".join(sorted(lines))


_LABEL_VALUES = " ".join(f"<{p}>" for p in LABEL_PREDICATES)
_LABELS_QUERY = (
    f"SELECT ?s ?p ?o WHERE {{ {{ VALUES ?p {{ {_LABEL_VALUES} }} ?s ?p ?o }} UNION "
    f"{{ ?s a ?o . FILTER EXISTS {{ VALUES ?l {{ {_LABEL_VALUES} }} ?s ?l ?any }} "
    "BIND(rdf:type AS ?p) } }"
)


_RESULTS_BY_SERVER = {"virtuoso/": "application/sparql-results+xml"}
"""Results formats to ask a server for instead of rdflib's JSON, by the start of its Server
header (lower case): Virtuoso 7 writes 12,500 rows as XML in 0.5 s, as JSON in 1.8 s."""


def _results_format(server: str) -> str | None:
    server = server.lower()
    return next((f for name, f in _RESULTS_BY_SERVER.items() if server.startswith(name)), None)


_PROLOGUE = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())


def _term(value: str, kind: str, lang: str, datatype: str) -> Node:
    """An RDF term from its string value and the kind, language and datatype columns."""
    if kind == "i" and not value.startswith(("nodeID://", "_:")):
        # Not a blank node: Virtuoso's isIRI holds for one as a subject, and a term read
        # without its kind (`terms`' ``iris``) may be one.
        return URIRef(value)
    if kind in ("i", "b"):
        return BNode(value.removeprefix("_:"))
    if lang:
        return Literal(value, lang=lang)
    if not datatype or datatype in _PLAIN:
        return Literal(value)
    if datatype == _BOOLEAN:  # Virtuoso writes a boolean in CSV as 1 or 0
        value = {"1": "true", "0": "false"}.get(value, value)
    return Literal(value, datatype=URIRef(datatype))


_PLAIN = {str(XSD.string), str(RDF.langString)}
_BOOLEAN = str(XSD.boolean)


def _typed(var: str) -> str:
    """``?var`` and its kind (``i``, ``b`` or ``l``), language and datatype as three more
    columns (read back by `_term`)."""
    return (
        f"?{var} (IF(isIRI(?{var}), 'i', IF(isBlank(?{var}), 'b', 'l')) AS ?{var}__k) "
        f"(LANG(?{var}) AS ?{var}__l) "
        f"(IF(isLiteral(?{var}), STR(DATATYPE(?{var})), '') AS ?{var}__d)"
    )


def _construct_labels(result: Result) -> LabelRows:
    return LabelRows((row[0], row[1], row[2]) for row in result)  # type: ignore[index]


def _failure(url: str, exc: BaseException, timeout: float) -> str:
    """One line saying why a SPARQL server could not be used."""
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return (
            f"SPARQL server {url} did not answer within {timeout:g} s "
            f"(set {TIMEOUT_ENV} to wait longer)"
        )
    if isinstance(reason, ConnectionRefusedError):
        return f"SPARQL server {url} refused the connection; is it running on that port?"
    return f"SPARQL server {url}: {reason}"


def _env_timeout() -> float:
    value = os.environ.get(TIMEOUT_ENV, "30")
    try:
        seconds = float(value)
    except ValueError:
        raise UsageError(f"{TIMEOUT_ENV}={value!r} is not a number of seconds") from None
    if seconds <= 0:
        raise UsageError(f"{TIMEOUT_ENV}={value!r} must be more than 0 seconds")
    return seconds


def _with_param(url: str, key: str, value: str) -> str:
    joiner = "&" if urllib.parse.urlsplit(url).query else "?"
    return url + joiner + urllib.parse.urlencode({key: value})


def parse_sparql_spec(arg: str) -> tuple[str, str | None, str | None]:
    """Split ``QUERY_URL#update=URL&store=URL`` into its three endpoints.

    >>> parse_sparql_spec("http://h:7878/query#update=http://h:7878/update&store=http://h:7878/store")
    ('http://h:7878/query', 'http://h:7878/update', 'http://h:7878/store')
    >>> parse_sparql_spec("http://h:3030/ds/sparql")
    ('http://h:3030/ds/sparql', None, None)

    Raises:
        UsageError: the URL is not http(s) or an option is unknown.
    """
    url, _, fragment = arg.partition("#")
    options = dict(urllib.parse.parse_qsl(fragment, keep_blank_values=True)) if fragment else {}
    unknown = set(options) - {"update", "store"}
    if unknown:
        raise UsageError(
            f"unknown option(s) {', '.join(sorted(unknown))} in store spec; "
            "use sparql:QUERY_URL#update=URL&store=URL"
        )
    for value in (url, *options.values()):
        if not value.startswith(("http://", "https://")):
            raise UsageError(f"{value!r} is not an http(s) URL in store spec sparql:{arg}")
    return url, options.get("update"), options.get("store")
