from __future__ import annotations

import pickle

from mt.errors import InputError, MissingExtraError


def test_errors_survive_pickling_for_worker_processes() -> None:
    error = pickle.loads(pickle.dumps(MissingExtraError("ray", "ray[data]")))
    assert str(error) == "ray is not installed: pip install 'ray[data]'"
    assert str(pickle.loads(pickle.dumps(InputError("a.txt: bad")))) == "a.txt: bad"
