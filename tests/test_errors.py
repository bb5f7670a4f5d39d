"""The exception root: every error has an exit code, an HTTP status and a JSON body."""

from __future__ import annotations

import inspect
import json
from typing import Any

import pytest

from ipgraph import errors
from ipgraph.errors import IpgraphError

CLASSES = [
    obj
    for _, obj in inspect.getmembers(errors, inspect.isclass)
    if issubclass(obj, Exception)
    and not issubclass(obj, Warning)  # the warnings have their own root: IpgraphWarning
    and obj.__module__ == errors.__name__
]


def _all_subclasses(cls: type[IpgraphError]) -> set[type[IpgraphError]]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _all_subclasses(sub)
    return found


# Constructor arguments of the classes that need more than a message.
ARGS: dict[type[IpgraphError], tuple[Any, ...]] = {
    errors.MissingExtra: ("starlette", "server"),
    errors.DataError: ("f.ttl", "bad turtle syntax", 7),
    errors.EntityNotFound: ("Ministry of Magic", ["Ministry of Finance"]),
    errors.AmbiguousEntity: ("Shanghai", ["a <x>", "b <y>"]),
    errors.QuerySyntaxError: ("unexpected end", 2, 5),
}

# (exit code, HTTP status) of every class, so that a change to either is a decision.
EXPECTED: dict[str, tuple[int, int]] = {
    "IpgraphError": (2, 400),
    "UsageError": (2, 400),
    "MissingExtra": (2, 501),
    "DataError": (2, 400),
    "EntityError": (2, 404),
    "EntityNotFound": (2, 404),
    "AmbiguousEntity": (2, 409),
    "NoPath": (1, 404),
    "NoResult": (1, 404),
    "QueryError": (2, 400),
    "QuerySyntaxError": (2, 400),
    "QueryForbidden": (2, 403),
    "QueryTimeout": (1, 503),
    "ResultTooLarge": (1, 413),
    "QueryCrashed": (1, 500),
    "StoreError": (2, 500),
    "StoreBusy": (2, 503),
    "ProtocolError": (2, 400),
    "MethodNotAllowed": (2, 405),
    "NotAcceptable": (2, 406),
    "RequestTimeout": (2, 408),
    "RequestTooLarge": (2, 413),
    "UriTooLong": (2, 414),
    "UnsupportedMediaType": (2, 415),
    "NotFound": (2, 404),
    "QueryFailed": (2, 500),
    "ServerBusy": (1, 503),
}


def test_the_classes_of_the_module_are_the_subclasses_of_the_root() -> None:
    assert set(CLASSES) == {IpgraphError} | _all_subclasses(IpgraphError)
    assert {cls.__name__ for cls in CLASSES} == set(EXPECTED)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_error_derives_from_the_root_and_is_documented(cls: type[Exception]) -> None:
    assert issubclass(cls, IpgraphError)
    assert cls.__doc__
    assert cls.exit_code in (1, 2)  # type: ignore[attr-defined]
    assert 400 <= cls.http_status < 600  # type: ignore[attr-defined]
    assert cls.__name__ in errors.__all__


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_error_has_its_status_exit_code_and_json_body(cls: type[IpgraphError]) -> None:
    assert (cls.exit_code, cls.http_status) == EXPECTED[cls.__name__]
    if cls is errors.EntityError:  # abstract: raised as EntityNotFound or AmbiguousEntity
        return
    error = cls(*ARGS.get(cls, ("something went wrong; try something else",)))
    assert (error.exit_code, error.http_status) == EXPECTED[cls.__name__]
    body = error.to_dict()
    assert body["error"] == cls.__name__
    assert body["message"] == str(error) and body["message"]
    assert json.loads(json.dumps(body)) == body


def test_exit_codes_follow_the_readme() -> None:
    assert errors.NoPath.exit_code == 1
    assert errors.NoResult.exit_code == 1
    assert errors.DataError("f.ttl", "bad", 3).exit_code == 2
    assert errors.QuerySyntaxError("x", 1, 2).exit_code == 2


def test_http_errors_are_usage_errors_except_engine_failures() -> None:
    for cls in (errors.MethodNotAllowed, errors.NotAcceptable, errors.RequestTooLarge):
        assert issubclass(cls, errors.ProtocolError)
        assert issubclass(cls, errors.UsageError)
    assert not issubclass(errors.QueryFailed, errors.UsageError)


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


def test_the_warnings_of_the_module_have_one_root() -> None:
    warnings_ = [
        obj
        for _, obj in inspect.getmembers(errors, inspect.isclass)
        if issubclass(obj, Warning) and obj.__module__ == errors.__name__
    ]
    assert errors.IpgraphWarning in warnings_
    for cls in warnings_:
        assert issubclass(cls, errors.IpgraphWarning) and cls.__doc__
        assert cls.__name__ in errors.__all__
