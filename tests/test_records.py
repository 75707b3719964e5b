"""``@record`` behaves as ``@dataclass(frozen=True, slots=True)``: each pair of classes below is
declared once with each decorator, and every observable difference is a failure."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from dataclasses import dataclass, field
from typing import Any

import pytest

from upphandla.records import record


@record
class Point:
    x: int
    y: int = 0
    label: str = field(default="", compare=False)
    secret: str = field(default="", repr=False)


@dataclass(frozen=True, slots=True)
class PointDC:
    x: int
    y: int = 0
    label: str = field(default="", compare=False)
    secret: str = field(default="", repr=False)


@record(kw_only=True)
class Named:
    name: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class NamedDC:
    name: str
    tags: tuple[str, ...] = ()


@record
class Single:
    only: int


@record
class Empty:
    pass


@record
class Labelled(Point):
    extra: int = 0


@record
class Box:
    content: Any
    size: int = field(default=0, hash=False)


@record
class Holder:
    items: list[Any]


def _repr_of_dataclass_twin(value: object, twin: type) -> str:
    return repr(value).replace(type(value).__qualname__, twin.__qualname__, 1)


@pytest.mark.parametrize(
    ("left", "right", "left_dc", "right_dc"),
    [
        (Point(1, 2), Point(1, 2), PointDC(1, 2), PointDC(1, 2)),
        (Point(1, 2), Point(1, 3), PointDC(1, 2), PointDC(1, 3)),
        (Point(1, 2, "a"), Point(1, 2, "b"), PointDC(1, 2, "a"), PointDC(1, 2, "b")),
        (Point(1, 2, secret="s"), Point(1, 2), PointDC(1, 2, secret="s"), PointDC(1, 2)),
        (
            Named(name="a"),
            Named(name="a", tags=("t",)),
            NamedDC(name="a"),
            NamedDC(name="a", tags=("t",)),
        ),
    ],
)
def test_equality_and_hash_follow_the_fields_as_in_a_dataclass(
    left: Any, right: Any, left_dc: Any, right_dc: Any
) -> None:
    assert (left == right) is (left_dc == right_dc)
    assert (left != right) is not (left == right)
    if left == right:
        assert hash(left) == hash(right)
    assert hash(left) == hash(left_dc)


def test_compare_false_fields_are_left_out_of_equality_and_hash() -> None:
    assert Point(1, 2, "a") == Point(1, 2, "b")
    assert hash(Point(1, 2, "a")) == hash(Point(1, 2, "b"))
    assert Point(1, 2, secret="a") != Point(1, 2, secret="b")


def test_hash_false_fields_are_left_out_of_the_hash_only() -> None:
    assert hash(Box("a", 1)) == hash(Box("a", 2))
    assert Box("a", 1) != Box("a", 2)


def test_another_class_is_never_equal() -> None:
    twin: object = PointDC(1, 2)
    assert Point(1, 2) != twin
    assert Point(1, 2).__eq__(PointDC(1, 2)) is NotImplemented
    assert Labelled(1, 2) != Point(1, 2)
    pair: object = (1, 0)
    assert Point(1) != pair


def test_repr_reads_as_a_dataclass_repr() -> None:
    for value, twin in (
        (Point(1, 2, "a", "hidden"), PointDC(1, 2, "a", "hidden")),
        (Named(name="n", tags=("a",)), NamedDC(name="n", tags=("a",))),
    ):
        assert _repr_of_dataclass_twin(value, type(twin)) == repr(twin)
    assert repr(Single(3)) == "Single(only=3)"
    assert repr(Empty()) == "Empty()"
    assert repr(Labelled(1, extra=5)) == "Labelled(x=1, y=0, label='', extra=5)"


def test_a_record_that_holds_itself_has_a_finite_repr() -> None:
    holder = Holder([])
    holder.items.append(holder)
    assert repr(holder) == "Holder(items=[...])"


def test_single_and_empty_records_compare_and_hash() -> None:
    assert Single(1) == Single(1) != Single(2)
    assert hash(Single(1)) == hash((1,))
    assert Empty() == Empty()
    assert hash(Empty()) == hash(())


def test_records_are_frozen_with_slots() -> None:
    point = Point(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.x = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del point.x
    assert not hasattr(point, "__dict__")
    assert getattr(Point, "__slots__") == getattr(PointDC, "__slots__")  # noqa: B009


def test_the_dataclass_functions_work_on_records() -> None:
    point = Point(1, 2, "a", "s")
    assert dataclasses.is_dataclass(point)
    assert [item.name for item in dataclasses.fields(point)] == ["x", "y", "label", "secret"]
    assert dataclasses.replace(point, y=5) == Point(1, 5, "a", "s")
    assert dataclasses.asdict(point) == {"x": 1, "y": 2, "label": "a", "secret": "s"}
    assert Point.__match_args__ == ("x", "y", "label", "secret")
    with pytest.raises(TypeError):
        Named("positional")  # type: ignore[call-arg]


def test_records_survive_pickle_and_copy() -> None:
    point = Labelled(1, 2, "a", "s", 3)
    assert pickle.loads(pickle.dumps(point)) == point
    assert copy.deepcopy(point) == point
    assert repr(copy.copy(point)) == repr(point)


def test_unhashable_fields_make_the_record_unhashable_as_in_a_dataclass() -> None:
    with pytest.raises(TypeError):
        hash(Holder([1]))


@pytest.mark.parametrize("method", ["__eq__", "__repr__", "__hash__"])
def test_a_class_with_its_own_method_is_refused(method: str) -> None:
    namespace = {method: lambda self, *args: 0, "__annotations__": {"x": "int"}}
    with pytest.raises(TypeError, match=method):
        record(type("Own", (), namespace))
