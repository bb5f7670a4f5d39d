"""Docs cannot drift: every command has help with an example and is in the README."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from ipgraph.cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(cli.commands)


def test_the_cli_has_the_designed_commands() -> None:
    assert {"info", "validate", "find", "show", "export"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_ending_with_an_example(name: str) -> None:
    command = cli.commands[name]
    with click.Context(command, info_name=name) as ctx:
        text = command.get_help(ctx)
    assert command.help and len(command.help.strip()) > 20
    example = text.rsplit("Example:", 1)
    assert len(example) == 2, f"`ipgraph {name} --help` has no Example block"
    assert f"ipgraph {name}" in example[1]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_in_the_readme(name: str) -> None:
    assert re.search(rf"ipgraph {name}\b", README), f"README does not show `ipgraph {name}`"


def test_readme_gives_the_two_setup_commands_and_exit_codes() -> None:
    assert "make demo" in README and "make test" in README
    for code in ("0", "1", "2"):
        assert re.search(rf"^\|\s*`?{code}`?\s*\|", README, re.M), f"exit code {code} missing"
