from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "eval"))

import results  # noqa: E402


def test_sections_replace_in_place_and_need_their_record(tmp_path: Path) -> None:
    path = tmp_path / "RESULTS.md"
    record = "- Command: `python eval/x.py`; machine: test; date: 2026-01-01."
    results.write_section("a", f"## A\n\n1\n{record}", path)
    results.write_section("b", f"## B\n\n2\n{record}", path)
    results.write_section("a", f"## A\n\n3\n{record}", path)
    text = path.read_text(encoding="utf-8")
    assert text.index("## A") < text.index("## B") and "\n3\n" in text and "\n1\n" not in text
    with pytest.raises(ValueError, match="Command"):
        results.write_section("c", "## C\n\ntyped by hand", path)
    assert "## C" not in path.read_text(encoding="utf-8")
