"""The held-out data of eval/PROTOCOL.md, and the mark of a reporting path.

``TEST_FILES`` are the test sets under ``../shared/data/test``: reported, never
used for a choice. The reporting half of gold_dev (``gold_split.Halves.reporting``)
is word alignment's test set. An eval/ or models/ script may read either only
inside a function marked ``@reporting``; tests/test_protocol.py parses the
scripts and fails on any other use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

TEST_FILES = ("flores200_devtest.ar-en.tsv.gz", "tatoeba_v2021.ar-en.tsv.gz")
Function = TypeVar("Function", bound=Callable[..., Any])


def reporting(function: Function) -> Function:
    """Declares ``function`` a reporting path: it may read test sets, and nothing it
    returns may steer a setting, checkpoint, mix or threshold. A marker only (the
    check is static), so the function is returned unchanged."""
    return function
