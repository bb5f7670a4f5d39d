"""Commands that look entities up by name: find, show."""

from __future__ import annotations

from collections.abc import Sequence

import click

from ipgraph.cli.common import (
    LANG_OPTION,
    cli,
    data_options,
    echo_json,
    echo_text,
    format_option,
    limit_option,
    open_graph,
    relation_limit_option,
)
from ipgraph.cli.layout import fit_table
from ipgraph.errors import NoResult, UsageError


@cli.command()
@click.argument("text")
@limit_option("List at most N matches, best first; 0 lists all.")
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
    """Find entities by English or Chinese name, acronym or identifier, best match first.

    Each match says how the text matched (exact, acronym, abbreviation, identifier, prefix,
    words, stem, chinese, related, typo) and which name it matched. When nothing matches, the
    nearest names are suggested on stderr and the exit code is 1.

    \b
    Example:
      ipgraph find MOE
      ipgraph find 知识产权 --type ipg:PolicyDocument
      ipgraph find "Minstry of Finance" --format json
      ipgraph find patent --limit 0
    """
    if not text.strip():  # "nothing matches ''; try fewer words" would send them astray
        raise UsageError("nothing to find: give a name, part of one, an acronym or an id")
    kg = open_graph(data_files, store)
    matches = kg.find(text, limit=limit, types=types or None)
    if not matches:
        near = kg.nearest(text, 5)
        hint = (
            "; did you mean " + ", ".join(f"{m.label} ({kg.curie(m.iri)})" for m in near) + "?"
            if near
            else "; try fewer words, or another language"
        )
        raise NoResult(f"nothing matches {text!r}{hint}")
    if output_format == "json":
        echo_json([m.to_dict() for m in matches])
        return
    kg.prefetch_labels([m.iri for m in matches], lang="zh")
    rows = []
    for m in matches:
        chinese = kg.label(m.iri, lang="zh")  # the English label again when there is none
        matched = m.how if m.matched in (m.label, chinese) else f"{m.how}: {m.matched}"
        rows.append(
            (
                f"{m.score:.2f}",
                m.label,
                chinese if chinese != m.label else "",
                ", ".join(kg.curie(t) for t in m.types),
                kg.curie(m.iri),
                matched,
            )
        )
    click.echo(fit_table(rows, ["score", "label", "中文", "type", "id", "matched"]))


@cli.command()
@click.argument("entity")
@relation_limit_option("links")
@LANG_OPTION
@data_options
@format_option("text", "json")
def show(
    entity: str,
    limit: int,
    lang: str,
    data_files: Sequence[str],
    store: str | None,
    output_format: str,
) -> None:
    """Everything about one ENTITY: types, labels, links, figures and sources.

    ENTITY is an IRI, a CURIE, an English or Chinese name, or an acronym. Of a relation with
    more than --limit links, the first N by IRI are listed (by label) and the rest counted;
    the JSON's "relations" gives each relation's count and how many are listed.

    \b
    Example:
      ipgraph show CNIPA
      ipgraph show 财政部 --format json
      ipgraph show CNIPA --lang zh --limit 5
    """
    kg = open_graph(data_files, store)
    summary = kg.entity(entity, limit=limit)
    if output_format == "json":
        echo_json(summary.to_dict())
    else:
        echo_text(summary.to_text(limit=limit, lang=lang))
