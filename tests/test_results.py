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


def test_publish_prints_and_writes_only_when_asked(tmp_path: Path, capsys) -> None:
    path = tmp_path / "RESULTS.md"
    section = "## A\n\n1\nCommand: `x --write`; machine: test; date: 2026-01-01."
    results.publish("a", section, False, path)
    assert section in capsys.readouterr().out and not path.exists()
    results.publish("a", section, True, path)
    assert section in capsys.readouterr().out and section in path.read_text(encoding="utf-8")
