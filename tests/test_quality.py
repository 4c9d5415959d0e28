from __future__ import annotations

import json
from pathlib import Path

import pytest

from mt.errors import ModelError
from mt.quality import (
    ESTIMATOR_FILE,
    FALLBACK_FILE,
    FEATURES,
    Lexicon,
    QualityEstimator,
    features,
    load_estimator,
    with_quality,
)
from mt.report import render_html
from mt.types import Repair, Segment, Span, TraceDocument

from .conftest import REPO

# A toy lexicon in the aligner's shape: Arabic token -> English token -> count.
COUNTS = {"الوزير": {"minister": 9.0, "the": 1.0}, "قال": {"said": 8.0},
          "روسيا": {"russia": 5.0}, "حاوية": {"containers": 3.0}}
AR = "قال الوزير إن 7 آلاف حاوية وصلت من روسيا.\nقال الوزير."
GOOD = "The minister said 7,000 containers arrived from Russia."
BAD = "Nine generations of the"


def lexicon() -> Lexicon:
    return Lexicon(COUNTS, segmenter=None)


def estimator(threshold: float = 0.5) -> QualityEstimator:
    """chrF = 50 + 20 z(score) + 20 z(source_coverage): a hand-made linear estimator."""
    return QualityEstimator("linear@test", ("score", "source_coverage"), (-1.0, 0.5),
                            (0.5, 0.25), (20.0, 20.0), 50.0, threshold)


def document(first: str, second: str, scores: tuple[float, float]) -> TraceDocument:
    cut = AR.index("\n")
    english = f"{first}\n{second}"
    return TraceDocument("mt:test|align:none", AR, english, (
        Segment(0, Span(0, cut), Span(0, len(first)), scores[0]),
        Segment(1, Span(cut + 1, len(AR)), Span(len(first) + 1, len(english)), scores[1])))


def test_coverage_counts_translations_found_on_both_sides() -> None:
    found = lexicon().coverage("قال الوزير كلاما", "the minister")
    assert found["source_coverage"] == 0.5  # قال (said) is not in the English, الوزير is
    assert found["source_translation"] == pytest.approx(0.9 / 2)  # p(minister|الوزير) = 0.9
    assert found["target_coverage"] == 1.0  # both English words have a source in the Arabic
    assert found["known_share"] == pytest.approx(2 / 3)
    plural = lexicon().coverage("حاوية", "a container")
    assert plural["source_translation"] == 1.0, "the lexicon's plural counts for a singular"


def test_features_see_lost_digits_latin_words_and_repeats() -> None:
    values = features("وصل ٣٠٠ شخص إلى GitHub", "arrived arrived arrived people", -0.5, lexicon())
    assert set(values) == set(FEATURES)
    assert values["digits_lost"] == 1 and values["latin_lost"] == 1
    assert values["repeats"] == 3
    kept = features("وصل ٣٠٠ شخص إلى GitHub", "300 people came to GitHub", -0.5, lexicon())
    assert kept["digits_lost"] == 0 and kept["latin_lost"] == 0


def test_features_count_the_names_and_numbers_and_what_mt_wrote_in() -> None:
    source = "زار بوتين موسكو 3 مرات"
    written = [Repair("name", Span(9, 14), Span(0, 6)), Repair("number", Span(15, 16), Span(7, 8))]
    values = features(source, "Moscow 3 times Putin", -0.5, lexicon(), written)
    assert (values["names"], values["numbers"]) == (2, 1)
    assert (values["names_written"], values["numbers_written"]) == (1, 1)
    assert features(source, "Putin visited Moscow 3 times", -0.5, lexicon())[
        "names_written"] == 0


def test_a_faithful_sentence_scores_above_a_garbled_one() -> None:
    traced = with_quality(document(GOOD, BAD, (-0.6, -2.0)), estimator(), lexicon())
    good, bad = traced.segments
    assert good.quality is not None and bad.quality is not None
    assert good.quality > 0.5 > bad.quality
    assert (good.doubt, bad.doubt) == (False, True)
    assert sum(bool(s.doubt) for s in traced.segments) == 1
    assert traced.signature.endswith("|quality:linear@test")
    again = TraceDocument.loads(traced.dumps())
    assert again.segments == traced.segments, "quality and doubt survive JSON"


def test_estimates_are_clipped_to_the_unit_interval() -> None:
    assert estimator().estimate({"score": 10.0, "source_coverage": 1.0}) == 1.0
    assert estimator().estimate({"score": -30.0, "source_coverage": 0.0}) == 0.0


def test_untranslated_segments_get_no_estimate() -> None:
    cut = AR.index("\n")
    doc = TraceDocument("sig", AR, "x", (Segment(0, Span(0, cut), Span(0, 1), -0.5),
                                         Segment(1, Span(cut + 1, len(AR)), None)))
    traced = with_quality(doc, estimator(), lexicon())
    assert traced.segments[1].quality is None and traced.segments[1].doubt is None
    assert "quality" not in traced.segments[1].to_json()


def test_the_fallback_needs_no_lexicon_and_is_monotone_in_the_log_prob() -> None:
    fallback = load_estimator(None)
    assert fallback.name.startswith("logprob") and not fallback.needs_lexicon
    low, high = (fallback.estimate({"score": s}) for s in (-3.0, -0.3))
    assert low < high


def test_a_model_directory_with_an_estimator_uses_it(tmp_path: Path) -> None:
    (tmp_path / ESTIMATOR_FILE).write_text(json.dumps(estimator().to_json()), encoding="utf-8")
    assert load_estimator(tmp_path) == estimator()
    assert load_estimator(tmp_path.parent).name == json.loads(
        FALLBACK_FILE.read_text("utf-8"))["name"]


@pytest.mark.parametrize("body", ['{"name": "x"}', "not json",
                                  json.dumps({**estimator().to_json(), "features": ["bogus",
                                                                                   "score"]})])
def test_a_broken_estimator_file_is_a_model_error(tmp_path: Path, body: str) -> None:
    (tmp_path / ESTIMATOR_FILE).write_text(body, encoding="utf-8")
    with pytest.raises(ModelError, match=ESTIMATOR_FILE):
        load_estimator(tmp_path)


def test_report_tints_doubtful_sentences_and_counts_them() -> None:
    page = render_html(with_quality(document(GOOD, BAD, (-0.6, -2.0)), estimator(), lexicon()),
                       [])
    assert "1 sentence to check" in page
    table = page.split('id="sentences"')[1]
    assert table.index(BAD) < table.index(GOOD), "most doubtful first"
    assert 'class="badge check"' in table
    assert 'data-k="g1" class="doubt"' in page  # the doubtful segment is tinted in the texts


def test_report_sentences_sort_in_a_real_browser(browser, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    traced = with_quality(document(GOOD, BAD, (-0.6, -2.0)), estimator(), lexicon())
    path.write_text(render_html(traced, []), encoding="utf-8")
    page = browser.new_page()
    page.goto(path.as_uri())
    rows = page.locator("#sentences tbody tr")
    assert rows.first.inner_text().split("\t")[0] == "2", "the doubtful sentence first"
    assert page.locator("#source .doubt").inner_text() == "قال الوزير."
    badge = page.locator("#sentences .badge.check")
    assert badge.inner_text() == f"{traced.segments[1].quality:.2f} check"
    page.click("#sort-sentences")
    assert rows.first.inner_text().split("\t")[0] == "1", "reading order after the click"
    rows.nth(1).hover()
    assert page.locator("#target .hl").inner_text() == BAD
    page.close()


def test_translate_json_carries_quality_and_text_marks_doubt(
        tiny_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from mt.cli import main

    source = tmp_path / "in.txt"
    source.write_text("وصل الوزير.\nقال الوزير إن 7 آلاف حاوية وصلت.\n", encoding="utf-8")
    assert main(["translate", str(source), "--model", str(tiny_model), "--format", "json",
                 "--word-links", "none", "-q"]) == 0
    trace = TraceDocument.loads(capsys.readouterr().out)
    assert "|quality:logprob@" in trace.signature, "a model without an estimator: the fallback"
    rated = [s for s in trace.segments if s.quality is not None]
    assert len(rated) == 2 and all(0 <= s.quality <= 1 for s in rated)
    assert main(["translate", str(source), "--model", str(tiny_model), "--lines",
                 "--mark-doubt", "-q"]) == 0
    lines = capsys.readouterr().out.splitlines()
    flagged = [bool(s.doubt) for s in trace.segments]
    assert [line.startswith("[check] ") for line in lines[:2]] == flagged
    assert len(lines) == 2, "one output line per input line, marked or not"


@pytest.mark.embedded
@pytest.mark.skipif(not (REPO / "models" / "ar-en-small" / ESTIMATOR_FILE).is_file(),
                    reason="the embedded model is absent")
def test_the_embedded_estimator_was_fitted_on_the_embedded_weights() -> None:
    from mt.models import model_hash

    model = REPO / "models" / "ar-en-small"
    fitted = load_estimator(model)
    assert fitted.name.startswith("linear@") and fitted.needs_lexicon
    assert f"@{model_hash(model)} " in fitted.fitted_on, \
        "new weights need a new estimator: python eval/quality_estimate.py --fit --write"
