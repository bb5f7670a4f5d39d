"""The exception root: every error has an exit code, an HTTP status and a JSON body."""

from __future__ import annotations

import inspect

import pytest

from ipgraph import errors
from ipgraph.errors import IpgraphError

CLASSES = [
    obj
    for _, obj in inspect.getmembers(errors, inspect.isclass)
    if issubclass(obj, Exception) and obj.__module__ == errors.__name__
]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_error_derives_from_the_root_and_is_documented(cls: type[Exception]) -> None:
    assert issubclass(cls, IpgraphError)
    assert cls.__doc__
    assert cls.exit_code in (1, 2)  # type: ignore[attr-defined]
    assert 400 <= cls.http_status < 600  # type: ignore[attr-defined]
    assert cls.__name__ in errors.__all__


def test_exit_codes_follow_the_readme() -> None:
    assert errors.NoPath.exit_code == 1
    assert errors.NoResult.exit_code == 1
    assert errors.DataError("f.ttl", "bad", 3).exit_code == 2
    assert errors.QuerySyntaxError("x", 1, 2).exit_code == 2


def test_json_bodies_carry_the_details() -> None:
    body = errors.DataError("f.ttl", "bad turtle syntax", 7).to_dict()
    assert body == {
        "error": "DataError",
        "message": "f.ttl:7: bad turtle syntax",
        "source": "f.ttl",
        "line": 7,
    }
    ambiguous = errors.AmbiguousEntity("Shanghai", ["a <x>", "b <y>"]).to_dict()
    assert ambiguous["candidates"] == ["a <x>", "b <y>"]
    assert errors.MissingExtra("starlette", "server").http_status == 501
    assert "pip install 'ipgraph[server]'" in str(errors.MissingExtra("starlette", "server"))
