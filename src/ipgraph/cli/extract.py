"""Growing the graph from reports: extract (candidate facts for curation) and diff."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from ipgraph.cli.common import cli, data_options, echo_json, open_graph


@cli.command()
@click.argument("report", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the draft here (default: stdout).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["ttl", "html"], case_sensitive=False),
    default="ttl",
    show_default=True,
    help="ttl: the draft as Turtle (check it with `ipgraph validate FILE`); html: an offline "
    "review page with the candidates highlighted, linked or new, and their confidence.",
)
@click.option("--source", metavar="SLUG", help="The draft source's slug (default: file name).")
@click.option("--title", metavar="TEXT", help="The report's title (default: its first heading).")
@click.option("--year", metavar="YYYY", help="The report's year.")
@data_options
def extract(
    report: Path,
    output: Path | None,
    output_format: str,
    source: str | None,
    title: str | None,
    year: str | None,
    data_files: Sequence[str],
    store: str | None,
) -> None:
    """Read a report (Markdown or text, English or Chinese) and write candidate facts.

    Entities are linked to the graph's names (English, Chinese, acronyms); documents (titles,
    GB/T and 〔2021〕N号 numbers, issuers, dates) and figures (value, qualifier, unit, period)
    become candidates, each tied to its passage, its character span and a confidence. Nothing
    is invented: every value and name in the draft appears in the text. A summary goes to
    stderr.

    \b
    Example:
      ipgraph extract report.md -o draft.ttl
      ipgraph validate draft.ttl
      ipgraph diff draft.ttl
      ipgraph extract report.md --format html -o review.html
    """
    kg = open_graph(data_files, store)
    draft = kg.extract(report, source=source, title=title, year=year)
    kind = output_format.lower()
    if kind == "html":
        from ipgraph.extract import render_review  # jieba and friends load only when used

        text = render_review(draft)
    else:
        text = draft.serialize("turtle")
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(str(output))
    click.echo(
        f"ipgraph: {len(draft.passages)} passages, {len(draft.linked)} linked entities, "
        f"{len(draft.new)} new, {len(draft.documents)} documents, {len(draft.figures)} figures",
        err=True,
    )


@cli.command("diff")
@click.argument("draft", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"], case_sensitive=False),
    default="text",
    show_default=True,
    help="Output format.",
)
@data_options
def diff_command(
    draft: Path, output_format: str, data_files: Sequence[str], store: str | None
) -> None:
    """Say what a draft (from `ipgraph extract`) would add to the graph.

    \b
    Example:
      ipgraph diff draft.ttl
    """
    kg = open_graph(data_files, store)
    found = kg.diff(draft)
    if output_format.lower() == "json":
        echo_json(
            {
                "new_entities": [str(i) for i in found.new_entities],
                "known_entities": [str(i) for i in found.known_entities],
                "new_statements": [[str(t) for t in triple] for triple in found.new_statements],
                "known": [[str(t) for t in triple] for triple in found.known],
            }
        )
        return
    click.echo(found.summary())
    for iri in found.new_entities:
        click.echo(f"  new  {found.labels.get(iri, kg.label(iri))}  <{iri}>")
