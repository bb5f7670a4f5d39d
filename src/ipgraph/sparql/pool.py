"""A warm pool of worker processes that run queries where they can be stopped.

A thread cannot stop code running in C (a regular expression in ``re``, Oxigraph's evaluator),
nor survive it crashing, nor bound its memory. A process can be killed. `QueryPool` keeps
``workers`` processes ready, each holding the data, and runs one unit of work at a time in each:

- **time**: every call has a wall-clock limit (time spent waiting for a free worker counts).
  When it expires the worker is killed (SIGKILL), a fresh one is started in the background,
  and the caller gets `QueryTimeout` at once;
- **memory**: each worker measures its address space once its data is open and caps itself
  (``RLIMIT_AS``) at that size plus ``memory_mb``; a query that needs more ends with
  `ResultTooLarge` ("needed more than N MB") and the worker is replaced;
- **crashes**: a worker that dies (SIGSEGV in a parser, an abort) fails that call only, with
  `QueryError`; the pool replaces it and the parent never notices otherwise;
- **Ctrl-C**: workers ignore SIGINT; a `KeyboardInterrupt` in the waiting caller kills its
  worker and propagates at once;
- **clean exit**: `close` (or the context manager, or ``atexit``) kills and reaps every worker;
  workers die with their parent (``PR_SET_PDEATHSIG``) and when their pipe closes.

The pool knows nothing about stores or SPARQL: ``open_data`` is a plain callable run once in
each worker (after the fork) whose value goes to every unit of work: a module-level function
with picklable arguments, whose return value comes back pickled. Workers are forked, so data
loaded before the pool started is shared copy-on-write (``open_data`` may be a closure); a
persistent store is opened by each worker itself (``pyoxigraph.Store.read_only(path)``).
When the data changes, `restart` starts fresh workers; running calls finish on the old data.

>>> import operator
>>> with QueryPool(lambda: {"answer": 42}, workers=1) as pool:
...     pool.run(operator.getitem, "answer", timeout=10)
42
"""

from __future__ import annotations

import atexit
import contextlib
import faulthandler
import gc
import multiprocessing
import os
import pickle
import queue
import resource
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

from ipgraph.errors import (
    IpgraphError,
    QueryCrashed,
    QueryError,
    QueryTimeout,
    ResultTooLarge,
    UsageError,
)

__all__ = ["DEFAULT_MEMORY_MB", "QueryPool", "default_workers"]

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_MEMORY_MB = 1024
"""Memory a worker may allocate for one query, above what it holds once its data is open."""

START_TIMEOUT = 60.0
"""Seconds a new worker may take to open its data before the pool gives up on it."""

_KILLED_BY: dict[int, str] = {
    int(signal.SIGSEGV): "SIGSEGV",
    int(signal.SIGBUS): "SIGBUS",
    int(signal.SIGABRT): "SIGABRT",
    int(signal.SIGILL): "SIGILL",
    int(signal.SIGFPE): "SIGFPE",
    int(signal.SIGKILL): "SIGKILL",
}


def default_workers() -> int:
    """The default pool size: the number of CPUs this process may use, at least 2.

    >>> default_workers() >= 2
    True
    """
    affinity = getattr(os, "sched_getaffinity", None)  # Linux; elsewhere the CPU count
    return max(2, len(affinity(0)) if affinity is not None else os.cpu_count() or 1)


# -- the parent's view of a worker -----------------------------------------------------------


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection
    generation: int
    ready: bool = False
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def pid(self) -> int | None:
        return self.process.pid


class QueryPool(Generic[T]):
    """Worker processes that evaluate work on the same data as the parent, with hard limits.

    Thread-safe: any number of threads may call `run` at once; each call has a worker to itself
    (calls beyond ``workers`` wait, and the wait counts against their time limit).

    Args:
        open_data: called once in each new worker; its value is the first argument of every
            unit of work run there. Runs after the fork, so it may be a closure over data the
            parent holds (shared copy-on-write) or open a store by path.
        workers: number of worker processes (default: `default_workers`).
        memory_mb: MB a worker may allocate above its size once ``open_data`` returned (None:
            no cap). Linux only; elsewhere no cap is set.
        start_method: ``fork`` (default; required for closures and for sharing in-memory data)
            or ``forkserver`` / ``spawn`` (then ``open_data`` must be picklable).

    Attributes:
        generation: how many times `restart` was called.

    >>> with QueryPool(lambda: 2, workers=1, memory_mb=256) as pool:
    ...     pool.run(pow, 10, timeout=10)
    1024
    """

    def __init__(
        self,
        open_data: Callable[[], T],
        *,
        workers: int | None = None,
        memory_mb: int | None = DEFAULT_MEMORY_MB,
        start_method: str = "fork",
    ) -> None:
        size = default_workers() if workers is None else workers
        if size < 1:
            raise UsageError(f"a query pool needs at least one worker, not {size}")
        if memory_mb is not None and memory_mb <= 0:
            raise UsageError(f"the memory cap must be a positive number of MB, not {memory_mb}")
        self.size = size
        self.memory_mb = memory_mb
        self.generation = 0
        self._open_data = open_data
        self._context: Any = multiprocessing.get_context(start_method)
        self._lock = threading.Lock()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._failure: BaseException | None = None
        self._closed = False
        self._commands: queue.SimpleQueue[tuple[str, Any] | None] = queue.SimpleQueue()
        # Every fork happens in this one long-lived thread: a worker's PR_SET_PDEATHSIG
        # follows the thread that forked it, and callers never wait for a fork.
        self._manager = threading.Thread(target=self._manage, name="ipgraph-pool", daemon=True)
        self._manager.start()
        for _ in range(size):
            self._commands.put(("start", 0))
        atexit.register(self.close)

    # -- public ------------------------------------------------------------------------------

    def run(
        self, work: Callable[..., R], *args: Any, timeout: float, memory_mb: int | None = None
    ) -> R:
        """Run ``work(data, *args)`` in a worker and return its result.

        Args:
            work: a picklable callable (a module-level function); its first argument is the
                value of ``open_data`` in the worker.
            *args: picklable arguments.
            timeout: seconds for the whole call, waiting for a free worker included.
            memory_mb: a lower memory cap for this call (MB above the worker's baseline);
                None: the pool's.

        Returns:
            What ``work`` returned (unpickled).

        Raises:
            QueryTimeout: the time limit expired (the worker was killed and is replaced).
            ResultTooLarge: the work needed more memory than the cap.
            QueryError: the worker crashed (e.g. SIGSEGV), or the pool is closed.
            KeyboardInterrupt: Ctrl-C while waiting (the worker was killed).
            Exception: whatever ``work`` raised, as it raised it (ipgraph errors keep their
                class and attributes).

        >>> with QueryPool(lambda: None, workers=1) as pool:
        ...     pool.run(_sleep, 5, timeout=0.2)
        Traceback (most recent call last):
        ...
        ipgraph.errors.QueryTimeout: the query ran longer than 0.2 s and was stopped; ...
        """
        from ipgraph.sparql.limits import check_timeout

        limit = check_timeout(timeout)
        assert limit is not None
        deadline = time.monotonic() + limit
        worker = self._take(deadline, limit)
        if not worker.ready:
            try:
                self._await_ready(worker, deadline, limit)
            except QueryTimeout:  # still opening its data: keep it warming for the next call
                self._give_back(worker)
                raise
            except BaseException:
                self._discard(worker)
                raise
        try:
            cap = None if memory_mb is None else memory_mb * 2**20
            try:
                message = pickle.dumps((work, args, cap), pickle.HIGHEST_PROTOCOL)
            except Exception as exc:
                self._give_back(worker)
                raise UsageError(
                    f"cannot send {work!r} to a worker process ({exc}); pass a module-level "
                    "function and picklable arguments"
                ) from None
            try:
                worker.conn.send_bytes(message)
            except (BrokenPipeError, ConnectionError, EOFError):
                raise self._death(worker, "before the query reached it") from None
            reply = self._receive(worker, deadline, limit)
        except UsageError:
            raise
        except BaseException:
            self._discard(worker)
            raise
        status, payload, retire = reply
        if retire:
            self._discard(worker)
        else:
            self._give_back(worker)
        if status == "ok":
            return payload  # type: ignore[no-any-return]
        if status == "memory":
            raise self._memory_error()
        raise _unpack_error(payload)

    def restart(self) -> None:
        """Replace every worker with a fresh one (call it after the data changed).

        Idle workers are stopped at once; a worker running a call finishes it (on the old
        data) and is then stopped. New calls go to workers forked from the parent as it is now.
        """
        with self._lock:
            if self._closed:
                return
            self.generation += 1
            self._failure = None
            generation = self.generation
        self._drain_stale()
        for _ in range(self.size):
            self._commands.put(("start", generation))

    def close(self) -> None:
        """Stop every worker and the pool's thread; further calls raise `QueryError`.

        Safe to call twice; called at interpreter exit.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
        self._commands.put(None)
        for worker in workers:
            _kill(worker)
        for worker in workers:
            _reap(worker)
        if self._manager is not threading.current_thread():
            self._manager.join(timeout=5)
        with contextlib.suppress(Exception):
            atexit.unregister(self.close)

    def __enter__(self) -> QueryPool[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else f"{self.size} workers"
        return f"<QueryPool {state}, generation {self.generation}>"

    def pids(self) -> list[int]:
        """The process ids of the live workers (for tests and monitoring)."""
        with self._lock:
            return sorted(w.pid for w in self._workers if w.pid is not None)

    # -- taking and giving back workers ------------------------------------------------------

    def _take(self, deadline: float, limit: float) -> _Worker:
        while True:
            with self._lock:
                if self._closed:
                    raise QueryError("the query pool is closed")
                if self._failure is not None:
                    raise self._failure
            remaining = deadline - time.monotonic()
            try:
                worker = self._idle.get(timeout=max(0.0, min(remaining, 0.5)))
            except queue.Empty:
                if time.monotonic() >= deadline:
                    raise QueryTimeout(
                        f"no query worker became free within {limit:g} s (all "
                        f"{self.size} busy); try again later or raise the time limit"
                    ) from None
                continue
            if worker.generation != self.generation or not worker.process.is_alive():
                self._discard(worker, replace=worker.generation == self.generation)
                continue
            return worker

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            keep = not self._closed and worker.generation == self.generation
        if keep:
            self._idle.put(worker)
        else:
            self._discard(worker, replace=False)

    def _discard(self, worker: _Worker, replace: bool = True) -> None:
        """Kill a worker now; reap it and start its replacement in the background."""
        _kill(worker)
        with self._lock:
            self._workers.discard(worker)
            replace = replace and not self._closed and worker.generation == self.generation
            generation = self.generation
        self._commands.put(("reap", worker))
        if replace:
            self._commands.put(("start", generation))

    def _drain_stale(self) -> None:
        kept = []
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            if worker.generation == self.generation:
                kept.append(worker)
            else:
                self._discard(worker, replace=False)
        for worker in kept:
            self._idle.put(worker)

    # -- talking to a worker -----------------------------------------------------------------

    def _await_ready(self, worker: _Worker, deadline: float, limit: float) -> None:
        start_deadline = max(deadline, time.monotonic() + START_TIMEOUT)
        status, payload, _ = self._receive(worker, min(deadline, start_deadline), limit)
        if status == "ready":
            worker.ready = True
            worker.info = payload
            return
        error = _unpack_error(payload)
        with self._lock:
            if worker.generation == self.generation:
                self._failure = error
        raise error

    def _receive(self, worker: _Worker, deadline: float, limit: float) -> tuple[str, Any, bool]:
        sentinel = worker.process.sentinel
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise QueryTimeout(
                    f"the query ran longer than {limit:g} s and was stopped; narrow it "
                    "(more specific patterns, LIMIT) or raise the time limit"
                )
            ready = wait([worker.conn, sentinel], timeout=remaining)
            if worker.conn in ready:
                try:
                    reply: tuple[str, Any, bool] = worker.conn.recv()
                except (EOFError, ConnectionError, OSError):
                    raise self._death(worker, "while answering") from None
                return reply
            if sentinel in ready:
                raise self._death(worker, "while running the query")

    def _death(self, worker: _Worker, when: str) -> QueryCrashed | ResultTooLarge:
        """The error for a worker that died (its process is reaped here)."""
        worker.process.join(timeout=1)
        code = worker.process.exitcode
        cause = f"exit code {code}"
        if code is not None and code < 0:
            cause = _KILLED_BY.get(-code, f"signal {-code}")
        if code == -signal.SIGABRT and self.memory_mb is not None:
            return self._memory_error(f" (it aborted, {cause}, most likely out of memory)")
        if code == -signal.SIGKILL:
            return QueryCrashed(
                f"the query's worker process was killed {when} (SIGKILL: out of memory, or "
                "stopped by the system); the pool replaced it"
            )
        return QueryCrashed(
            f"the query crashed its worker process {when} ({cause}); the pool replaced it "
            "and other queries are unaffected; simplify the query"
        )

    def _memory_error(self, detail: str = "") -> ResultTooLarge:
        return ResultTooLarge(
            f"the query needed more than {self.memory_mb} MB of memory and was stopped{detail}; "
            "narrow it (LIMIT, fewer joins, shorter strings)"
        )

    # -- the manager thread ------------------------------------------------------------------

    def _manage(self) -> None:
        while True:
            command = self._commands.get()
            if command is None:
                return
            action, value = command
            try:
                if action == "reap":
                    _reap(value)
                else:
                    self._start(value)
            except Exception as exc:  # pragma: no cover - fork failed (no memory, no pids)
                with self._lock:
                    self._failure = QueryError(f"cannot start a query worker: {exc}")

    def _start(self, generation: int) -> None:
        with self._lock:
            if self._closed or generation != self.generation:
                return
        parent_end, child_end = self._context.Pipe(duplex=True)
        headroom = None if self.memory_mb is None else self.memory_mb * 2**20
        process = self._context.Process(
            target=_worker_main,
            args=(child_end, self._open_data, headroom, os.getpid()),
            name=f"ipgraph-query-worker-{generation}",
            daemon=True,
        )
        with warnings.catch_warnings():  # Python 3.12+ warns about forking with threads
            warnings.simplefilter("ignore", DeprecationWarning)
            process.start()
        child_end.close()
        worker = _Worker(process, parent_end, generation)
        with self._lock:
            stale = self._closed or generation != self.generation
            if not stale:
                self._workers.add(worker)
        if stale:
            _kill(worker)
            _reap(worker)
            return
        self._idle.put(worker)


def _kill(worker: _Worker) -> None:
    with contextlib.suppress(Exception):
        worker.process.kill()


def _reap(worker: _Worker) -> None:
    with contextlib.suppress(Exception):
        worker.process.join(timeout=5)
        worker.conn.close()
        worker.process.close()


def _sleep(data: object, seconds: float) -> float:
    """A unit of work that sleeps (for examples and tests)."""
    time.sleep(seconds)
    return seconds


# -- errors across the process boundary ------------------------------------------------------


def _pack_error(exc: BaseException) -> tuple[str, Any]:
    """An exception as something that unpickles whatever its constructor's signature: ipgraph
    errors keep their class and attributes; others are re-created when they can be."""
    if isinstance(exc, IpgraphError):
        state = (type(exc), exc.args, dict(vars(exc)))
        with contextlib.suppress(Exception):
            pickle.loads(pickle.dumps(state))
            return "ipgraph", state
    with contextlib.suppress(Exception):
        data = pickle.dumps(exc)
        pickle.loads(data)
        return "pickled", data
    return "text", f"{type(exc).__name__}: {exc}"


def _unpack_error(packed: tuple[str, Any]) -> BaseException:
    kind, value = packed
    if kind == "ipgraph":
        cls, args, state = value
        error: BaseException = cls.__new__(cls)
        error.args = args
        error.__dict__.update(state)
        return error
    if kind == "pickled":
        return pickle.loads(value)  # type: ignore[no-any-return]
    return QueryError(f"the query failed in its worker process: {value}")


# -- the worker process ----------------------------------------------------------------------


def _address_space() -> int | None:
    """This process's virtual memory size in bytes (Linux), else None."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):  # pragma: no cover - not Linux
        return None


def _die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this process when the thread that forked it ends."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _set_cap(limit: int | None) -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = resource.RLIM_INFINITY if limit is None else limit
    if hard != resource.RLIM_INFINITY and (soft == resource.RLIM_INFINITY or soft > hard):
        soft = hard
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _worker_main(
    conn: Connection, open_data: Callable[[], Any], headroom: int | None, parent: int
) -> None:
    """A worker's life: open the data, cap memory, then run units of work until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    faulthandler.disable()  # a crash is reported once, by the parent, as QueryCrashed
    _die_with_parent(parent)
    gc.freeze()  # inherited objects: keep the collector from touching (copying) their pages
    try:
        data = open_data()
    except BaseException as exc:
        conn.send(("failed", _pack_error(exc), True))
        return
    gc.collect()
    baseline = _address_space()
    cap = None if headroom is None or baseline is None else baseline + headroom
    if cap is not None:
        _set_cap(cap)
    conn.send(("ready", {"pid": os.getpid(), "baseline": baseline, "cap": cap}, False))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        work, args, query_cap = message
        if cap is not None and baseline is not None:
            _set_cap(min(cap, baseline + query_cap) if query_cap else cap)
        status, payload = "ok", None
        try:
            payload = work(data, *args)
        except MemoryError:
            payload = None
            with contextlib.suppress(BaseException):
                conn.send(("memory", None, True))
            return  # a worker that ran out of memory is not reused
        except BaseException as exc:
            status, payload = "error", _pack_error(exc)
        retire = False
        if cap is not None and baseline is not None:  # grown by half its headroom: retire
            size = _address_space()
            retire = size is not None and size > baseline + (cap - baseline) // 2
        try:
            reply = pickle.dumps((status, payload, retire), pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            payload = None
            with contextlib.suppress(BaseException):
                conn.send(("memory", None, True))
            return
        except Exception as exc:
            unsent = QueryError(f"the result cannot be sent back ({type(exc).__name__}: {exc})")
            reply = pickle.dumps(("error", _pack_error(unsent), retire))
        payload = None
        try:
            conn.send_bytes(reply)
        except (OSError, MemoryError):
            return
        if retire:
            return
