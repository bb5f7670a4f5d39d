"""Hostile queries through ``ipgraph query`` as a whole process, on both embedded backends:
each is stopped or refused with one line and its exit code, never a traceback or a crash.

Bounded: every process has a hard timeout, and the limits given are a few seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

BACKTRACKING = 'ASK { FILTER(REGEX("' + "a" * 48 + '!", "(a+)+$")) }'
DOUBLING = (
    'SELECT (STRLEN(?a31) AS ?n) WHERE { BIND("ab" AS ?a0) '
    + " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(31))
    + " }"
)
NESTED = "SELECT * WHERE " + "{" * 3_000 + "}" * 3_000
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
"""10^13 rows to count: minutes of evaluation in C on Oxigraph (whose regular expressions do
not backtrack), in Python on rdflib."""


def slow_query(store: str | None) -> str:
    """A query that runs far past a few seconds on the given backend."""
    return BACKTRACKING if store is None else ENDLESS


def ipgraph(
    *args: str, store: str | None = None, wait: float = 60
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "ipgraph.cli", *args]
    if store is not None:
        command += ["--store", store]
    return subprocess.run(command, capture_output=True, text=True, timeout=wait, check=False)


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str | None:
    if request.param == "memory":
        return None
    spec = f"oxigraph:{tmp_path_factory.mktemp('hostile') / 'kgdb'}"
    loaded = ipgraph("query", "ASK { ?s ?p ?o }", store=spec)
    assert loaded.returncode == 0, loaded.stderr
    return spec


def one_line_error(result: subprocess.CompletedProcess[str], code: int, words: str) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("ipgraph: error:")]
    assert len(lines) == 1 and words in lines[0], result.stderr


def test_a_slow_query_is_stopped_at_the_time_limit(store: str | None) -> None:
    result = ipgraph("query", slow_query(store), "--timeout", "2", store=store)
    one_line_error(result, 1, "ran longer than 2 s")


def test_string_doubling_is_stopped_at_the_memory_cap(store: str | None) -> None:
    result = ipgraph("query", DOUBLING, "--memory-mb", "256", "--timeout", "30", store=store)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "MB" in result.stderr or "ran longer" in result.stderr


def test_deep_nesting_is_refused_before_parsing(store: str | None) -> None:
    result = ipgraph("query", NESTED, store=store)
    one_line_error(result, 2, "brackets deep")


def test_a_cartesian_product_meets_the_default_limit_or_the_memory_cap() -> None:
    result = ipgraph("query", CARTESIAN, "--timeout", "3", "--memory-mb", "256")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["nan", "inf", "0", "-1", "soon"])
def test_bad_time_limits_are_usage_errors(value: str) -> None:
    result = ipgraph("query", "ASK {}", "--timeout", value)
    assert result.returncode == 2
    assert "time limit" in result.stderr and "Traceback" not in result.stderr


def test_ctrl_c_stops_a_running_query_at_once(store: str | None, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "ipgraph.cli", "query", slow_query(store), "--timeout", "60"]
    if store is not None:
        command += ["--store", store]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(8)  # loaded, and the query running in its worker
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "interrupted" in stderr
    children = subprocess.run(
        ["pgrep", "-P", str(process.pid)], capture_output=True, text=True, check=False
    )
    assert not children.stdout.strip()  # no worker left behind
    assert os.path.exists(sys.executable)
