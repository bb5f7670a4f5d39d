"""`ipgraph extract` and `ipgraph diff`: a draft from a report, checked and compared."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from rdflib import RDF, Graph

from ipgraph.vocab import ID, IPG

Run = Callable[..., Result]
REPORTS = Path(__file__).resolve().parent / "data" / "extract"


def test_extract_writes_a_draft_that_validates_and_diffs(run: Run, tmp_path: Path) -> None:
    draft = tmp_path / "draft.ttl"
    result = run("extract", str(REPORTS / "zh_report.md"), "-o", str(draft))
    assert result.exit_code == 0, result.output
    assert "linked entities" in result.stderr
    graph = Graph().parse(draft)
    issued = set(graph.subjects(RDF.predicate, IPG.issuedBy))  # candidates, with their spans
    assert issued & set(graph.subjects(RDF.object, ID["agency/cnipa"]))  # 国家知识产权局 会同 …
    assert issued & set(graph.subjects(RDF.object, ID["agency/miit"]))  # 工信部, a short form
    checked = run("validate", str(draft))
    assert checked.exit_code == 0, checked.output
    compared = run("diff", str(draft))
    assert compared.exit_code == 0
    assert "new entities" in compared.stdout and "国家林业和草原局" in compared.stdout


def test_extract_review_page_is_offline_html(run: Run, tmp_path: Path) -> None:
    page = tmp_path / "review.html"
    result = run("extract", str(REPORTS / "en_report.md"), "--format", "html", "-o", str(page))
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    assert text.lstrip().lower().startswith("<!doctype html")
    assert 'src="http' not in text and 'href="http' not in text


def test_extract_of_a_missing_report_is_one_line(run: Run, tmp_path: Path) -> None:
    result = run("extract", str(tmp_path / "missing.md"))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
