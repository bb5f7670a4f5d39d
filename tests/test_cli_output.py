"""Output people can read: tables that fit the terminal, numbers with thousands separators,
labels beside IRIs in CSV/TSV, units that agree with their numbers."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

import ipgraph
from ipgraph.cli import cli
from ipgraph.cli.layout import display_width


def _run(*args: str, columns: int | None = None) -> str:
    env = {"COLUMNS": str(columns)} if columns else {}
    result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("args", [("find", "ministry"), ("query", "--name", "figures"), ("info",)])
def test_tables_fit_the_terminal(args: tuple[str, ...]) -> None:
    text = _run(*args, columns=80)
    assert max(display_width(line) for line in text.splitlines()) <= 80
    assert "…" in text  # cut, not wrapped


def test_piped_tables_keep_whole_values() -> None:
    title = "Organizations ranked by the documents they issued or published"
    assert title in _run("query", "--list")


def test_counts_have_thousands_separators_and_no_trailing_zero() -> None:
    first = _run("info").splitlines()[0]
    triples = len(ipgraph.load().graph)
    assert first.startswith(f"{triples:,} triples, ")
    figures = _run("query", "--name", "figures")
    assert "865,000" in figures and "865000.0" not in figures
    assert " 2021 " in figures  # a year keeps its four digits


def test_labels_beside_iris_in_csv() -> None:
    text = _run("query", "--name", "joint-documents", "--format", "csv", "--labels")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {"document", "document_label", "partner", "partner_label"} <= set(rows[0])
    assert {"Ministry of Education"} <= {r["partner_label"] for r in rows}
    tsv = _run("query", "--name", "joint-documents", "--format", "tsv", "--labels")
    assert tsv.splitlines()[0].split("\t")[:2] == ["?document", "?document_label"]


def test_labels_need_csv_or_tsv() -> None:
    result = CliRunner().invoke(cli, ["query", "--name", "documents", "--labels"])
    assert result.exit_code == 2 and "--labels goes with --format csv or tsv" in result.output


def test_units_agree_with_numbers() -> None:
    text = _run("show", "IP service providers")
    assert "approximately 73,000 organizations" in text
    assert "approximately 865,000 people" in text
    years = _run("show", "prog:promotion-program-ip-strategy-smes")
    assert "5 years" in years
