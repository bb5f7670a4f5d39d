"""``ipgraph serve`` (`ipgraph.cli.web`): the optional extra, a busy port, the help."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from click.testing import Result

from ipgraph.errors import MissingExtra


def test_missing_extra_names_the_install_command(monkeypatch: pytest.MonkeyPatch, run: Any) -> None:
    for name in [m for m in sys.modules if m == "starlette" or m.startswith("starlette.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.delitem(sys.modules, "ipgraph.web.app")
    with pytest.raises(MissingExtra, match=r"pip install 'ipgraph\[server\]'"):
        import ipgraph.web.app  # noqa: F401
    result: Result = run("serve", "--port", "0")
    assert result.exit_code == 2
    assert "pip install 'ipgraph[server]'" in result.output


def test_serve_refuses_a_busy_port(run: Any) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = run("serve", "--port", str(port))
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "--port" in result.output


def test_serve_help_shows_options_and_example(run: Any) -> None:
    result = run("serve", "--help")
    assert result.exit_code == 0
    for option in ("--host", "--port", "--timeout", "--max-rows", "--data", "--store"):
        assert option in result.output
    assert "Example:" in result.output and "curl" in result.output
