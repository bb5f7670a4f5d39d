"""Shared command-line helpers (`ipgraph.cli.common`): tables, short labels, reading files,
errors and Ctrl-C."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from ipgraph.cli import cli
from ipgraph.cli.common import read_text, shorten, table
from ipgraph.errors import UsageError


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def test_table_columns_line_up_with_chinese() -> None:
    text = table([["教育部", "MOE"], ["Ministry of Finance", "财政部"]], ["label", "other"])
    header, rule, first, second = text.splitlines()
    # the second column starts at the same display column on every line
    starts = [
        width(line[: line.index(cell)])
        for line, cell in ((header, "other"), (first, "MOE"), (second, "财政部"))
    ]
    assert len(set(starts)) == 1
    assert rule.split() == ["-" * 19, "-" * 6]  # 财政部 is 6 columns wide, wider than "other"
    assert not any(line != line.rstrip() for line in text.splitlines())


def test_shorten_cuts_long_labels_with_an_ellipsis() -> None:
    assert shorten("short", 10) == "short"
    assert shorten("x" * 10, 10) == "x" * 10
    cut = shorten("Guidelines for Formulating IP-Related Terms", 20)
    assert len(cut) <= 20 and cut.endswith("…")
    assert shorten("abc   defgh", 7) == "abc…"  # no trailing space before the ellipsis


def test_read_text_reads_utf8_and_refuses_the_rest(
    tmp_path: Path, write: Callable[[str, str], Path]
) -> None:
    assert read_text(str(write("q.rq", 'ASK { ?s ?p "教育部" }'))) == 'ASK { ?s ?p "教育部" }'
    with pytest.raises(UsageError, match=r"cannot read .*missing\.rq"):
        read_text(str(tmp_path / "missing.rq"))
    latin = tmp_path / "latin.rq"
    latin.write_bytes('ASK { ?s ?p "café" }'.encode("latin-1"))
    with pytest.raises(UsageError, match="not UTF-8 text"):
        read_text(str(latin))
    with pytest.raises(UsageError, match="cannot read"):
        read_text(str(tmp_path))  # a folder


def test_ctrl_c_exits_130_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import ipgraph.cli.lookup

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ipgraph.cli.lookup, "open_graph", interrupted)
    result = CliRunner().invoke(cli, ["find", "MOE"])
    assert result.exit_code == 130
    assert result.stderr == "ipgraph: interrupted\n"
    assert "Traceback" not in result.output


def test_errors_are_one_line_with_their_exit_code() -> None:
    result = CliRunner().invoke(cli, ["find", "MOE", "--store", "nothing"])
    assert result.exit_code == 2
    assert result.stderr.startswith("ipgraph: error: ") and result.stderr.count("\n") == 1
