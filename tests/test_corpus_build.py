from __future__ import annotations

import json
from pathlib import Path

import pytest

from mt.corpus.build import (
    align_bilingual,
    iter_documents,
    list_files,
    pair_files,
    pairs_from_trace,
    translate_documents,
)
from mt.corpus.formats import read_corpus, write_corpus
from mt.corpus.record import Pair
from mt.errors import InputError
from mt.inputs import read_document

from .conftest import PAIRS


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four small Arabic documents (two paragraphs each) in a folder, plus a stray file."""
    folder = tmp_path_factory.mktemp("docs")
    for number in range(4):
        first = " ".join(ar for ar, _ in PAIRS[number:number + 3])
        (folder / f"doc{number}.txt").write_text(f"{first}\n\n{PAIRS[number + 6][0]}\n",
                                                 encoding="utf-8")
    (folder / "notes.md").write_text("not a document", encoding="utf-8")
    return folder


def _check_provenance(pairs: list[Pair]) -> None:
    for pair in pairs:
        assert pair.doc is not None and pair.source is not None and pair.target is not None
        assert pair.source.slice(read_document(pair.doc)) == pair.ar
        assert pair.signature and pair.signature.startswith("mt:")
        for link in pair.links:
            assert link.source.end <= len(pair.ar) and link.target.end <= len(pair.en)


def test_list_files_takes_the_folder_pattern_in_name_order(documents: Path) -> None:
    assert list_files([str(documents)]) == [str(documents / f"doc{i}.txt") for i in range(4)]
    assert list_files([str(documents)], "*.md") == [str(documents / "notes.md")]
    with pytest.raises(InputError, match="no \\*.rst file"):
        list_files([str(documents)], "*.rst")


def test_translate_documents_gives_one_pair_per_sentence_with_provenance(
        documents: Path, tiny_model: Path) -> None:
    counted: list[int] = []
    pairs = list(translate_documents(iter_documents([str(documents)]), str(tiny_model),
                                     beam=2, progress=counted.append))
    assert len(pairs) == 16 and sum(counted) == 16 and len(counted) == 4
    assert [p.segment for p in pairs[:4]] == [0, 1, 2, 3]
    assert pairs[0].ar == PAIRS[0][0] and pairs[3].ar == PAIRS[6][0]
    _check_provenance(pairs)
    assert any(p.links for p in pairs)


@pytest.mark.slow
def test_two_workers_give_the_same_pairs_in_the_same_order(
        documents: Path, tiny_model: Path) -> None:
    one = list(translate_documents(iter_documents([str(documents)]), str(tiny_model), beam=2))
    two = list(translate_documents(iter_documents([str(documents)]), str(tiny_model),
                                   workers=2, beam=2))
    assert two == one


def test_documents_from_a_dataset_column(tmp_path: Path, tiny_model: Path) -> None:
    rows = [{"id": "a", "text": PAIRS[0][0]}, {"id": "b", "text": PAIRS[1][0]}]
    (tmp_path / "docs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows),
                                         encoding="utf-8")
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "docs.parquet")
    for name in ("docs.jsonl", "docs.parquet"):
        path = str(tmp_path / name)
        assert list(iter_documents([path], "text", "id")) == [("a", PAIRS[0][0]),
                                                              ("b", PAIRS[1][0])]
        assert [d for d, _ in iter_documents([path], "text")] == [f"{path}#0", f"{path}#1"]
    with pytest.raises(InputError, match="column 'body'"):
        list(iter_documents([str(tmp_path / "docs.parquet")], "body"))
    pairs = list(translate_documents(iter_documents([str(tmp_path / "docs.jsonl")], "text",
                                                    "id"), str(tiny_model), beam=2))
    assert [(p.doc, p.ar) for p in pairs] == [("a", PAIRS[0][0]), ("b", PAIRS[1][0])]


def test_pairs_from_trace_keeps_unmatched_sentences_with_an_empty_side() -> None:
    from mt.types import Link, Segment, Span, TraceDocument

    trace = TraceDocument("mt:test|align:x", "جملة. أخرى.", "One.",
                          (Segment(0, Span(0, 5), Span(0, 4), 0.9),
                           Segment(1, Span(6, 11), None, None)),
                          (Link(0, Span(0, 4), Span(0, 3), 0.8),))
    pairs = pairs_from_trace("d", trace)
    assert [(p.ar, p.en, p.score) for p in pairs] == [("جملة.", "One.", 0.9),
                                                      ("أخرى.", "", None)]
    assert pairs[0].links[0].source == Span(0, 4)


def test_bilingual_documents_are_aligned(tmp_path: Path) -> None:
    ar = tmp_path / "ar"
    en = tmp_path / "en"
    ar.mkdir()
    en.mkdir()
    (ar / "a.txt").write_text(" ".join(a for a, _ in PAIRS[:4]), encoding="utf-8")
    (en / "a.txt").write_text(" ".join(e for _, e in PAIRS[:4]), encoding="utf-8")
    files = pair_files([str(ar)], [str(en)])
    assert files == [(str(ar / "a.txt"), str(en / "a.txt"))]
    pairs = list(align_bilingual(files))
    assert "".join(p.ar for p in pairs).replace(" ", "") == "".join(
        a for a, _ in PAIRS[:4]).replace(" ", "")
    assert all(p.score is not None and p.signature for p in pairs if p.ar and p.en)
    _check_provenance(pairs)
    with pytest.raises(InputError, match="missing English counterpart"):
        (ar / "b.txt").write_text("نص", encoding="utf-8")
        pair_files([str(ar)], [str(en)])


@pytest.mark.slow
def test_ray_build_matches_the_local_build(documents: Path, tiny_model: Path,
                                           tmp_path: Path) -> None:
    pytest.importorskip("ray")
    from mt.corpus.ray_build import build_on_ray

    files = list_files([str(documents)])
    local = list(translate_documents(iter_documents(files), str(tiny_model), beam=2))
    out = tmp_path / "out"
    out.mkdir()
    (out / "stale.parquet").write_bytes(b"an older build's file")
    count = build_on_ray(files, str(out), str(tiny_model), actors=2, beam=2)
    assert count == len(local)
    assert list(read_corpus(str(out))) == local  # quality estimates included
    assert not (out / "stale.parquet").exists()  # the folder is replaced whole
    write_corpus(local[:1], str(tmp_path / "again.parquet"))  # the same schema both ways
    import pyarrow.parquet as pq

    ray_schema = pq.read_schema(next(out.glob("*.parquet")))
    assert ray_schema.equals(pq.read_schema(tmp_path / "again.parquet"), check_metadata=True)
    # A build that fails part way leaves the last output as it was, and nothing beside it.
    before = sorted((p.name, p.read_bytes()) for p in out.iterdir())
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xc3\x28 not UTF-8")
    with pytest.raises(InputError, match="bad.txt: not valid UTF-8"):
        build_on_ray([*files, str(bad)], str(out), str(tiny_model), actors=2, beam=2)
    assert sorted((p.name, p.read_bytes()) for p in out.iterdir()) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
