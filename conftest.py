"""Settings for every test and doctest of the session (``tests/`` and ``src/ipgraph``)."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

_CACHE_DIR = "IPGRAPH_CACHE_DIR"
_KEY = pytest.StashKey[tuple[str | None, str]]()  # the value before the session, the folder


def pytest_configure(config: pytest.Config) -> None:
    """Point ipgraph's per-user cache at a folder of this session's own, removed at the end:
    tests (and the commands they start, which inherit the environment) never write to the
    real ``~/.cache``."""
    folder = tempfile.mkdtemp(prefix="ipgraph-test-cache-")
    config.stash[_KEY] = (os.environ.get(_CACHE_DIR), folder)
    os.environ[_CACHE_DIR] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    saved = config.stash.get(_KEY, None)
    if saved is None:
        return
    previous, folder = saved
    if previous is None:
        os.environ.pop(_CACHE_DIR, None)
    else:
        os.environ[_CACHE_DIR] = previous
    shutil.rmtree(folder, ignore_errors=True)
