"""Where the bundled ontology, shapes and curated sources live.

In an installed wheel they sit inside the package (``ipgraph/ontology``); in a checkout they sit
at the repository root (``ontology/``). Both are found the same way.

>>> ontology_dir().name
'ontology'
>>> vocabulary_file().name
'ontology.ttl'
"""

from __future__ import annotations

from pathlib import Path

from ipgraph.vocab import GRAPH

_PACKAGE_DIR = Path(__file__).resolve().parent

# The named graph of the vocabulary: `ontology.ttl` loaded like any file, as graph/{stem}.
ONTOLOGY_GRAPH = GRAPH["ontology"]


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


def source_files() -> list[Path]:
    """The curated facts, one Turtle file per source document, in a stable order."""
    return sorted((ontology_dir() / "sources").glob("*.ttl"))


def bundled_files() -> list[Path]:
    """Everything ``ipgraph.load()`` reads by default: the vocabulary, then the sources."""
    return [vocabulary_file(), *source_files()]
