"""The library's front door: ``import mt`` and the names it promises."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import mt
from mt.paths import embedded_model
from mt.translate import BEAM_SIZE

REPO = Path(__file__).resolve().parent.parent


def test_import_mt_loads_nothing_heavy() -> None:
    code = ("import sys, mt; mt.Span, mt.TraceDocument, mt.MtError, mt.Signature; "
            "print(sorted({'numpy', 'torch', 'transformers'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=REPO, check=True).stdout
    assert out.strip() == "[]"


def test_every_public_name_resolves() -> None:
    import mt.align
    import mt.check
    import mt.translate  # noqa: F401  # the subpackages do not shadow the functions

    for name in mt.__all__:
        assert getattr(mt, name) is not None
    assert callable(mt.translate_text) and callable(mt.align_texts) and callable(mt.check_trace)
    assert issubclass(mt.InputError, mt.MtError)


def test_translate_and_check(tiny_model: Path) -> None:
    text = "وصل 300 شخص إلى المدينة."
    document = mt.translate_text(text, model=str(tiny_model), word_links="attention")
    assert isinstance(document, mt.TraceDocument)
    assert document.source_text == text and document.segments
    assert f"|decode:beam{BEAM_SIZE}," in document.signature
    findings = mt.check_trace(document, similarity=False)
    assert all(isinstance(f, mt.Finding) for f in findings)


@pytest.mark.embedded
@pytest.mark.skipif(not (embedded_model() / "config.json").is_file(),
                    reason="the embedded model is absent")
def test_the_readme_shows_the_signature_the_embedded_model_gives() -> None:
    shown = re.search(r"^mt:\S*\|model:ar-en-small@\S+$", (REPO / "README.md").read_text("utf-8"),
                      re.MULTILINE)
    assert shown is not None
    signed = mt.translate_text("وصل 300 شخص إلى المدينة.", word_links="none").signature

    def parts(signature: str) -> dict[str, str]:
        return dict(part.split(":", 1) for part in signature.split("|"))

    # The weights' hash, the decoding defaults and the quality estimator: what a new model,
    # default or refit changes.
    for name in ("mt", "model", "decode", "quality"):
        assert parts(signed)[name] == parts(shown.group(0))[name], name


def test_align() -> None:
    document = mt.align_texts("وصل 300 شخص.", "300 people arrived.")
    assert [s.source for s in document.segments] == [mt.Span(0, 12)]
