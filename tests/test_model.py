"""Finding, Problem, Related and Fix keep the behaviour of plain frozen dataclasses with their quicker __init__."""
import dataclasses
import inspect
import pickle

import pytest

from validator.model import Finding, Fix, Problem, Related, Severity


@pytest.mark.parametrize("cls", [Finding, Problem, Related, Fix])
def test_the_quick_init_has_the_dataclass_signature(cls):
    plain = dataclasses.make_dataclass("Plain", [(f.name, f.type, f) for f in dataclasses.fields(cls)], frozen=True)
    assert str(inspect.signature(cls)) == str(inspect.signature(plain))


def test_findings_stay_frozen_comparable_and_picklable():
    f = Finding("K001", "duplicate-global-key", Severity.ERROR, "a.json", 3, "/3/global_key", 4, 5, "msg",
                related=Related("a.json", 1, "/1/global_key"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.line = 9  # type: ignore[misc]
    moved = dataclasses.replace(f, line=9)
    assert (moved.line, moved.column, moved.related) == (9, 5, f.related)
    assert pickle.loads(pickle.dumps(f)) == f and hash(pickle.loads(pickle.dumps(f))) == hash(f)
    assert Problem(("a",), "m") == Problem(path=("a",), message="m", severity=None, on_key=False, related=None, fix=None)
    with pytest.raises(TypeError):
        Problem(("a",))  # type: ignore[call-arg]
