"""Commands that look entities up by name: find, show."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from ipgraph.errors import NoResult

if TYPE_CHECKING:
    pass

from ipgraph.cli.common import (
    cli,
    data_options,
    echo_json,
    echo_text,
    format_option,
    open_graph,
    shorten,
    table,
)


@cli.command()
@click.argument("text")
@click.option("--limit", "-n", default=10, show_default=True, help="How many matches at most.")
@click.option(
    "--type", "types", multiple=True, metavar="CLASS", help="Only this class, e.g. ipg:Agency."
)
@data_options
@format_option("text", "json")
def find(
    text: str,
    limit: int,
    types: Sequence[str],
    data_files: Sequence[str],
    store: str | None,
    output_format: str,
) -> None:
    """Find entities by English or Chinese label or acronym, best match first.

    Exits 1 when nothing matches.

    \b
    Example:
      ipgraph find MOE
      ipgraph find 知识产权 --type ipg:PolicyDocument
    """
    kg = open_graph(data_files, store)
    matches = kg.find(text, limit=limit, types=types or None)
    if not matches:
        raise NoResult(f"nothing matches {text!r}")
    if output_format == "json":
        echo_json([m.to_dict() for m in matches])
        return
    rows = []
    for m in matches:
        chinese = kg.label(m.iri, lang="zh")  # the English label again when there is none
        rows.append(
            (
                f"{m.score:.2f}",
                shorten(m.label),
                shorten(chinese) if chinese != m.label else "",
                ", ".join(kg.curie(t) for t in m.types),
                kg.curie(m.iri),
            )
        )
    click.echo(table(rows, ["score", "label", "中文", "type", "id"]))


@cli.command()
@click.argument("entity")
@data_options
@format_option("text", "json")
def show(entity: str, data_files: Sequence[str], store: str | None, output_format: str) -> None:
    """Everything about one ENTITY: types, labels, links, figures and sources.

    ENTITY is an IRI, a CURIE, an English or Chinese name, or an acronym.

    \b
    Example:
      ipgraph show CNIPA
      ipgraph show 财政部 --format json
    """
    kg = open_graph(data_files, store)
    summary = kg.entity(entity)
    if output_format == "json":
        echo_json(summary.to_dict())
    else:
        echo_text(summary.to_text())
