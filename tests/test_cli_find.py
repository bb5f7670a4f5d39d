"""``ipgraph find`` as a newcomer uses it: what people type (English and Chinese names, short
forms, acronyms, plurals, typos, identifiers, earlier names) finds the entity they mean in the
top 3, on the default store and on an Oxigraph store whose name index was built at load time.
Each match says how it matched; an empty result suggests the nearest names and exits 1."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ipgraph.cli import cli
from ipgraph.vocab import ID

Find = Callable[..., Result]

# Earlier names of agencies, as a user's file adds them (the bundled graph has none).
EARLIER_NAMES = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix agency: <https://w3id.org/ipgraph/id/agency/> .
agency:cnipa skos:altLabel "State Intellectual Property Office"@en , "SIPO"@en ,
    "国家知识产权局（原国家知识产权局）"@zh .
agency:ndrc skos:altLabel "State Development Planning Commission"@en , "国家计委"@zh .
"""

# What a newcomer types, and the entity they mean: each must come in the top 3.
NEWCOMER_QUERIES = [
    # English names, any case, plurals and stems
    ("Ministry of Finance", "agency/mof"),
    ("ministry of education", "agency/moe"),
    ("MINISTRY OF COMMERCE", "agency/mofcom"),
    ("university", "category/universities-and-colleges"),
    ("universities", "category/universities-and-colleges"),
    ("colleges", "category/universities-and-colleges"),
    ("research institutes", "category/scientific-research-institutes"),
    ("small and medium enterprises", "category/smes"),
    ("geographical indications", "concept/geographical-indication"),
    ("geographical indication", "concept/geographical-indication"),
    ("patent navigation guidelines", "document/guidelines-patent-navigation"),
    ("Zhejiang", "region/zhejiang"),
    ("zhejiang province", "region/zhejiang"),
    # acronyms and short forms
    ("MIIT", "agency/miit"),
    ("miit", "agency/miit"),
    ("NDRC", "agency/ndrc"),
    ("MOST", "agency/most"),
    ("MOFCOM", "agency/mofcom"),
    ("CNIPA", "agency/cnipa"),
    ("SMEs", "category/smes"),
    ("GIs", "concept/geographical-indication"),
    ("Blue Sky", "program/blue-sky-campaign"),
    # Chinese names, short forms and abbreviations
    ("工信部", "agency/miit"),
    ("工业和信息化部", "agency/miit"),
    ("发改委", "agency/ndrc"),
    ("国家发改委", "agency/ndrc"),
    ("科技部", "agency/most"),
    ("国知局", "agency/cnipa"),
    ("国家知识产权局", "agency/cnipa"),
    ("财政部", "agency/mof"),
    ("教育部", "agency/moe"),
    ("高校", "category/universities-and-colleges"),
    ("科研院所", "category/scientific-research-institutes"),
    ("浙江", "region/zhejiang"),
    ("浙江省", "region/zhejiang"),
    ("知识产权强国建设纲要", "document/outline-ip-competitiveness-2021-2035"),
    ("十四五规划", "document/national-plan-ip-protection-utilization-14th-fyp"),
    ("专利导航指南", "document/guidelines-patent-navigation"),
    # identifiers, whole, by their beginning, other spacing, full width
    ("GB/T 39551-2020", "document/guidelines-patent-navigation"),
    ("GB/T 39551", "document/guidelines-patent-navigation"),
    ("gbt39551", "document/guidelines-patent-navigation"),
    ("ＧＢ／Ｔ　３９５５１", "document/guidelines-patent-navigation"),
    # typos
    ("Minstry of Finance", "agency/mof"),
    ("Ministry of Finanse", "agency/mof"),
    ("Guidlines for Patent Navigaton", "document/guidelines-patent-navigation"),
    ("Zhejaing", "region/zhejiang"),
    ("Minsitry of Educaton", "agency/moe"),
    # earlier names (from the user's file)
    ("State Intellectual Property Office", "agency/cnipa"),
    ("SIPO", "agency/cnipa"),
    ("State Development Planning Commission", "agency/ndrc"),
    ("国家计委", "agency/ndrc"),
]


@pytest.fixture(scope="module")
def earlier(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("earlier") / "earlier-names.ttl"
    path.write_text(EARLIER_NAMES, encoding="utf-8")
    return path


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def find(
    request: pytest.FixtureRequest, earlier: Path, tmp_path_factory: pytest.TempPathFactory
) -> Find:
    """Run ``ipgraph find`` on the default store, or on an Oxigraph store loaded by
    ``ipgraph load`` (its name index built then)."""
    runner = CliRunner()
    if request.param == "memory":
        options = ["--data", str(earlier)]
    else:
        spec = f"oxigraph:{tmp_path_factory.mktemp('kgdb') / 'store'}"
        loaded = runner.invoke(cli, ["load", "-q", "--store", spec, str(earlier)])
        assert loaded.exit_code == 0, loaded.output
        options = ["--store", spec]

    def run(*args: str) -> Result:
        return runner.invoke(cli, ["find", *args, *options])

    return run


def _iri(slug: str) -> str:
    return str(ID[slug])


@pytest.mark.parametrize(("text", "slug"), NEWCOMER_QUERIES)
def test_newcomer_finds_the_entity_in_the_top_3(find: Find, text: str, slug: str) -> None:
    result = find(text, "--format", "json")
    assert result.exit_code == 0, (text, result.output)
    top = [m["iri"] for m in json.loads(result.stdout)[:3]]
    assert _iri(slug) in top, (text, top)


def test_each_match_says_how_it_matched(find: Find) -> None:
    found = json.loads(find("Minstry of Finance", "--format", "json").stdout)
    assert found[0]["iri"] == _iri("agency/mof")
    assert found[0]["how"] == "typo" and found[0]["matched"] == "Ministry of Finance"
    assert json.loads(find("MIIT", "--format", "json").stdout)[0]["how"] == "exact"
    assert json.loads(find("发改委", "--format", "json").stdout)[0]["how"] == "abbreviation"
    text = find("Minstry of Finance").stdout
    header, _, first = text.splitlines()[:3]
    assert header.split()[-1] == "matched" and first.split()[-1] == "typo"


def test_nothing_found_suggests_the_nearest_names_and_exits_1(find: Find) -> None:
    result = find("Ministry of Magic Finanse")
    assert result.exit_code == 1
    assert "nothing matches 'Ministry of Magic Finanse'; did you mean Ministry of Finance" in (
        result.output
    )
    nothing = find("qqqqxxxxzzzz")
    assert nothing.exit_code == 1 and "nothing matches" in nothing.output


def test_type_filter_keeps_subclasses(find: Find) -> None:
    found = json.loads(find("ministry", "--type", "ipg:Agency", "-n", "50", "-f", "json").stdout)
    assert {_iri(f"agency/{a}") for a in ("mof", "moe", "most", "miit", "mofcom")} <= {
        m["iri"] for m in found
    }
