"""Hostile input, bounded: each class of file or store that once broke ipgraph, run through the
real ``ipgraph`` command (a child process with a memory cap and a time limit, on loopback
only, in the test's temporary directory).

Every refusal is exit code 2 with one line on stderr naming the file (and line), no traceback;
the store and the loaded graph stay as they were, and nothing outside the temporary
directories changes.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import URIRef

import ipgraph
from ipgraph import data
from ipgraph.errors import DataError
from ipgraph.loader import OXIGRAPH_BUFFER, parse_file
from ipgraph.vocab import GRAPH

pytestmark = pytest.mark.slow

BINARY = Path(sys.executable).with_name("ipgraph")
MEMORY_CAP = 4 << 30  # bytes of address space for a child: a runaway parser fails fast
TIME_LIMIT = 180  # seconds for a child: a runaway parser is killed
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
XSD_INTEGER = "<http://www.w3.org/2001/XMLSchema#integer>"


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def ipgraph_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the ``ipgraph`` command in ``cwd`` (also its HOME), capped and time-limited."""
    env = {k: v for k, v in os.environ.items() if k != "IPGRAPH_STORE"}
    env["HOME"] = str(cwd)
    return subprocess.run(
        [str(BINARY), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        preexec_fn=_cap,
    )


def assert_refused(result: subprocess.CompletedProcess[str], where: str) -> None:
    """Exit 2, one line on stderr naming ``where`` (``file`` or ``file:line``), no traceback."""
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("ipgraph: error: ") and f"{where}" in lines[0], lines[0]


def tree(root: Path) -> dict[str, int | None]:
    """Every path under ``root`` with its size (directories: None), lock files aside."""
    return {
        str(p.relative_to(root)): (p.stat().st_size if p.is_file() else None)
        for p in sorted(root.rglob("*"))
        if not p.name.endswith(".lock")
    }


# -- the files ---------------------------------------------------------------------------------


def billion_laughs() -> str:
    """A 700-odd byte RDF/XML file whose entities expand to about 3 GB."""
    entities = ['<!ENTITY a0 "lollollollollollollollollollol">']
    entities += [f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 9)]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n'
        + "\n".join(entities)
        + '\n]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
        '<rdf:Description rdf:about="http://e/a"><rdfs:label>&a8;</rdfs:label>'
        "</rdf:Description>\n</rdf:RDF>\n"
    )


EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">
<rdf:Description rdf:about="http://e/a"><rdfs:label>&secret;</rdfs:label></rdf:Description>
</rdf:RDF>
"""


def huge_token() -> str:
    """N-Triples whose line 2 holds a literal longer than Oxigraph's parse buffer."""
    return (
        f'<http://e/a> {RDFS_LABEL} "fine" .\n'
        f'<http://e/a> <http://e/p> "{"x" * (OXIGRAPH_BUFFER + 1024)}" .\n'
    )


REFUSED = {
    "laughs.rdf": (billion_laughs(), 3),
    "external.rdf": (EXTERNAL_ENTITY, 2),
    "huge.nt": (huge_token(), 2),
    "syntax.nt": (  # the bad fragment also occurs on line 1: the error must name line 2
        '<http://e/a> <http://e/p> "bad x ." .\n<http://e/a> <http://e/p> bad x .\n',
        2,
    ),
    "shadow.trig": (
        f'<{data.ONTOLOGY_GRAPH}> {{ <http://e/a> {RDFS_LABEL} "mine" . }}\n',
        None,
    ),
}


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    for name, (text, _) in REFUSED.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_file_is_refused_in_memory(workdir: Path, name: str) -> None:
    before = tree(workdir)
    line = REFUSED[name][1]
    result = ipgraph_cli(workdir, "info", "--data", name)  # times out after TIME_LIMIT
    assert_refused(result, f"{name}:{line}:" if line else name)
    assert tree(workdir) == before


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_file_leaves_the_loaded_graph_as_it_was(
    workdir: Path, fresh_kg: ipgraph.KnowledgeGraph, name: str
) -> None:
    before = sorted(fresh_kg.graph.quads())
    with pytest.raises(DataError) as caught:
        fresh_kg.add(workdir / name)
    assert caught.value.source == str(workdir / name) and "\n" not in str(caught.value)
    assert sorted(fresh_kg.graph.quads()) == before


@pytest.fixture(scope="module")
def loaded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An Oxigraph store holding the bundled graph and one small file."""
    root = tmp_path_factory.mktemp("hostile-store")
    (root / "small.nt").write_text(f'<http://e/s> {RDFS_LABEL} "small" .\n', encoding="utf-8")
    result = ipgraph_cli(root, "load", "-q", "--store", "oxigraph:kgdb", "small.nt")
    assert result.returncode == 0, result.stderr
    return root


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_file_leaves_the_store_as_it_was(loaded_store: Path, name: str) -> None:
    text, line = REFUSED[name]
    (loaded_store / name).write_text(text, encoding="utf-8")
    before = tree(loaded_store)
    meta = (loaded_store / "kgdb" / "ipgraph.json").read_bytes()
    result = ipgraph_cli(loaded_store, "load", "-q", "--store", "oxigraph:kgdb", name)
    assert_refused(result, f"{name}:{line}:" if line else name)
    assert (loaded_store / "kgdb" / "ipgraph.json").read_bytes() == meta
    assert tree(loaded_store) == before
    (loaded_store / name).unlink()


def test_data_with_a_persistent_store_is_refused_not_written(loaded_store: Path) -> None:
    # Regression: --data on a read command wrote the file into the store.
    (loaded_store / "extra.nt").write_text(f'<http://e/x> {RDFS_LABEL} "x" .\n', encoding="utf-8")
    before = tree(loaded_store)
    result = ipgraph_cli(loaded_store, "info", "--store", "oxigraph:kgdb", "--data", "extra.nt")
    assert_refused(result, "extra.nt")
    assert "ipgraph load --store oxigraph:kgdb" in result.stderr
    assert tree(loaded_store) == before


@pytest.mark.parametrize(
    "meta", [{"data": "../victim"}, {"data": "../victim/data-1"}, {"data": "/etc"}]
)
def test_crafted_store_metadata_touches_nothing_outside(tmp_path: Path, meta: object) -> None:
    victim = tmp_path / "victim" / "data-1"
    victim.mkdir(parents=True)
    (victim / "CURRENT").write_text("precious", encoding="utf-8")
    (tmp_path / "kgdb").mkdir()
    (tmp_path / "kgdb" / "ipgraph.json").write_text(json.dumps(meta), encoding="utf-8")
    (tmp_path / "a.nt").write_text("<http://e/a> <http://e/p> <http://e/b> .\n", encoding="utf-8")
    before = tree(tmp_path)
    result = ipgraph_cli(tmp_path, "load", "-q", "--store", "oxigraph:kgdb", "a.nt")
    assert_refused(result, "ipgraph.json")
    assert tree(tmp_path) == before


def test_a_foreign_directory_is_not_made_a_store(tmp_path: Path) -> None:
    foreign = tmp_path / "etc"
    foreign.mkdir()
    (foreign / "hosts").write_text("127.0.0.1 localhost\n", encoding="utf-8")
    before = tree(tmp_path)
    result = ipgraph_cli(tmp_path, "info", "--store", "oxigraph:etc")
    assert_refused(result, "etc is not an ipgraph store")
    assert tree(tmp_path) == before


# -- files that load, with care ----------------------------------------------------------------


def test_one_line_ntriples_with_a_large_literal_parse_in_linear_time(tmp_path: Path) -> None:
    # Regression: rdflib's N-Triples parser took 7.7 s for 1 MB and 103 s for 4 MB.
    timings = {}
    for megabytes in (1, 4):
        path = tmp_path / f"big{megabytes}.nt"
        path.write_text(f'<http://e/a> <http://e/p> "{"x" * (megabytes << 20)}" .\n')
        started = time.perf_counter()
        parsed = parse_file(path)
        timings[megabytes] = time.perf_counter() - started
        assert parsed.triple_count == 1
    assert timings[4] < 10, timings


def test_ill_typed_literal_is_one_warning_line_and_kept(tmp_path: Path) -> None:
    # Regression: each ill-typed literal printed an rdflib traceback.
    (tmp_path / "typed.nt").write_text(
        f'<http://e/a> {RDFS_LABEL} "Alpha"@en .\n'
        f'<http://e/a> <http://e/n> "abc"^^{XSD_INTEGER} .\n',
        encoding="utf-8",
    )
    result = ipgraph_cli(tmp_path, "show", "<http://e/a>", "--data", "typed.nt", "-f", "json")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ipgraph: warning: typed.nt:2: ill-typed")
    assert "abc" in result.stdout  # kept as it is


def test_files_with_the_same_name_keep_their_own_graphs(tmp_path: Path) -> None:
    # Regression: a/facts.ttl and b/facts.ttl both went to graph/facts, the second replacing.
    for folder, label in (("a", "Alpha"), ("b", "Beta")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "facts.ttl").write_text(
            f'<http://e/{folder}> {RDFS_LABEL} "{label}" .\n', encoding="utf-8"
        )
    kg = ipgraph.load(tmp_path / "a" / "facts.ttl", tmp_path / "b" / "facts.ttl")
    mine = {str(s.graph): s.path for s in kg.sources() if "facts" in str(s.graph)}
    assert len(mine) == 2 and str(GRAPH["facts"]) in mine
    assert sorted(Path(p).parent.name for p in mine.values() if p) == ["a", "b"]
    assert {m.label for m in kg.find("Alpha") + kg.find("Beta")} == {"Alpha", "Beta"}
    kg.add(tmp_path / "b" / "facts.ttl")  # loaded again: the same graph, not a third
    assert len([s for s in kg.sources() if "facts" in str(s.graph)]) == 2


def test_a_user_file_named_like_the_vocabulary_does_not_replace_it(tmp_path: Path) -> None:
    # Regression: a user's ontology.ttl replaced the bundled vocabulary (1,858 → 959 triples).
    bundled = ipgraph.load()
    (tmp_path / "ontology.ttl").write_text(
        f'<http://e/mine> {RDFS_LABEL} "Mine" .\n', encoding="utf-8"
    )
    kg = ipgraph.load(tmp_path / "ontology.ttl")
    ontology = data.ONTOLOGY_GRAPH
    assert kg.store.graph_size(ontology) == bundled.store.graph_size(ontology)
    assert len(kg.graph) == len(bundled.graph) + 1
    assert kg.find("Mine")[0].iri == URIRef("http://e/mine")


LABEL = "\x1b[31mRed\x1b[0m Bureau\r\u202eevil\x9b2J"


def test_terminal_escapes_in_labels_are_shown_escaped(tmp_path: Path) -> None:
    # Regression: labels with escape sequences reached the terminal raw.
    escaped = json.dumps(LABEL)[1:-1]  # N-Triples and JSON escapes agree for these
    (tmp_path / "evil.nt").write_text(
        f'<http://e/evil> {RDFS_LABEL} "{escaped}"@en .\n'
        f"<http://e/evil> <http://e/rel> <http://e/other> .\n"
        f'<http://e/other> {RDFS_LABEL} "Other"@en .\n',
        encoding="utf-8",
    )
    unsafe = [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) != "\n"]
    unsafe += ["\u202e"]
    outputs = [
        ipgraph_cli(tmp_path, "find", "Bureau", "--data", "evil.nt"),
        ipgraph_cli(tmp_path, "show", "<http://e/evil>", "--data", "evil.nt"),
        ipgraph_cli(tmp_path, "path", "<http://e/evil>", "Other", "--data", "evil.nt"),
        ipgraph_cli(tmp_path, "show", LABEL, "--data", "evil.nt"),  # the error names it
    ]
    for result in outputs:
        text = result.stdout + result.stderr
        assert "Traceback" not in text
        assert not [ch for ch in unsafe if ch in text], repr(text)
    assert "\\u001b[31mRed" in outputs[1].stdout and "\\u202e" in outputs[1].stdout
    as_json = ipgraph_cli(tmp_path, "show", "<http://e/evil>", "--data", "evil.nt", "-f", "json")
    assert LABEL in json.loads(as_json.stdout)["labels"]["en"]  # data stays data
