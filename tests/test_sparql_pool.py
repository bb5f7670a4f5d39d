"""The query pool: real worker processes, each test bounded in time (issue 11)."""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import ipgraph
from bounded import returns_within
from ipgraph.errors import QueryError, QuerySyntaxError, QueryTimeout, ResultTooLarge, UsageError
from ipgraph.sparql.pool import QueryPool

BACKTRACKING = (
    'ASK { FILTER(REGEX("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "(a+)+$")) }'
)
"""A catastrophic-backtracking REGEX: rdflib's evaluation sits in C (``re``) for minutes."""

DOUBLING = (
    'SELECT (STRLEN(?a31) AS ?n) WHERE { BIND("ab" AS ?a0) '
    + " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(31))
    + " }"
)
"""A sub-kilobyte query whose last string is 4 GiB long."""

SMALL = "SELECT ?a ?label WHERE { ?a a ipg:Agency ; rdfs:label ?label } ORDER BY ?a ?label"


# -- units of work (module level: they are pickled by reference) ------------------------------


def select(graph: Any, text: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in graph.query(text)]


def ask(graph: Any, text: str) -> bool:
    return bool(graph.query(text).askAnswer)


def crash(data: Any) -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def sleep(data: Any, seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def fail(data: Any) -> None:
    raise QuerySyntaxError("expected a triple", 2, 7)


def ox_select(store: Any, text: str, prefixes: dict[str, str]) -> list[tuple[str | None, ...]]:
    rows = store.query(text, prefixes=prefixes, use_default_graph_as_union=True)
    return [tuple(None if t is None else t.value for t in row) for row in rows]


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kg() -> ipgraph.KnowledgeGraph:
    return ipgraph.load()


@pytest.fixture(scope="module")
def pool(kg: ipgraph.KnowledgeGraph) -> Iterator[QueryPool[Any]]:
    graph = kg.graph
    with QueryPool(lambda: graph, workers=2, memory_mb=512) as pool:
        pool.run(ask, "ASK {}", timeout=30)  # warm
        yield pool


# -- tests ------------------------------------------------------------------------------------


def test_same_rows_as_in_process(kg: ipgraph.KnowledgeGraph, pool: QueryPool[Any]) -> None:
    expected = [tuple(row) for row in kg.graph.query(SMALL)]
    assert expected
    assert pool.run(select, SMALL, timeout=30) == expected


def test_errors_keep_their_class_and_attributes(pool: QueryPool[Any]) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        pool.run(fail, timeout=10)
    assert (caught.value.line, caught.value.column) == (2, 7)
    assert str(caught.value) == "SPARQL syntax error at line 2, column 7: expected a triple"


def test_a_closure_is_refused_with_a_usage_error(pool: QueryPool[Any]) -> None:
    with pytest.raises(UsageError, match="module-level function"):
        pool.run(lambda data: 1, timeout=10)
    assert pool.run(sleep, 0, timeout=10) == 0


@pytest.mark.parametrize("timeout", [float("nan"), float("inf"), -1.0, 0.0])
def test_bad_time_limits_are_refused(pool: QueryPool[Any], timeout: float) -> None:
    with pytest.raises(UsageError):
        pool.run(sleep, 0, timeout=timeout)


def test_backtracking_regex_takes_long_without_the_pool(kg: ipgraph.KnowledgeGraph) -> None:
    """The premise of the next test: in a process of its own, the REGEX outlives 3 s."""
    code = f"import rdflib; rdflib.Graph().query({BACKTRACKING!r}).askAnswer"
    process = subprocess.Popen([sys.executable, "-c", code])
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            process.wait(timeout=3)
    finally:
        process.kill()
        process.wait()


def test_backtracking_regex_is_stopped_at_the_limit(pool: QueryPool[Any]) -> None:
    limit = 1.0
    with pytest.raises(QueryTimeout, match="longer than 1 s"):  # at the limit, not when the
        returns_within(2 * limit + 1, pool.run, ask, BACKTRACKING, timeout=limit)  # regex ends
    # the other worker was warm: no minutes-long wait
    assert returns_within(3.0, pool.run, ask, "ASK { ?s ?p ?o }", timeout=10) is True


def test_string_doubling_ends_with_a_memory_error(pool: QueryPool[Any]) -> None:
    with pytest.raises(ResultTooLarge, match="more than 512 MB"):
        pool.run(select, DOUBLING, timeout=60)
    assert pool.run(ask, "ASK { ?s ?p ?o }", timeout=30) is True


def test_a_lower_memory_cap_per_call(pool: QueryPool[Any]) -> None:
    with pytest.raises(ResultTooLarge):
        pool.run(select, DOUBLING, timeout=60, memory_mb=64)


def test_a_crash_fails_that_call_only(pool: QueryPool[Any]) -> None:
    before = set(pool.pids())
    with pytest.raises(QueryError, match="SIGSEGV"):
        pool.run(crash, timeout=10)
    assert pool.run(ask, "ASK { ?s ?p ?o }", timeout=30) is True
    deadline = time.monotonic() + 10
    while len(pool.pids()) < pool.size and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(pool.pids()) == pool.size
    assert set(pool.pids()) != before


def test_quick_queries_answer_while_a_worker_is_busy(pool: QueryPool[Any]) -> None:
    results: list[Any] = []
    errors: list[BaseException] = []

    def one() -> None:
        try:
            results.append(pool.run(ask, "ASK { ?s a ipg:Agency }", timeout=20))
        except BaseException as exc:
            errors.append(exc)

    slow = threading.Thread(target=lambda: pool.run(sleep, 3, timeout=20))
    slow.start()
    time.sleep(0.2)
    threads = [threading.Thread(target=one) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    slow.join(timeout=30)
    assert errors == []
    assert results == [True] * 20


def test_waiting_for_a_worker_counts_against_the_limit(kg: ipgraph.KnowledgeGraph) -> None:
    with QueryPool(lambda: None, workers=1) as pool:
        pool.run(sleep, 0, timeout=30)
        busy = threading.Thread(target=lambda: pool.run(sleep, 2, timeout=10))
        busy.start()
        time.sleep(0.2)
        with pytest.raises(QueryTimeout, match="became free"):  # waiting counts against it
            returns_within(3.0, pool.run, sleep, 0, timeout=0.5)
        busy.join()


def test_restart_forks_workers_that_see_new_data() -> None:
    from rdflib import Graph, Literal, URIRef

    graph = Graph()
    with QueryPool(lambda: graph, workers=2) as pool:
        assert pool.run(ask, "ASK { ?s ?p ?o }", timeout=30) is False
        graph.add((URIRef("urn:s"), URIRef("urn:p"), Literal(1)))
        assert pool.run(ask, "ASK { ?s ?p ?o }", timeout=30) is False  # forked before
        pool.restart()
        assert pool.generation == 1
        assert pool.run(ask, "ASK { ?s ?p ?o }", timeout=30) is True


def test_close_leaves_no_worker_processes() -> None:
    pool = QueryPool(lambda: None, workers=2)
    pool.run(sleep, 0, timeout=30)
    deadline = time.monotonic() + 10
    while len(pool.pids()) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    pids = pool.pids()
    pool.close()
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists()
    with pytest.raises(QueryError, match="closed"):
        pool.run(sleep, 0, timeout=1)


def test_oxigraph_workers_open_the_store_read_only(tmp_path: Path) -> None:
    import pyoxigraph

    from ipgraph.store.oxigraph import OxigraphStore

    kg = ipgraph.load(store=f"oxigraph:{tmp_path / 'kgdb'}")
    store = kg.store
    assert isinstance(store, OxigraphStore)
    prefixes = store.prefixes()
    expected = ox_select(store.ox_store, SMALL, prefixes)
    assert expected
    # The parent holds the read-write handle (RocksDB's lock); workers open the current data
    # directory read-only, which the lock allows.
    opener = functools.partial(pyoxigraph.Store.read_only, str(store.data_dir))
    with QueryPool(opener, workers=2) as pool:
        assert pool.run(ox_select, SMALL, prefixes, timeout=30) == expected


CLI_LIKE = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, "tests")  # where pytest finds the test modules' helpers (bounded)
    from ipgraph.sparql.pool import QueryPool
    import tests.test_sparql_pool as t

    def main():
        with QueryPool(lambda: None, workers=2) as pool:
            pool.run(t.sleep, 0, timeout=30)
            print(" ".join(map(str, pool.pids())), flush=True)
            pool.run(t.sleep, 60, timeout=120)

    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
    """
)


def test_ctrl_c_exits_promptly_and_leaves_no_workers() -> None:
    root = Path(__file__).resolve().parent.parent
    process = subprocess.Popen(
        [sys.executable, "-c", CLI_LIKE],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        pids = [int(p) for p in line.split()]
        assert len(pids) >= 1
        time.sleep(0.3)  # the long call is running in a worker
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=5.0)  # at once, not when the query would end
        assert code == 130
        assert "Traceback" not in (process.stderr.read() if process.stderr else "")
        time.sleep(0.2)
        for pid in pids:
            status = Path(f"/proc/{pid}/status")
            assert not status.exists() or "zombie" in status.read_text()
    finally:
        process.kill()
        process.wait()
