"""Commands about the data itself: info, validate, export, load, synth."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    pass

from ipgraph.cli.common import (
    cli,
    data_options,
    echo_json,
    echo_text,
    format_option,
    open_graph,
    printable,
)
from ipgraph.cli.layout import count, fit_table

# -- foundation: info, validate, find, show, export ---------------------------------------


@cli.command()
@data_options
@format_option("text", "json")
def info(data_files: Sequence[str], store: str | None, output_format: str) -> None:
    """Counts: triples, entities per class, triples per source graph.

    \b
    Example:
      ipgraph info
      ipgraph info --data my-facts.ttl --format json
    """
    kg = open_graph(data_files, store)
    summary = kg.info()
    if output_format == "json":
        echo_json(summary)
        return
    click.echo(
        f"{count(summary['triples'])} triples, {count(summary['entities'])} entities "
        f"({kg.store.kind})"
    )
    click.echo("\nsources:")
    click.echo(
        fit_table(
            [(s["graph"], count(s["triples"]), s["path"] or "") for s in summary["sources"]],
            ["graph", "triples", "file"],
        )
    )
    click.echo("\nentities per class (by direct type):")
    click.echo(
        fit_table([(c, count(n)) for c, n in summary["classes"].items()], ["class", "count"])
    )


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@data_options
@format_option("text", "json")
def validate(
    files: Sequence[str], data_files: Sequence[str], store: str | None, output_format: str
) -> None:
    """Check the graph (and FILES, if given) against the SHACL shapes.

    Exits 0 when the data conforms, 1 with each violation listed (focus node and message),
    2 when a file cannot be read.

    \b
    Example:
      ipgraph validate
      ipgraph validate new-source.ttl
    """
    kg = open_graph(data_files, store)
    report = kg.validate(*files)
    if output_format == "json":
        echo_json(report.to_dict())
    else:
        echo_text(report.to_text())
    if not report.conforms:
        sys.exit(1)


@cli.command()
@format_option("ttl", "nt", "trig", "nquads", "jsonld", "xml", default="ttl")
@click.option(
    "--projection",
    type=click.Choice(["graphml", "gexf"]),
    help="Write the entity graph (networkx projection) for Gephi/Cytoscape instead.",
)
@data_options
def export(
    output_format: str, projection: str | None, data_files: Sequence[str], store: str | None
) -> None:
    """Write the whole graph to stdout.

    ttl, nt, jsonld and xml merge the named graphs; trig and nquads keep them.
    --projection graphml|gexf writes the entity graph that paths walk instead.

    \b
    Example:
      ipgraph export --format nt > ipgraph.nt
      ipgraph export --format trig --data extra.ttl
      ipgraph export --projection gexf > ipgraph.gexf
    """
    kg = open_graph(data_files, store)
    if projection:
        click.echo(kg.export_projection(projection), nl=False)
        return
    click.echo(kg.export(output_format), nl=False)


# -- scale: load, synth (issue 6) -----------------------------------------------------------


@cli.command("load")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--store",
    envvar="IPGRAPH_STORE",
    metavar="SPEC",
    required=True,
    help="The store to load into: oxigraph:PATH or sparql:URL#store=URL (or #update=URL).",
)
@click.option(
    "--bundled/--no-bundled",
    default=True,
    show_default=True,
    help="Also bring the bundled ontology and facts up to date in the store.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def load_command(files: Sequence[str], store: str, bundled: bool, quiet: bool) -> None:
    """Bulk-load FILES into a persistent store, each file replacing its own named graph.

    Safe to interrupt: on Oxigraph the files load into a checkpoint of the store that becomes
    current only when every file has loaded, so a failed or interrupted load leaves the store
    as it was. Running it again replaces the same graphs: nothing is duplicated. Opening the
    store afterwards (--store on any command) re-parses nothing.

    \b
    Example:
      ipgraph synth --triples 100000 -o big.nt
      ipgraph load --store oxigraph:./kgdb big.nt
      ipgraph info --store oxigraph:./kgdb
    """
    from pathlib import Path

    from ipgraph import data
    from ipgraph.errors import UsageError
    from ipgraph.store import open_store

    target = open_store(store)
    if not target.persistent:
        raise UsageError(f"{store!r} keeps nothing; load into oxigraph:PATH or sparql:URL")
    if bundled:
        target.load_files(data.bundled_files(), only_changed=True)
    paths = [Path(f) for f in files]
    total = sum(p.stat().st_size for p in paths if p.is_file())
    with click.progressbar(
        length=total,
        label=f"loading {len(paths)} file(s) into {target.spec}",
        file=sys.stderr,
        hidden=quiet,
        show_eta=True,
    ) as bar:
        loaded = target.load_files(paths, progress=bar.update)
    target.close()
    for item in loaded:
        click.echo(f"{item.graph}\t{count(item.triples)} triples\t{printable(str(item.path))}")
    click.echo(f"{count(len(target))} triples in {target.spec}", err=True)


@cli.command()
@click.option(
    "--triples",
    "-n",
    type=click.IntRange(min=100),
    default=10000,
    show_default=True,
    help="About how many triples (within a few percent).",
)
@click.option("--seed", "-s", type=int, default=0, show_default=True, help="Random seed.")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False), help="Write to FILE (.nt) instead of stdout."
)
def synth(triples: int, seed: int, output: str | None) -> None:
    """Generate a synthetic graph in ipgraph's vocabulary (N-Triples), for scale tests.

    The graph conforms to the SHACL shapes: agencies, a region hierarchy, documents, programs,
    organizations, observations and provenance, in realistic proportions. The same seed gives
    the same graph.

    \b
    Example:
      ipgraph synth --triples 1000000 --seed 1 -o synth-1m.nt
      ipgraph validate synth-1m.nt
    """
    from ipgraph import synth as generator

    if output:
        written = generator.write(output, triples, seed)
        click.echo(f"{count(written)} triples written to {output}", err=True)
        return
    for line in generator.generate(triples, seed):
        click.echo(line)
