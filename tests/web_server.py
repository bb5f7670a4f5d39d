"""Running ``ipgraph`` endpoints for the socket tests, on free loopback ports: `running`
(uvicorn in a thread, with the limits ``ipgraph serve`` sets), `serve_process` (``ipgraph
serve`` itself in a subprocess) and the `server` fixture (``pytest_plugins = ["web_server"]``)
that the tests of the served endpoint share."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from ipgraph.web.app import listen
from ipgraph.web.transport import server_config

AGENCIES = (
    "SELECT DISTINCT ?agency WHERE { ?agency a/rdfs:subClassOf* ipg:Agency } ORDER BY ?agency"
)
"""A query every served test can check against ``kg.query``."""

MAX_REQUEST_BYTES = 20_000
"""The request size limit of the `server` fixture."""


@contextmanager
def running(app: Any, **limits: Any) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 (a free port) until the block ends; yields the base URL
    (``http://127.0.0.1:PORT``). ``limits`` go to `server_config`."""
    sock = listen("127.0.0.1", 0)
    port = sock.getsockname()[1]
    server = uvicorn.Server(server_config(app, log_level="warning", **limits))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


@dataclass
class Server:
    """``ipgraph serve`` running in its own process."""

    url: str  # http://127.0.0.1:PORT/
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def sparql(self) -> str:
        return self.url + "sparql"


@contextmanager
def serve_process(folder: Path, *options: str) -> Iterator[Server]:
    """``ipgraph serve --port 0 OPTIONS`` (a free loopback port) in its own process, run from
    ``folder``; stopped when the block ends."""
    log = folder / "server.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "ipgraph.cli", "serve", "--port", "0", *options],
            cwd=folder,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        url = _wait_for_url(log, process)
        assert url.startswith("http://127.0.0.1:")
        yield Server(url, process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:  # pragma: no cover - only if shutdown hangs
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``ipgraph serve --port 0`` in its own process, with a 5 s query time limit and a
    `MAX_REQUEST_BYTES` request limit: one per test module, stopped at its end."""
    with serve_process(
        tmp_path_factory.mktemp("serve"),
        "--timeout",
        "5",
        "--max-request-bytes",
        str(MAX_REQUEST_BYTES),
    ) as served:
        yield served


def _wait_for_url(log: Path, process: subprocess.Popen[bytes], limit: float = 60) -> str:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace")
        match = re.search(r"serving \d+ triples at (http://\S+/) ", text)
        if match:
            url = match.group(1)
            with httpx.Client(trust_env=False) as client:  # ready once it answers
                for _ in range(100):
                    try:
                        if client.get(url + "health").status_code == 200:
                            return url
                    except httpx.TransportError:
                        time.sleep(0.1)
        if process.poll() is not None:
            raise AssertionError(f"ipgraph serve exited early:\n{text}")
        time.sleep(0.1)
    raise AssertionError(f"ipgraph serve did not start:\n{log.read_text(errors='replace')}")
