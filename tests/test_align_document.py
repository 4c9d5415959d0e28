from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from mt.align.document import Bead, align_documents, align_sentences
from mt.arabic import ARABIC_LETTER_RE
from mt.types import TraceDocument

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
AR_SEED = SEEDS / "000_e65b64538d617a2f.txt"
EN_SEED = SEEDS / "en" / "000_e65b64538d617a2f.txt"  # our own English translation


class TopicEncoder:
    """Each ``#n`` in a text is topic n: a sentence and its translation share theirs."""

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), 4096), dtype=np.float32)
        for row, text in enumerate(texts):
            for topic in re.findall(r"#(\d+)", text):
                vectors[row, int(topic)] += 1.0
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


def _beads(beads: list[Bead]) -> list[tuple[range, range]]:
    return [(range(b.source_start, b.source_end), range(b.target_start, b.target_end))
            for b in beads]


def test_merges_and_deletions() -> None:
    ar = ["جملة #1.", "جملة #2.", "جملة #3.", "جملة #4.", "جملة #5.", "جملة #6.", "جملة #7."]
    en = ["Sentence #1.", "Sentence #2 and #3.", "Sentence #4.", "Sentence #6.", "Part #7.",
          "More #7.", "Added #99."]
    beads = _beads(align_sentences(ar, en, TopicEncoder()))
    assert beads == [(range(0, 1), range(0, 1)), (range(1, 3), range(1, 2)),
                     (range(3, 4), range(2, 3)), (range(4, 5), range(3, 3)),
                     (range(5, 6), range(3, 4)), (range(6, 7), range(4, 6)),
                     (range(7, 7), range(6, 7))]


def test_long_document_goes_through_the_band() -> None:
    """A document far past the full-search size, with drift from deletions, aligns exactly."""
    ar = [f"جملة #{i}." for i in range(1, 401) if i % 37]
    en = [f"Sentence #{i}." for i in range(1, 401) if i % 53]
    beads = align_sentences(ar, en, TopicEncoder())
    pairs = [(ar[b.source_start], en[b.target_start]) for b in beads
             if b.source_end - b.source_start == 1 == b.target_end - b.target_start]
    assert len(pairs) == sum(1 for i in range(1, 401) if i % 37 and i % 53)
    assert all(a.split("#")[1] == e.split("#")[1] for a, e in pairs)
    assert sum(b.source_end - b.source_start for b in beads) == len(ar)
    assert sum(b.target_end - b.target_start for b in beads) == len(en)


def test_empty_sides() -> None:
    assert _beads(align_sentences(["أ."], [], TopicEncoder())) == [(range(0, 1), range(0, 0))]
    assert align_sentences([], [], TopicEncoder()) == []


def assert_valid_alignment(document: TraceDocument) -> None:
    source, target = document.source_text, document.target_text
    covered: set[int] = set()
    for number, segment in enumerate(document.segments):
        assert segment.id == number and (segment.source or segment.target)
        if segment.source is not None:
            covered.update(range(segment.source.start, segment.source.end))
    assert all(m.start() in covered for m in ARABIC_LETTER_RE.finditer(source))
    segments = {s.id: s for s in document.segments}
    for link in document.links:
        segment = segments[link.segment]
        assert segment.source.contains(link.source) and segment.target.contains(link.target)
    for span in document.spans:
        assert span.source.slice(source) and (span.target is None or span.target.slice(target))
    assert TraceDocument.loads(document.dumps()) == document


@pytest.fixture(scope="module")
def seed_pair() -> tuple[str, str]:
    return AR_SEED.read_text(encoding="utf-8"), EN_SEED.read_text(encoding="utf-8")


def test_seed_article_with_its_translation(seed_pair: tuple[str, str]) -> None:
    ar, en = seed_pair
    document = align_documents(ar, en)
    assert_valid_alignment(document)
    # 14 sentences in 13 lines: the second paragraph holds two sentences on both sides and
    # stays one segment (units=lines); sentence by sentence there are 14.
    assert len(document.segments) == 13
    assert len(align_documents(ar, en, units="sentences").segments) == 14
    assert all(s.source and s.target for s in document.segments)
    # Sentences 2 and 11 are the same text: each goes with its own English copy.
    assert [s.target.start for s in document.segments] == sorted(
        s.target.start for s in document.segments)
    numbers = {(s.source.slice(ar), s.status) for s in document.spans if s.kind == "number"}
    assert {("7 آلاف", "ok"), ("300", "ok"), ("87,29%", "ok"), ("سبعة آلاف", "ok")} <= numbers
    assert document.signature.startswith("mt:") and "|align:sentence-use+words-" in \
        document.signature


def test_seed_article_with_a_merge_and_a_gap(seed_pair: tuple[str, str]) -> None:
    ar, en = seed_pair
    paragraphs = en.split("\n\n")
    dropped = paragraphs.pop(3)  # "Pyongyang and Moscow, historic allies, ..."
    paragraphs[4:6] = [paragraphs[4].rstrip(".") + "; " + paragraphs[5]]
    document = align_documents(ar, "\n\n".join(paragraphs))
    assert_valid_alignment(document)
    lonely = [s for s in document.segments if s.target is None]
    assert [s.source.slice(ar)[:8] for s in lonely] == ["ويذكر أن"]
    assert dropped.startswith("Pyongyang and Moscow")
    merged = [s for s in document.segments if s.source and s.target
              and s.source.slice(ar).count("\n") >= 1]
    assert len(merged) == 1 and "Shin Won-sik" in merged[0].target.slice(document.target_text)


def test_join_units_keeps_lines_whole() -> None:
    from mt.align.document import join_units

    # Arabic: three lines of one sentence; English: line 0 holds sentences 0 and 1.
    beads = [Bead(0, 1, 0, 1, 0.8), Bead(1, 2, 1, 2, 0.6), Bead(2, 3, 2, 3, 0.9)]
    assert join_units(beads, [0, 1, 2], [0, 0, 1]) == [Bead(0, 2, 0, 2, 0.7),
                                                       Bead(2, 3, 2, 3, 0.9)]
    # A null bead between two halves of one Arabic line is joined with both.
    beads = [Bead(0, 1, 0, 1, 0.8), Bead(1, 1, 1, 2, 0.0), Bead(1, 2, 2, 3, 0.6)]
    assert join_units(beads, [0, 0], [0, 1, 2]) == [Bead(0, 2, 0, 3, 0.7)]
    # Sentence-per-line input is left alone.
    beads = [Bead(0, 1, 0, 0, 0.0), Bead(1, 2, 0, 1, 0.5)]
    assert join_units(beads, [0, 1], [0]) == beads


def test_merged_line_with_both_full_stops_is_one_segment(monkeypatch) -> None:
    from mt.align import document as module
    from mt.commands.align import format_beads

    monkeypatch.setattr(module, "link_words", lambda items, aligner_dir=None: (
        [[] for _ in items], "none"))
    ar = "جملة #1.\nجملة #2.\nجملة #3.\nجملة #4."
    en = "Sentence #1.\nSentence #2. Sentence #3.\nSentence #4."
    lines = align_documents(ar, en, TopicEncoder())
    assert [(s.source.slice(ar), s.target.slice(en)) for s in lines.segments] == [
        ("جملة #1.", "Sentence #1."), ("جملة #2.\nجملة #3.", "Sentence #2. Sentence #3."),
        ("جملة #4.", "Sentence #4.")]
    assert format_beads(lines).splitlines() == ["[0]:[0]:0.000000", "[1, 2]:[1]:0.000000",
                                                "[3]:[2]:0.000000"]
    sentences = align_documents(ar, en, TopicEncoder(), units="sentences")
    assert len(sentences.segments) == 4
    with pytest.raises(ValueError, match="units"):
        align_documents(ar, en, TopicEncoder(), units="paragraphs")
