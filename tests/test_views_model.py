"""What the views draw, as data (`ipgraph.views.model`): groups, `View`, `ViewSpec`."""

from __future__ import annotations

import json

import pytest

import ipgraph
from ipgraph.errors import UsageError
from ipgraph.views.model import GROUPS, View, ViewSpec, group_of
from ipgraph.vocab import IPG


def test_groups_have_unique_keys_and_end_with_the_catch_all() -> None:
    keys = [g.key for g in GROUPS]
    assert len(keys) == len(set(keys))
    assert GROUPS[-1].key == "other" and GROUPS[-1].cls is None
    assert all(g.cls is not None for g in GROUPS[:-1])
    assert all(g.color.startswith("#") and g.label and g.label_zh for g in GROUPS)


@pytest.mark.parametrize(
    ("types", "group"),
    [
        ([IPG.Ministry], "agency"),  # a subclass of Agency, and of Organization
        ([IPG.Organization], "organization"),
        ([IPG.Notice], "document"),
        ([IPG.Region], "region"),
        ([IPG.Observation], "figure"),
        ([], "other"),
    ],
)
def test_group_of_takes_the_most_specific_group(
    kg: ipgraph.KnowledgeGraph, types: list[object], group: str
) -> None:
    assert group_of(kg, types) == group  # type: ignore[arg-type]


def test_view_to_dict_is_json_and_node_ids_are_the_iris() -> None:
    view = View(
        "path",
        "a-b",
        "A to B",
        "one hop",
        nodes=[{"id": "urn:a", "label": "A"}, {"id": "urn:b", "label": "乙"}],
        edges=[{"id": "e0", "from": "urn:a", "to": "urn:b"}],
    )
    data = json.loads(json.dumps(view.to_dict()))
    assert data["kind"] == "path" and data["title"] == "A to B"
    assert [n["label"] for n in data["nodes"]] == ["A", "乙"]
    assert view.node_ids() == {"urn:a", "urn:b"}
    assert repr(view) == "<View 'a-b': 2 nodes, 1 edges>"


@pytest.mark.parametrize(
    ("spec", "kind"),
    [
        (ViewSpec(), "overview"),
        (ViewSpec(types=("ipg:Agency",)), "overview"),
        (ViewSpec(entity="CNIPA", depth=2), "neighborhood"),
        (ViewSpec(path=("MOF", "MOE")), "path"),
        (ViewSpec(agencies=True), "agencies"),
        (ViewSpec(query="CONSTRUCT WHERE { ?s ?p ?o }"), "query"),
    ],
)
def test_a_spec_asks_for_one_kind_of_view(spec: ViewSpec, kind: str) -> None:
    assert spec.kind == kind


def test_a_spec_mixing_kinds_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match=r"choose one view.*got neighborhood and agencies"):
        _ = ViewSpec(entity="CNIPA", agencies=True).kind
