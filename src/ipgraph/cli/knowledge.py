"""Commands that say how the graph knows: why (sources of statements), timeline."""

from __future__ import annotations

from collections.abc import Sequence

import click

from ipgraph.cli.common import (
    cli,
    data_options,
    echo_json,
    format_option,
    open_graph,
    shorten,
    table,
)
from ipgraph.errors import NoResult


@cli.command()
@click.argument("subject")
@click.argument("predicate", required=False)
@click.argument("object", required=False)
@data_options
@format_option("text", "json")
def why(
    subject: str,
    predicate: str | None,
    object: str | None,
    data_files: Sequence[str],
    store: str | None,
    output_format: str,
) -> None:
    """The sources of each statement about SUBJECT: stated, second source or inferred.

    SUBJECT (and an entity OBJECT) is an IRI, a CURIE, a name or an acronym; PREDICATE is a
    CURIE such as ipg:issuedBy; a literal OBJECT is matched by its text. For each statement,
    every source: the passage locator, or title, publisher, date and URL, or the curator's
    justification. Exits 1 when no statement matches.

    \b
    Example:
      ipgraph why "China Brand Day 2021" ipg:organizedBy
      ipgraph why document/guidelines-patent-navigation ipg:issuedBy --format json
    """
    kg = open_graph(data_files, store)
    statements = kg.why(subject, predicate, object)
    if not statements:
        raise NoResult("no statement matches; try without the predicate or object")
    if output_format == "json":
        echo_json([st.to_dict(kg) for st in statements])
        return
    click.echo("\n".join(st.to_text(kg) for st in statements))


@cli.command()
@click.argument("entity", required=False)
@data_options
@format_option("text", "json")
def timeline(
    entity: str | None, data_files: Sequence[str], store: str | None, output_format: str
) -> None:
    """Documents, events and figures in date order; with ENTITY, those involving it.

    Exits 1 when nothing is dated.

    \b
    Example:
      ipgraph timeline
      ipgraph timeline "State Council" --format json
    """
    kg = open_graph(data_files, store)
    entries = kg.timeline(entity)
    if not entries:
        raise NoResult("nothing dated involves this entity")
    if output_format == "json":
        echo_json([e.to_dict(kg) for e in entries])
        return
    rows = [(e.date, e.kind, shorten(e.label), e.detail, kg.curie(e.item)) for e in entries]
    click.echo(table(rows, ["date", "what", "label", "detail", "id"]))
