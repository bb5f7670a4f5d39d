"""Graph pages: a `View` written as one self-contained HTML page that works offline.

The page is ipgraph's own Jinja2 template (``templates/view.html``, with its script in
``view.js``, ``view_explore.js``, ``view_camera.js`` and ``view_narrow.js``, its style in
``view.css``) filled with the view's data
and the vis-network script and style read from the installed pyvis package (only when a page
is written): no CDN, no request
of any kind when the page opens, even from ``file://``. Every HTML page of the package goes
through the one autoescaping environment of `render_template`.

Every label reaches the page as JSON inside a ``<script type="application/json">`` block with
``<``, ``>`` and ``&`` escaped, and the page's script builds tooltips and panels with
``textContent`` only, so a label such as ``<script>…</script>`` shows as text and runs nothing.
The links travel packed (`page_data`): a big view's page is mostly links, and the browser reads
it faster when each IRI and name is written once.

>>> import ipgraph
>>> page = to_html(ipgraph.load().view("CNIPA", depth=1))
>>> page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
True
"""

from __future__ import annotations

import functools
import html
import importlib.util
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from ipgraph.errors import IpgraphError, UsageError
from ipgraph.views.model import VIS_VERSION

if TYPE_CHECKING:
    from ipgraph.views.model import View

__all__ = [
    "HtmlView",
    "embed_json",
    "inlined",
    "json_pieces",
    "page_data",
    "render_template",
    "to_html",
    "write_html",
    "write_page",
]


def embed_json(value: Any) -> str:
    """JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c``, ``\\u003e`` and ``\\u0026``, so no label can
    close the script or open a comment; U+2028 and U+2029 are escaped too. Chinese text stays
    as it is (the page is UTF-8).

    >>> embed_json({"label": "</script><b>工信部</b>"})
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e工信部\\\\u003c/b\\\\u003e"}'
    """
    # One pass, one copy: a view's data is a megabyte of text, escaped as the page is written.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE)


_SCRIPT_SAFE = {ord(c): f"\\u{ord(c):04x}" for c in "<>&\u2028\u2029"}


def page_data(view: View) -> dict[str, Any]:
    """``view.to_dict()`` as the page carries it: the links (``edges``, and the reserve's) packed.

    A packed list is ``{"strings": [...], "rows": [...]}``; each row is ``[id, from, to,
    predicate, label, width, weight, info]`` where ``from`` to ``label`` and both parts of each
    ``info`` row are positions in ``strings``, except a ``relation`` row's value, ``None`` when
    it reads "FROM LABEL —LABEL→ TO LABEL" (the page writes it again from the node labels).
    The page's script unpacks them to exactly the view's dicts.

    >>> import ipgraph
    >>> view = ipgraph.load().view("CNIPA", depth=1)
    >>> packed = page_data(view)["edges"]
    >>> row = packed["rows"][0]
    >>> packed["strings"][row[1]] == view.edges[0]["from"]
    True
    """
    data = view.to_dict()
    labels = {n["id"]: n["label"] for n in [*view.nodes, *view.reserve["nodes"]]}
    data["edges"] = _pack(view.edges, labels)
    data["reserve"] = {**view.reserve, "edges": _pack(view.reserve["edges"], labels)}
    return data


def _pack(edges: list[dict[str, Any]], labels: dict[str, str]) -> dict[str, Any]:
    strings: dict[str, int] = {}

    def at(text: str) -> int:
        return strings.setdefault(text, len(strings))

    rows = []
    for e in edges:
        derived = f"{labels.get(e['from'])} —{e['label']}→ {labels.get(e['to'])}"
        info = [
            [at(key), None if key == "relation" and value == derived else at(value)]
            for key, value in e["info"]
        ]
        ends = [at(e["from"]), at(e["to"]), at(e["predicate"]), at(e["label"])]
        rows.append([e["id"], *ends, e["width"], e["weight"], info])
    return {"strings": list(strings), "rows": rows}


def _vis_files() -> tuple[Path, Path]:
    """vis-network's script and style files in the installed pyvis package.

    The package is found, not imported: importing pyvis imports IPython (a fifth of a second
    and some 5 MB) for two files.
    """
    try:
        spec = importlib.util.find_spec("pyvis")
        folders = list(spec.submodule_search_locations or []) if spec is not None else []
        if not folders:
            raise ModuleNotFoundError("No module named 'pyvis'")
        base = Path(folders[0]) / "lib" / f"vis-{VIS_VERSION}"
        script, style = base / "vis-network.min.js", base / "vis-network.css"
        if not script.is_file() or not style.is_file():
            raise FileNotFoundError(f"no {script.name} and {style.name} in {base}")
    except (ModuleNotFoundError, FileNotFoundError, OSError) as exc:
        raise IpgraphError(
            f"cannot read vis-network {VIS_VERSION} from the installed pyvis ({exc}); "
            "reinstall it: pip install 'pyvis>=0.3.2'"
        ) from None
    return script, style


def inlined(path: Path, tag: str, size: int = 1 << 16) -> Iterator[str]:
    """The text of ``path`` in pieces of about ``size`` characters, with every ``</tag``
    (any case) written ``<\\/tag``: it cannot end the ``<tag>`` element it is inlined in.

    A piece never ends inside a possible ``</tag``: one is held back from its ``<`` on.

    >>> import tempfile
    >>> file = Path(tempfile.mkdtemp()) / "a.js"
    >>> _ = file.write_text("x='</SCRIPT>';</script", encoding="utf-8")
    >>> "".join(inlined(file, "script", size=4))
    "x='<\\\\/SCRIPT>';<\\\\/script"
    """
    pattern = re.compile(rf"</({tag})", re.IGNORECASE)
    held = ""
    try:
        with path.open(encoding="utf-8") as file:
            while block := file.read(size):
                text = held + block
                cut = text.rfind("<", max(len(text) - len(tag) - 1, 0))
                text, held = (text, "") if cut < 0 else (text[:cut], text[cut:])
                yield pattern.sub(r"<\\/\1", text)
    except OSError as exc:
        raise IpgraphError(f"cannot read {path}: {exc.strerror or exc}") from None
    yield pattern.sub(r"<\\/\1", held)


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("ipgraph.views", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def render_template(name: str, **values: Any) -> str:
    """Fill one of the package's templates (``templates/NAME``); every value is HTML-escaped
    unless it is `markupsafe.Markup` (text already safe where it goes).

    >>> render_template("index.html", pages=[])[:15]
    '<!DOCTYPE html>'
    """
    return _environment().get_template(name).render(**values)


def to_html(view: View) -> str:
    """The view as one self-contained HTML page (UTF-8; no external resource).

    >>> import ipgraph
    >>> page = to_html(ipgraph.load().view(agencies=True))
    >>> "<script src=" in page, 'id="ipgraph-data"' in page
    (False, True)
    """
    return "".join(_page_chunks(view))


def write_html(view: View, output: str | Path) -> Path:
    """Write the page of ``view`` to ``output`` (UTF-8), creating folders; return the path.

    The page is written piece by piece as it is made (the template's text, the view's data
    encoded a node at a time, vis-network's half-megabyte script copied from its file), never
    held whole, and replaces ``output`` only once complete.

    >>> import ipgraph, tempfile
    >>> path = write_html(ipgraph.load().view(agencies=True), Path(tempfile.mkdtemp()) / "a.html")
    >>> path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    return _write_chunks(_page_chunks(view), output)


def _page_chunks(view: View) -> Iterator[str]:
    """The page of ``view`` in pieces: the template with markers where the big parts go
    (the script, the style, the data), each part streamed in their place."""
    script, style = _vis_files()  # first: a missing pyvis fails before anything is written
    parts: dict[str, Callable[[], Iterable[str]]] = {
        "\x00vis_css\x00": lambda: inlined(style, "style"),
        "\x00vis_js\x00": lambda: inlined(script, "script"),
        "\x00data\x00": lambda: (
            piece.translate(_SCRIPT_SAFE) for piece in json_pieces(page_data(view))
        ),
    }
    # Escaped for where they go: no "</script" or "</style" inside, JSON as \u003c.
    markers = {key.strip("\x00"): Markup(key) for key in parts}
    template = _environment().get_template("view.html")
    for chunk in template.generate(title=view.title, description=view.description, **markers):
        if chunk in parts:
            yield from parts[chunk]()
        else:
            yield chunk


def json_pieces(value: Any, depth: int = 3) -> Iterator[str]:
    """``value`` as compact JSON (``ensure_ascii=False``), in pieces: its containers opened
    ``depth`` levels down (string keys only), what lies below encoded whole. The pieces join
    to exactly ``json.dumps``'s text, and none is as large as the whole.

    >>> "".join(json_pieces({"a": [1, {"b": "工"}], "c": None}))
    '{"a":[1,{"b":"工"}],"c":null}'
    """
    if depth and isinstance(value, dict) and all(isinstance(k, str) for k in value):
        yield "{"
        for index, (key, item) in enumerate(value.items()):
            yield ("," if index else "") + json.dumps(key, ensure_ascii=False) + ":"
            yield from json_pieces(item, depth - 1)
        yield "}"
    elif depth and isinstance(value, list):
        yield "["
        for index, item in enumerate(value):
            if index:
                yield ","
            yield from json_pieces(item, depth - 1)
        yield "]"
    else:
        yield json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write_page(text: str, output: str | Path) -> Path:
    """Write an HTML page as UTF-8, creating folders; a failure is a one-line `UsageError`.

    >>> import tempfile
    >>> path = write_page("<p>工信部</p>", Path(tempfile.mkdtemp()) / "new" / "page.html")
    >>> path.read_text(encoding="utf-8")
    '<p>工信部</p>'
    """
    return _write_chunks([text], output)


def _write_chunks(chunks: Iterable[str], output: str | Path) -> Path:
    """Write into a temporary file beside ``output``, then put it in place in one step: a
    failure or Ctrl-C half way leaves the page that was there before."""
    path = Path(output)
    temporary: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
        temporary = Path(name)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.writelines(chunks)
        os.chmod(temporary, 0o666 & ~_umask())  # as open() would create it, not mkstemp's 0600
        os.replace(temporary, path)
        temporary = None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class HtmlView:
    """A rendered view that Jupyter displays inline (an ``<iframe srcdoc>``, sandboxed).

    No IPython needed: notebooks call `_repr_html_`; elsewhere use `html` or `save`.
    """

    def __init__(self, view: View, height: int = 640) -> None:
        self.view = view
        self.height = height
        self.html = to_html(view)

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
            f'title="{html.escape(self.view.title, quote=True)}" '
            f'sandbox="allow-scripts" style="width:100%;height:{int(self.height)}px;'
            'border:1px solid #ddd"></iframe>'
        )

    def save(self, output: str | Path) -> Path:
        """Write the page to a file and return its path."""
        return write_page(self.html, output)

    def __repr__(self) -> str:
        return f"<HtmlView {self.view.name!r}: {len(self.view.nodes)} nodes>"
