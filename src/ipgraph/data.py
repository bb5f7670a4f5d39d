"""Where the bundled ontology, shapes and curated sources live.

In an installed wheel they sit inside the package (``ipgraph/ontology``); in a checkout they sit
at the repository root (``ontology/``). Both are found the same way.

>>> ontology_dir().name
'ontology'
>>> vocabulary_file().name
'ontology.ttl'
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from pathlib import Path

from ipgraph.vocab import GRAPH

_PACKAGE_DIR = Path(__file__).resolve().parent

# The named graph of the vocabulary: `ontology.ttl` loaded like any file, as graph/{stem}.
ONTOLOGY_GRAPH = GRAPH["ontology"]

CURATION = GRAPH["curation/"]
"""Curator inferences sit in graphs ``graph/curation/{slug}``, each an `ipg:CuratorInference`."""


def ontology_dir() -> Path:
    """The directory holding ``ontology.ttl``, ``shapes.ttl`` and ``sources/``."""
    for candidate in (_PACKAGE_DIR / "ontology", _PACKAGE_DIR.parents[1] / "ontology"):
        if (candidate / "ontology.ttl").is_file():
            return candidate
    raise FileNotFoundError(
        "ipgraph's ontology files are missing from this installation; reinstall ipgraph"
    )


def vocabulary_file() -> Path:
    """The OWL vocabulary (loaded as the named graph ``graph/ontology``)."""
    return ontology_dir() / "ontology.ttl"


def shapes_file() -> Path:
    """The SHACL shapes used by ``validate`` (never loaded into the data set)."""
    return ontology_dir() / "shapes.ttl"


SOURCE_SUFFIXES = (".trig", ".ttl")
"""Curated files: TriG keeps its named graphs (one per passage, per second source, per curator
inference; docs/provenance.md); a Turtle file becomes the graph ``graph/{stem}``."""


def source_files() -> list[Path]:
    """The curated facts: the seed chapter, the second sources and the curation, sorted.

    >>> names = [p.name for p in source_files()]
    >>> "cnipa-ar2021-ch4.trig" in names and "curation.trig" in names
    True
    """
    folder = ontology_dir() / "sources"
    return sorted(p for p in folder.iterdir() if p.suffix in SOURCE_SUFFIXES)


def bundled_files() -> list[Path]:
    """Everything ``ipgraph.load()`` reads by default: the vocabulary, then the sources."""
    return [vocabulary_file(), *source_files()]


@functools.cache
def bundled_paths() -> frozenset[Path]:
    """The resolved paths of `bundled_files` (worked out once per process)."""
    return frozenset(path.resolve() for path in bundled_files())


CACHE_ENV = "IPGRAPH_CACHE_DIR"


def cache_dir(environ: Mapping[str, str] | None = None) -> Path | None:
    """The per-user folder for what ipgraph derives from its bundled data (the name index):
    ``IPGRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/ipgraph``, else ``~/.cache/ipgraph``; None
    when there is no home folder. Not created here.

    Args:
        environ: the environment to read (default: ``os.environ``).

    >>> cache_dir({"IPGRAPH_CACHE_DIR": "/srv/cache"})
    PosixPath('/srv/cache')
    >>> cache_dir({"XDG_CACHE_HOME": "/home/u/.cache"})
    PosixPath('/home/u/.cache/ipgraph')
    """
    env = os.environ if environ is None else environ
    explicit = env.get(CACHE_ENV)
    if explicit:
        return Path(explicit).expanduser()
    xdg = env.get("XDG_CACHE_HOME")
    if xdg and Path(xdg).is_absolute():  # the XDG spec: a relative value is ignored
        return Path(xdg) / "ipgraph"
    try:
        return Path.home() / ".cache" / "ipgraph"
    except (RuntimeError, KeyError):  # no HOME and no passwd entry: no cache, not an error
        return None


@functools.cache
def installed_version() -> str:
    """ipgraph's version as installed (``0+unknown`` in a bare checkout), read once, when
    first needed (``ipgraph.__version__``, the name cache's key), not on every import.

    >>> installed_version() == __import__("importlib.metadata").metadata.version("ipgraph")
    True
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ipgraph")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0+unknown"
