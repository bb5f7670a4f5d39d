"""Shared fixtures: the bundled graph, loaded once per test session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import ipgraph
from ipgraph.cli import cli


@pytest.fixture(scope="session")
def kg() -> ipgraph.KnowledgeGraph:
    """The bundled graph. Do not add data to it: use `fresh_kg` for that."""
    return ipgraph.load()


@pytest.fixture
def fresh_kg() -> ipgraph.KnowledgeGraph:
    """A bundled graph of this test's own, free to change."""
    return ipgraph.load()


@pytest.fixture
def run() -> Callable[..., Result]:
    """Run the ``ipgraph`` command in-process: ``run("find", "MOE")``."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a text file into the test's temporary directory: ``write("x.ttl", text)``."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write
