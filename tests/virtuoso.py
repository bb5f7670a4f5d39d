"""A real Virtuoso (Debian's ``virtuoso-opensource``) as a pytest fixture, for remote-store tests.

`virtuoso` starts ``virtuoso-t`` once per session with a configuration of its own in a temporary
directory (its own database files, SQL and HTTP ports on free loopback ports, ``DirsAllowed`` for
the bulk loader), bulk-loads the bundled graph (``ontology/ontology.ttl`` and
``ontology/sources/*.ttl``, each into ``https://w3id.org/ipgraph/graph/{stem}``) and a 20k-triple
synthetic graph (into ``graph/synth``) with ``isql`` (``ld_add`` + ``rdf_loader_run()`` +
``checkpoint``), and stops the server at the end of the session.

Use it from a test module with ``from virtuoso import virtuoso, virtuoso_url``. Without Virtuoso
installed the fixture skips, except when ``CI`` or ``IPGRAPH_REQUIRE_VIRTUOSO`` is set: then it
fails, since ``make pytest`` installs it first (``make virtuoso``) and sets the latter.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ipgraph import data, synth
from ipgraph.loader import graph_name

VIRTUOSO = "virtuoso-t"
ISQL_NAMES = ("isql-vt", "isql")
START_TIMEOUT = 180.0
SYNTH_TRIPLES = 20_000
SYNTH_GRAPH = "https://w3id.org/ipgraph/graph/synth"
REQUIRE_ENV = "IPGRAPH_REQUIRE_VIRTUOSO"
"""Set (as ``make pytest`` does, having installed it) to fail rather than skip without it."""

_INI = """\
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {db}/virtuoso-temp.db
TransactionFile    = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
DirsAllowed        = ., {dirs}
NumberOfBuffers    = {buffers}
MaxDirtyBuffers    = {dirty}
CheckpointInterval = 0
CaseMode           = 2

[HTTPServer]
ServerPort         = 127.0.0.1:{http_port}
ServerRoot         = {root}/vsp
ServerThreads      = 10
MaxClientConnections = 10
Charset            = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows   = 1000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 400
"""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class VirtuosoServer:
    """A running ``virtuoso-t`` of our own: its endpoint and an ``isql`` to administer it."""

    root: Path
    sql_port: int
    http_port: int
    process: subprocess.Popen[bytes]
    isql_path: str

    @property
    def url(self) -> str:
        """The SPARQL endpoint, ``http://127.0.0.1:PORT/sparql``."""
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @classmethod
    def start(cls, root: Path, memory_mb: int = 512) -> VirtuosoServer:
        """Write a configuration into ``root``, start the server and wait until it answers.

        Args:
            root: an empty directory for the database, the log and the files to load.
            memory_mb: page buffers (8 KiB each); Virtuoso's guide: ~2/3 of free memory.
        """
        isql = next((found for n in ISQL_NAMES if (found := shutil.which(n))), None)
        if shutil.which(VIRTUOSO) is None or isql is None:
            raise FileNotFoundError("virtuoso-t / isql-vt not found")
        (root / "db").mkdir(parents=True, exist_ok=True)
        (root / "load").mkdir(exist_ok=True)
        (root / "vsp").mkdir(exist_ok=True)
        buffers = memory_mb * 1024 // 8
        dirs = ", ".join(str(p) for p in (root / "load", data.vocabulary_file().parent))
        sql_port, http_port = free_port(), free_port()
        ini = root / "virtuoso.ini"
        ini.write_text(
            _INI.format(
                db=root / "db",
                root=root,
                sql_port=sql_port,
                http_port=http_port,
                dirs=dirs,
                buffers=buffers,
                dirty=buffers * 3 // 4,
            )
        )
        log = (root / "stdout.log").open("wb")
        process = subprocess.Popen(
            [VIRTUOSO, "+foreground", "+configfile", str(ini)],
            cwd=root,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        server = cls(root, sql_port, http_port, process, isql)
        server.wait_ready()
        return server

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        """Wait until the SPARQL endpoint answers ``ASK {}``."""
        deadline = time.monotonic() + timeout
        query = urllib.parse.urlencode({"query": "ASK {}"})
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited ({self.process.returncode}): {self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}?{query}", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"virtuoso-t did not answer within {timeout:.0f} s: {self.log()}")

    def log(self, lines: int = 15) -> str:
        """The end of the server's log, for error messages."""
        text = ""
        for name in ("stdout.log", "db/virtuoso.log"):
            path = self.root / name
            if path.exists():
                text += path.read_text(errors="replace")
        return " | ".join(text.strip().splitlines()[-lines:])

    def isql(self, sql: str, timeout: float = 600.0) -> str:
        """Run SQL statements (``;``-separated) as ``dba`` and return isql's output.

        Raises:
            RuntimeError: isql reports an error.
        """
        done = subprocess.run(
            [self.isql_path, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={sql}"],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        output = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in output:
            raise RuntimeError(f"isql failed: {output.strip()[-800:]}")
        return output

    def bulk_load(self, files: dict[Path, str]) -> None:
        """Bulk-load files, each into its named graph, then checkpoint.

        Files must sit in a directory of ``DirsAllowed`` (``root/load`` or the bundled
        ``ontology/`` directories).

        Raises:
            RuntimeError: the loader reports an error for a file.
        """
        adds = "".join(f"ld_add('{path}', '{graph}');" for path, graph in files.items())
        self.isql(f"{adds} rdf_loader_run(); checkpoint;")
        errors = self.isql(
            "SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;"
        )
        if "0 Rows." not in errors:
            raise RuntimeError(f"bulk load failed: {errors.strip()[-800:]}")

    def enable_text_index(self) -> None:
        """Index every literal for ``bif:contains`` (Virtuoso indexes none out of the box)."""
        self.isql(
            "DB.DBA.RDF_OBJ_FT_RULE_ADD(null, null, 'ipgraph'); "
            "DB.DBA.VT_INC_INDEX_DB_DBA_RDF_OBJ();"
        )

    def stop(self) -> None:
        """Shut the server down cleanly (``shutdown`` over SQL), killing it if that fails."""
        if self.process.poll() is None:
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                self.isql("shutdown;", timeout=60)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def bundled_graphs() -> dict[Path, str]:
    """The bundled files and the named graph each loads into (as ``ipgraph.load`` names them)."""
    return {Path(p).resolve(): str(graph_name(Path(p))) for p in data.bundled_files()}


def _unavailable(reason: str) -> None:
    message = f"{reason}: install Debian's virtuoso-opensource (`make virtuoso`)"
    if os.environ.get("CI") or os.environ.get(REQUIRE_ENV):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def virtuoso() -> Iterator[VirtuosoServer]:
    """A Virtuoso holding the bundled graph and a 20k-triple synthetic graph."""
    if shutil.which(VIRTUOSO) is None:
        _unavailable(f"{VIRTUOSO} is not installed")
    root = Path(tempfile.mkdtemp(prefix="ipgraph-virtuoso-"))
    try:
        server = VirtuosoServer.start(root)
    except (OSError, RuntimeError) as exc:
        shutil.rmtree(root, ignore_errors=True)
        pytest.fail(f"cannot start Virtuoso: {exc}", pytrace=False)
    try:
        synthetic = root / "load" / "synth.nt"
        synth.write(synthetic, SYNTH_TRIPLES, seed=1)
        server.bulk_load({**bundled_graphs(), synthetic: SYNTH_GRAPH})
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def virtuoso_url(virtuoso: VirtuosoServer) -> str:
    """The SPARQL endpoint of the `virtuoso` fixture."""
    return virtuoso.url
