"""Shared fixtures: the bundled graph, loaded once per test session."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner, Result

import ipgraph
from ipgraph.cli import cli

if TYPE_CHECKING:
    from playwright.sync_api import Browser

    from ipgraph.extract import Draft

# Fixture modules that test modules also import names from (``pytest_plugins``): their asserts
# are rewritten only if pytest knows them before the first import.
pytest.register_assert_rewrite("web_server", "virtuoso")


@pytest.fixture(scope="session")
def kg() -> ipgraph.KnowledgeGraph:
    """The bundled graph. Do not add data to it: use `fresh_kg` for that."""
    return ipgraph.load()


@pytest.fixture
def fresh_kg() -> ipgraph.KnowledgeGraph:
    """A bundled graph of this test's own, free to change."""
    return ipgraph.load()


@pytest.fixture(scope="session")
def oxigraph_kg(tmp_path_factory: pytest.TempPathFactory) -> ipgraph.KnowledgeGraph:
    """The bundled graph in an embedded Oxigraph store. Do not add data to it."""
    return ipgraph.load(store=f"oxigraph:{tmp_path_factory.mktemp('kgdb') / 'store'}")


@pytest.fixture(params=["memory", "oxigraph"])
def any_kg(request: pytest.FixtureRequest, kg: ipgraph.KnowledgeGraph) -> ipgraph.KnowledgeGraph:
    """The bundled graph on the memory backend, then on embedded Oxigraph."""
    if request.param == "memory":
        return kg
    return request.getfixturevalue("oxigraph_kg")  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def en_draft() -> Draft:
    """The draft extracted from the English test report (``tests/data/extract/en_report.md``)."""
    from extract_support import EN_TEXT, bundled_names
    from ipgraph.extract import extract

    return extract(EN_TEXT, bundled_names(), source="en_report.md")


@pytest.fixture(scope="module")
def zh_draft() -> Draft:
    """The draft extracted from the Chinese test report (``tests/data/extract/zh_report.md``)."""
    from extract_support import ZH_TEXT, bundled_names
    from ipgraph.extract import extract

    return extract(ZH_TEXT, bundled_names(), source="zh_report.md")


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


CHROMIUM = "/usr/bin/chromium"
# Headless Debian Chromium as root, with no background traffic on this closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright (``make test`` installs it; never a download).

    Module-scoped: Playwright's sync API keeps an event loop running while it is open, which
    would break ``asyncio.run`` in later tests.
    """
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
