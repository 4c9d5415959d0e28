from __future__ import annotations

import pickle

from mt.errors import InputError, MissingExtraError


def test_errors_survive_pickling_for_worker_processes() -> None:
    error = pickle.loads(pickle.dumps(MissingExtraError("ray", "ray[data]")))
    assert str(error) == "ray is not installed: pip install 'ray[data]'"
    assert str(pickle.loads(pickle.dumps(InputError("a.txt: bad")))) == "a.txt: bad"


def test_trace_and_argument_errors_belong_to_the_tree(tiny_model) -> None:
    import pytest

    import mt
    from mt.errors import ArgumentError, MtError, TraceError
    from mt.translate import load_translator

    error = pickle.loads(pickle.dumps(TraceError("segments[3].source", "[0, 9] lies outside")))
    assert (error.field, error.problem) == ("segments[3].source", "[0, 9] lies outside")
    assert isinstance(error, InputError) and str(error).startswith("segments[3].source: ")
    for bad in ({"word_links": "al"}, {"backend": "onnx"}):
        with pytest.raises(ArgumentError, match="unknown; choose from") as raised:
            load_translator(str(tiny_model), **bad)
        assert isinstance(raised.value, MtError) and isinstance(raised.value, ValueError)
    assert mt.ArgumentError is ArgumentError and mt.TraceError is TraceError
