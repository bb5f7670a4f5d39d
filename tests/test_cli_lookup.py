"""The lookup commands (`ipgraph.cli.lookup`): find and show — output and exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import Result

Run = Callable[..., Result]
Writer = Callable[[str, str], Path]


def test_find_acronyms_and_chinese(run: Run) -> None:
    result = run("find", "工信部", "--format", "json")
    assert result.exit_code == 0
    assert (
        json.loads(result.stdout)[0]["label"] == "Ministry of Industry and Information Technology"
    )
    table = run("find", "moe").stdout
    assert table.splitlines()[2].split()[1:4] == ["Ministry", "of", "Education"]
    assert "教育部" in table


def test_find_with_type_filter(run: Run) -> None:
    found = json.loads(run("find", "patent", "--type", "ipg:PolicyDocument", "-f", "json").stdout)
    assert found
    assert all(any("ontology#" in t for t in m["types"]) for m in found)


def test_find_nothing_exits_1(run: Run) -> None:
    result = run("find", "qqqqxxxxzzzz")
    assert result.exit_code == 1
    assert "nothing matches" in result.stderr
    assert result.stdout == ""


def test_find_limit_zero_lists_all_as_show_and_neighbors_do(run: Run) -> None:
    # Regression: `find --limit 0` was an error, `show/neighbors --limit 0` list all.
    every = json.loads(run("find", "patent", "-n", "0", "-f", "json").stdout)
    assert len(every) > 10
    assert every[:10] == json.loads(run("find", "patent", "-f", "json").stdout)
    for command in ("find", "show", "neighbors"):
        assert "; 0 lists all." in " ".join(run(command, "--help").stdout.split())
    refused = run("find", "patent", "-n", "-1")
    assert refused.exit_code == 2 and "-1 is not in the range x>=0" in refused.stderr


def test_find_without_text_says_what_to_give(run: Run) -> None:
    result = run("find", "  ")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        "ipgraph: error: nothing to find: give a name, part of one, an acronym or an id\n"
    )


def test_show_prints_labels_links_figures_and_sources(run: Run) -> None:
    result = run("show", "CNIPA")
    assert result.exit_code == 0
    out = result.stdout
    assert "国家知识产权局" in out
    assert "links in:" in out and "source:" in out
    mof = json.loads(run("show", "财政部", "--format", "json").stdout)
    assert mof["labels"]["en"] == ["Ministry of Finance"]
    assert mof["provenance"], "every agency has a source passage"


def test_show_unknown_entity_lists_candidates_exit_2(run: Run) -> None:
    result = run("show", "Ministry of Finanse")
    assert result.exit_code == 2
    assert result.stderr.startswith("ipgraph: error: no entity matches")
    assert "Ministry of Finance" in result.stderr
    assert "Traceback" not in result.output


def test_show_ambiguous_entity_lists_candidates_exit_2(run: Run) -> None:
    result = run("show", "Ministry")
    assert result.exit_code == 2
    assert "ambiguous" in result.stderr and "Ministry of Education" in result.stderr


def test_data_option_adds_user_files(run: Run, write: Writer) -> None:
    extra = write(
        "extra.ttl",
        '<https://example.org/bureau> <http://www.w3.org/2000/01/rdf-schema#label> "测试局"@zh .\n',
    )
    result = run("find", "测试局", "--data", str(extra))
    assert result.exit_code == 0
    assert "example.org/bureau" in result.stdout


def test_show_json_gives_figures_as_numbers(run: Callable[..., Any]) -> None:
    # Regression: an xsd:decimal figure came out as the string "23000.0" from `show`, but as
    # the number 23000 from `query --format json`.
    result = run("show", "obs:transactions-universities-institutes", "--format", "json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    values = [figure["value"] for figure in summary["figures"]]
    assert values == [23000] and isinstance(values[0], int)
    literal = [link for link in summary["outgoing"] if link["predicate_label"] == "value"]
    assert [link["value"] for link in literal] == [23000]


def test_show_marks_what_only_a_curator_inferred(run: Run) -> None:
    text = run("show", "Wuxi", "--lang", "en").stdout
    assert "—part of→ Jiangsu  (inferred)" in text  # general knowledge, not in the chapter
    assert "(inferred)" not in text.split("links in:")[1]  # the expo is stated (s01-p5)
    data = json.loads(run("show", "Wuxi", "--format", "json").stdout)
    assert [link["inferred"] for link in data["outgoing"]] == [True]


def test_show_limit_caps_every_relation_and_json_counts_all(run: Run, write: Writer) -> None:
    rows = "".join(
        f"<https://example.org/d{i}> <https://w3id.org/ipgraph/ontology#issuedBy> "
        "<https://w3id.org/ipgraph/id/agency/mof> .\n"
        for i in range(5)
    )
    extra = str(write("issued.nt", rows))
    text = run("show", "MOF", "--data", extra, "--limit", "2").stdout
    assert "more issued by (--limit 0 lists all)" in text
    data = json.loads(run("show", "MOF", "--data", extra, "-n", "2", "-f", "json").stdout)
    (issued,) = [r for r in data["relations"] if r["predicate_label"] == "issued by"]
    assert issued["direction"] == "in" and issued["count"] >= 5 and issued["listed"] == 2
    listed = [lk for lk in data["incoming"] if lk["predicate_label"] == "issued by"]
    assert len(listed) == 2
    everything = json.loads(run("show", "MOF", "--data", extra, "-n", "0", "-f", "json").stdout)
    (issued,) = [r for r in everything["relations"] if r["predicate_label"] == "issued by"]
    assert issued["listed"] == issued["count"]


def test_show_lang_writes_labels_as_path_and_neighbors_do(run: Run) -> None:
    zh = run("show", "MOF", "--lang", "zh").stdout
    assert zh.startswith("财政部\n") and "  ←合作单位— 专利转化专项计划\n" in zh
    en = run("show", "MOF", "--lang", "en").stdout
    assert en.startswith("Ministry of Finance\n") and "专利转化专项计划" not in en
    both = run("show", "MOF").stdout  # the default, as with `path` and `neighbors`
    assert both.startswith("Ministry of Finance 财政部\n")
    assert "commercialization 专利转化专项计划\n" in both
    helps = {c: " ".join(run(c, "--help").stdout.split()) for c in ("show", "neighbors", "path")}
    lang = "--lang [both|en|zh] Labels in text output: English and Chinese, English only"
    assert all(lang in text for text in helps.values())
    assert run("show", "MOF", "--lang", "fr").exit_code == 2
