"""The built wheel carries the ontology (`ipgraph info` works from an unrelated directory) and
the query page's editor bundle (build output of `make bundle`, not in git)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_and_runs_from_another_directory(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = wheels.glob("ipgraph-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        bundle = archive.read("ipgraph/web/static/editor.js")
    assert b"cm-editor" in bundle and b"createEditor" in bundle, "not the CodeMirror bundle"
    assert {"ipgraph/web/templates/query.js", "ipgraph/web/templates/results.js"} <= names
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python, pip = venv / "bin" / "python", venv / "bin" / "pip"
    subprocess.run([str(pip), "install", "--quiet", "--no-deps", str(wheel)], check=True)
    # The wheel alone goes in; its dependencies come from this environment through a .pth
    # line, so the test needs no network and still proves what the wheel itself carries.
    target = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(target, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    where = subprocess.run(
        [str(python), "-c", "import ipgraph; print(ipgraph.__file__)"],
        cwd=elsewhere,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert where.startswith(target), f"ipgraph imported from {where}, not from the wheel"
    info = subprocess.run(
        [str(venv / "bin" / "ipgraph"), "info", "--format", "json"],
        cwd=elsewhere,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    summary = json.loads(info.stdout)
    assert summary["triples"] > 1000
    assert any(s["graph"].endswith("/cnipa-ar2021-ch4") for s in summary["sources"])
    assert Path(target, "ipgraph", "ontology", "shapes.ttl").is_file()
